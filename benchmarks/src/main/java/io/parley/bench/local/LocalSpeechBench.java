package io.parley.bench.local;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.EspeakTts;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Real-time factor and memory of the offline providers, one stream at a time.
 *
 * <ul>
 *   <li>Recognition: the five real LibriVox utterances of {@code pocketsphinx-testdata} (24.7 s)
 *       and twenty FreeTTS sentences, written as fast as the stream takes them, one utterance
 *       at a time (write, finalize, wait for the final). Real-time factor = time / audio
 *       length, in wall time and in process CPU time (only the decoder is busy).</li>
 *   <li>Memory: resident set size (Linux {@code VmRSS}) added by the first open stream and by each
 *       further one (each PocketSphinx stream owns a decoder; the model files are memory-mapped
 *       and shared), and by building a synthesizer.</li>
 *   <li>Synthesis: twenty sentences, one stream each; time to the first audio frame and the
 *       real-time factor of the whole reply.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.local.LocalSpeechBench -Dbench.args=all}
 * ({@code all}, or one of {@code pocketsphinx}, {@code grammar}, {@code tts} for memory figures
 * from a fresh process)
 * (after {@code mvn -q install -DskipTests}). Numbers depend on the machine's load: run it on a
 * quiet machine.
 */
public final class LocalSpeechBench {

    static final List<String> SENTENCES = List.of(
            "hello how can i help you today", "what time is it right now", "please turn off the kitchen lights",
            "the weather will be sunny tomorrow morning", "i would like to book a table for two",
            "can you tell me how long you have been listening", "my phone number has changed since last year",
            "we need to buy milk bread and eggs", "the train leaves the station at seven",
            "thank you very much for your help", "please call me back in ten minutes",
            "where is the nearest post office", "i forgot my password again",
            "the meeting has been moved to friday afternoon", "could you repeat that more slowly",
            "open the window in the living room", "what did you hear me say", "set an alarm for six thirty",
            "the children are playing in the garden", "goodbye and have a nice evening");

    static final String GRAMMAR = """
            #JSGF V1.0;
            grammar bench;
            public <s> = what time is it | how long have you been listening | what did you hear
                       | turn (on | off) the (kitchen | bedroom | garden) lights | call (mom | dad | the office);
            """;

    private static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");

    private LocalSpeechBench() {
    }

    public static void main(String[] args) throws Exception {
        // Memory is measured per process: run "pocketsphinx", "grammar" and "tts" separately for clean RSS figures.
        String what = args.length > 0 ? args[0] : "all";
        if (!List.of("all", "pocketsphinx", "grammar", "tts").contains(what)) {
            throw new IllegalArgumentException("argument must be all, pocketsphinx, grammar or tts, was " + what);
        }
        System.out.printf("JVM %s, %d cores, load average %.2f, baseline RSS %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), rssMb());

        long before = rssKb();
        FreeTtsTts freetts = FreeTtsTts.create();
        long freettsKb = rssKb() - before;
        List<short[]> synthetic = new ArrayList<>();
        for (String s : SENTENCES) {
            synthetic.add(speak(freetts, s));
        }
        List<short[]> real = new ArrayList<>();
        for (Path wav : librivox()) {
            real.add(Wav.read(wav).samples());
        }

        System.out.println();
        if (!what.equals("tts")) {
            System.out.println("| provider | audio | wall xRT | CPU xRT | RSS per active stream (mean of 4) |");
            System.out.println("|---|---|---|---|---|");
        }
        if (what.equals("all") || what.equals("pocketsphinx")) {
            stt("PocketSphinx free-form", PocketSphinxStt::create, real, "LibriVox 24.7 s");
            stt("PocketSphinx free-form", PocketSphinxStt::create, synthetic, "FreeTTS 20 sentences");
        }
        if (what.equals("all") || what.equals("grammar")) {
            stt("PocketSphinx grammar", () -> PocketSphinxStt.builder().grammar(GRAMMAR).build(), synthetic.subList(0, 5),
                    "FreeTTS 5 sentences");
        }

        if (!what.equals("all") && !what.equals("tts")) {
            return;
        }
        System.out.println();
        System.out.println("| provider | first audio mean | first audio p90 | xRT | provider RSS |");
        System.out.println("|---|---|---|---|---|");
        tts("FreeTTS kevin16", freetts, freettsKb);
        before = rssKb();
        EspeakTts espeak;
        try {
            espeak = EspeakTts.create();
            tts("eSpeak NG en-us (resampled 22.05 -> 16 kHz)", espeak, rssKb() - before);
        } catch (SessionException e) {
            System.out.println("| eSpeak NG | not installed: " + e.getMessage() + " | | | |");
        }
        System.out.println();
        System.out.println("Vosk: not measured; no Vosk model is available offline on this machine.");
    }

    interface Factory {
        PocketSphinxStt build();
    }

    private static void stt(String name, Factory factory, List<short[]> utterances, String what) throws Exception {
        PocketSphinxStt stt = factory.build();
        Finals finals = new Finals();
        SttRequest request = new SttRequest("bench", AudioFormat.PCM_16K_MONO, Duration.ZERO, "");
        // Memory first: decoders grow their search structures while decoding, so each stream
        // decodes one utterance before it is counted; the memory-mapped model is shared.
        gc();
        long base = rssKb();
        List<SttStream> open = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SttStream s = stt.open(request, finals);
            open.add(s);
            feed(s, utterances.get(i % utterances.size()));
            s.finalizeUtterance();
            finals.next();
        }
        long perStreamKb = (rssKb() - base) / open.size();
        for (SttStream s : open) {
            s.close();
        }
        long samples = 0;
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        try (SttStream s = stt.open(request, finals)) {
            for (short[] u : utterances) {
                feed(s, u);
                s.finalizeUtterance();
                finals.next();
                samples += u.length;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        double audio = samples / 16_000.0;
        System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %d MB |%n", name, what, wall / audio, cpu / audio,
                perStreamKb / 1024);
    }

    private static void tts(String name, TtsProvider tts, long providerKb) throws Exception {
        long[] first = new long[SENTENCES.size()];
        long totalNanos = 0;
        long samples = 0;
        for (int i = 0; i < SENTENCES.size(); i++) {
            long t0 = System.nanoTime();
            long[] firstAt = {0};
            long[] count = {0};
            CompletableFuture<Void> done = new CompletableFuture<>();
            TtsStream s = tts.open(new TtsRequest("bench", AudioFormat.PCM_16K_MONO, ""), new TtsListener() {
                @Override
                public void onAudio(AudioFrame frame) {
                    if (firstAt[0] == 0) {
                        firstAt[0] = System.nanoTime();
                    }
                    count[0] += frame.length();
                }

                @Override
                public void onComplete() {
                    done.complete(null);
                }

                @Override
                public void onError(SessionException error) {
                    done.completeExceptionally(error);
                }
            });
            s.pushText(SENTENCES.get(i) + ".");
            s.flush();
            done.get(30, TimeUnit.SECONDS);
            totalNanos += System.nanoTime() - t0;
            first[i] = firstAt[0] - t0;
            samples += count[0];
            s.close();
        }
        Arrays.sort(first);
        double mean = Arrays.stream(first).average().orElse(0) / 1e6;
        double p90 = first[(int) Math.ceil(0.9 * first.length) - 1] / 1e6;
        System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.4f | %d MB |%n", name, mean, p90,
                totalNanos / 1e9 / (samples / 16_000.0), providerKb / 1024);
    }

    private static List<Path> librivox() throws IOException {
        if (!Files.isDirectory(LIBRIVOX)) {
            throw new IOException(LIBRIVOX + " is missing: apt-get install pocketsphinx-testdata");
        }
        try (var files = Files.list(LIBRIVOX)) {
            return files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
    }

    private static short[] speak(TtsProvider tts, String text) throws Exception {
        List<short[]> parts = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (TtsStream s = tts.open(new TtsRequest("bench", AudioFormat.PCM_16K_MONO, ""), new TtsListener() {
            @Override
            public void onAudio(AudioFrame frame) {
                parts.add(Arrays.copyOf(frame.samples(), frame.length()));
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }

            @Override
            public void onError(SessionException error) {
                done.completeExceptionally(error);
            }
        })) {
            s.pushText(text);
            s.flush();
            done.get(30, TimeUnit.SECONDS);
        }
        AudioClip clip = new AudioClip(AudioFormat.PCM_16K_MONO, new short[0]);
        for (short[] p : parts) {
            clip = clip.append(new AudioClip(AudioFormat.PCM_16K_MONO, p));
        }
        return clip.samples();
    }

    private static void feed(SttStream s, short[] samples) {
        AudioFrame frame = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 320);
        for (int i = 0; i < samples.length; i += 320) {
            int n = Math.min(320, samples.length - i);
            System.arraycopy(samples, i, frame.samples(), 0, n);
            frame.setLength(n);
            s.write(frame);
        }
    }

    /** Collects finals and errors, in order; a bounded wait for each. */
    private static final class Finals implements SttListener {
        private final LinkedBlockingQueue<Object> results = new LinkedBlockingQueue<>();

        @Override
        public void onTranscript(Transcript t) {
            if (t.isFinal()) {
                results.add(t);
            }
        }

        @Override
        public void onError(SessionException error) {
            results.add(error);
        }

        Transcript next() throws InterruptedException {
            Object r = results.poll(120, TimeUnit.SECONDS);
            if (r instanceof SessionException e) {
                throw e;
            }
            if (r == null) {
                throw new IllegalStateException("no final transcript within 120 s");
            }
            return (Transcript) r;
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void gc() {
        System.gc();
        System.gc();
    }

    static long rssMb() throws IOException {
        return rssKb() / 1024;
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status (Linux only)");
    }
}
