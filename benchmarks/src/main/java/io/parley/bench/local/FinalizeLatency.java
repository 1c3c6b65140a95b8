package io.parley.bench.local;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * How long PocketSphinx takes from {@code finalizeUtterance()} to the final transcript, with and
 * without rescoring at the end of the utterance, and what rescoring buys in word error rate.
 *
 * <p>Each real recording of {@code pocketsphinx-testdata} with a transcript (five LibriVox
 * sentences, five spoken card names) is written to a stream in 20 ms frames at real-time pace,
 * as a session does; 300 ms after the last frame (the session's shortest endpointing wait) the
 * stream is finalized and the time to the final is taken, in wall time and in CPU time of the
 * stream's decoding thread (which, on a loaded machine, says what the decoder costs when the
 * wall time mostly says how long it waited for a core). Each configuration gets a fresh
 * stream per utterance after one warm-up utterance. Each utterance is then run again, this time
 * finalized only once the decoder has caught up with the audio (its thread waits for input), which
 * splits the latency into what the decoder still had to decode (how far behind real time it
 * was) and what ending the utterance itself costs.
 *
 * <p>Run: {@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.local.FinalizeLatency}
 * (after {@code mvn -q install -DskipTests}); {@code -Dbench.args=default} measures the default
 * (first pass only) alone.
 */
public final class FinalizeLatency {

    private static final Path DATA = Path.of("/usr/share/pocketsphinx/test/data");
    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;

    private FinalizeLatency() {
    }

    private record Utterance(String name, AudioClip clip, String text) {
    }

    public static void main(String[] args) throws Exception {
        List<Utterance> set = new ArrayList<>();
        set.addAll(load(DATA.resolve("librivox"), DATA.resolve("librivox/transcription")));
        set.addAll(load(DATA.resolve("cards"), DATA.resolve("cards/cards.transcription")));
        System.out.printf(Locale.ROOT, "%d real recordings (pocketsphinx-testdata librivox + cards), fed at real-time pace;"
                + " finalize 300 ms after the last frame; load average %s%n%n", set.size(), loadAverage());
        System.out.println("| decoder           | finalize -> final median / p90 / max | decoder CPU finalize -> final median / p90 / max |"
                + " decoder behind at finalize med/p90/max | caught up: finalize -> final med/p90/max | WER    |");
        System.out.println("|-------------------|--------------------------------------|--------------------------------------------------|"
                + "--------------------------------------|--------------------------------------|--------|");
        boolean[] modes = List.of(args).contains("default") ? new boolean[] {false} : new boolean[] {true, false};
        for (boolean rescore : modes) {
            PocketSphinxStt stt = PocketSphinxStt.builder().rescore(rescore).build();
            run(stt, set.get(0), false); // warm-up
            long[] latencies = new long[set.size()];
            long[] cpu = new long[set.size()];
            int errors = 0;
            int words = 0;
            long[] idleLatencies = new long[set.size()];
            long[] behind = new long[set.size()];
            for (int i = 0; i < set.size(); i++) {
                Result r = run(stt, set.get(i), false);
                latencies[i] = r.finalizeMicros;
                cpu[i] = r.cpuMicros;
                Result idle = run(stt, set.get(i), true);
                idleLatencies[i] = idle.finalizeMicros;
                behind[i] = idle.behindMicros;
                String[] ref = set.get(i).text.split("\\s+");
                errors += editDistance(ref, r.text.isBlank() ? new String[0] : r.text.trim().split("\\s+"));
                words += ref.length;
            }
            System.out.printf(Locale.ROOT, "| %-17s | %36s | %48s | %36s | %36s | %5.1f%% |%n", rescore ? "rescore" : "first pass (dflt)",
                    stats(latencies), stats(cpu), stats(behind), stats(idleLatencies), 100.0 * errors / words);
        }
    }

    private record Result(long finalizeMicros, long cpuMicros, String text, long behindMicros) {
    }

    /**
     * Waits until the decoding thread has decoded everything written (it then blocks waiting for
     * audio), and returns how long that took: how far the decoder was behind 300 ms after the
     * last frame.
     */
    private static long waitUntilIdle() throws InterruptedException {
        long t0 = System.nanoTime();
        int idle = 0;
        while (idle < 3 && System.nanoTime() - t0 < 30_000_000_000L) {
            Thread t = decoderThread();
            Thread.State st = t == null ? Thread.State.TERMINATED : t.getState();
            idle = st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING ? idle + 1 : 0;
            TimeUnit.MILLISECONDS.sleep(5);
        }
        return System.nanoTime() - t0;
    }

    private static Thread decoderThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("parley-pocketsphinx-finalize-bench")) {
                return t;
            }
        }
        return null;
    }

    private static String stats(long[] micros) {
        long[] v = micros.clone();
        Arrays.sort(v);
        return String.format(Locale.ROOT, "%6.1f / %6.1f / %6.1f ms", v[(v.length - 1) / 2] / 1000.0,
                v[(int) Math.ceil(0.9 * v.length) - 1] / 1000.0, v[v.length - 1] / 1000.0);
    }

    /** CPU time of the stream's decoding thread so far, in nanoseconds (-1 if it is not found). */
    private static long decoderCpuNanos() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("parley-pocketsphinx-finalize-bench")) {
                return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
            }
        }
        return -1;
    }

    private static Result run(PocketSphinxStt stt, Utterance u, boolean caughtUp) throws Exception {
        LinkedBlockingQueue<Object> finals = new LinkedBlockingQueue<>();
        SttStream s = stt.open(new SttRequest("finalize-bench", FORMAT, java.time.Duration.ZERO, ""), new SttListener() {
            @Override
            public void onTranscript(Transcript t) {
                if (t.isFinal()) {
                    finals.add(new Object[] {System.nanoTime(), t.text()});
                }
            }

            @Override
            public void onError(SessionException error) {
                finals.add(error);
            }
        });
        try {
            AudioFrame frame = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(20));
            long start = System.nanoTime();
            int frames = u.clip.frameCount(20);
            for (int i = 0; i < frames; i++) {
                long due = start + i * 20_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                s.write(u.clip.frame(i, 20, frame));
            }
            TimeUnit.MILLISECONDS.sleep(300);
            long behind = caughtUp ? waitUntilIdle() : 0;
            long cpu0 = decoderCpuNanos();
            long t0 = System.nanoTime();
            s.finalizeUtterance();
            Object got = finals.poll(30, TimeUnit.SECONDS);
            if (got instanceof SessionException e) {
                throw e;
            }
            if (got == null) {
                throw new IllegalStateException("no final for " + u.name + " within 30 s");
            }
            Object[] r = (Object[]) got;
            long cpu1 = decoderCpuNanos();
            return new Result(((long) r[0] - t0) / 1000, cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / 1000, (String) r[1],
                    behind / 1000);
        } finally {
            s.close();
        }
    }

    /** Recordings in {@code dir} named by the ids in a Sphinx transcription file ("&lt;s&gt; text &lt;/s&gt; (id)"). */
    private static List<Utterance> load(Path dir, Path transcription) throws Exception {
        List<Utterance> out = new ArrayList<>();
        for (String line : Files.readAllLines(transcription)) {
            int open = line.lastIndexOf('(');
            if (open < 0) {
                continue;
            }
            String id = line.substring(open + 1, line.lastIndexOf(')'));
            String text = line.substring(0, open).replace("<s>", "").replace("</s>", "").trim().replaceAll("\\s+", " ");
            out.add(new Utterance(id, Wav.read(dir.resolve(id + ".wav")).resample(FORMAT.sampleRate()), text));
        }
        return out;
    }

    private static int editDistance(String[] a, String[] b) {
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int sub = prev[j - 1] + (a[i - 1].equals(b[j - 1]) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length];
    }

    /** The machine's {@code /proc/loadavg} line, for reports from a shared machine. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
