package io.parley.bench.telephony;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.G711;
import io.parley.audio.Resampler;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Vad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a phone line does to the session's ears: the offline recognizer (PocketSphinx, free
 * speech) and {@code DspVad} on Debian's {@code pocketsphinx-testdata} recordings as they are
 * (16 kHz) and as they arrive from a telephone media stream: resampled to 8 kHz, µ-law encoded
 * and decoded, resampled back to the session's 16 kHz, with the transport's own
 * {@code Resampler} and {@code G711}.
 *
 * <ul>
 *   <li>Recognizer: word error rate on the five LibriVox utterances (free speech) and on the
 *       five {@code cards} utterances with their JSGF grammar, each at 16 kHz, band-limited to
 *       8 kHz (linear) and µ-law 8 kHz, to separate the loss of bandwidth from the companding.</li>
 *   <li>VAD: on every recording, the share of 20 ms frames called speech, and how often the
 *       narrowband decision agrees with the wideband one (precision, recall and F1 of narrowband
 *       speech against wideband speech).</li>
 * </ul>
 *
 * <p>Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.telephony.NarrowbandEval}
 */
public final class NarrowbandEval {

    private static final Path DATA = Path.of("/usr/share/pocketsphinx/test/data");
    private static final AudioFormat WIDE = AudioFormat.PCM_16K_MONO;

    private NarrowbandEval() {
    }

    public static void main(String[] args) throws Exception {
        if (!Files.isDirectory(DATA.resolve("librivox"))) {
            throw new IllegalStateException(DATA + " is missing: install the Debian package pocketsphinx-testdata");
        }
        System.out.println("NarrowbandEval: PocketSphinx and DspVad on real speech, 16 kHz vs 8 kHz linear vs mu-law 8 kHz (both back to 16 kHz)");
        wer("free speech, LibriVox", PocketSphinxStt.create(), "librivox", "transcription", ".wav");
        wer("grammar cards.gram, cards", PocketSphinxStt.builder().grammarFile(DATA.resolve("cards/cards.gram")).build(),
                "cards", "cards.transcription", ".wav");

        long tp = 0;
        long fp = 0;
        long fn = 0;
        long wideSpeech = 0;
        long narrowSpeech = 0;
        long frames = 0;
        for (Path p : recordings()) {
            AudioClip wide = p.toString().endsWith(".raw") ? Wav.readRaw(p, WIDE) : Wav.read(p).resample(16_000);
            boolean[] a = vad(wide);
            boolean[] b = vad(telephone(wide));
            int n = Math.min(a.length, b.length);
            long fileTp = 0;
            long fileA = 0;
            long fileB = 0;
            for (int i = 0; i < n; i++) {
                fileTp += a[i] && b[i] ? 1 : 0;
                fileA += a[i] ? 1 : 0;
                fileB += b[i] ? 1 : 0;
            }
            tp += fileTp;
            fp += fileB - fileTp;
            fn += fileA - fileTp;
            wideSpeech += fileA;
            narrowSpeech += fileB;
            frames += n;
            System.out.printf("  VAD %s: %d frames, speech 16 kHz %d, mu-law %d, both %d%n", DATA.relativize(p), n, fileA, fileB, fileTp);
        }
        double precision = tp / (double) Math.max(1, tp + fp);
        double recall = tp / (double) Math.max(1, tp + fn);
        System.out.printf("  DspVad over %d frames (%.0f s): speech 16 kHz %.1f %%, mu-law %.1f %%; mu-law vs 16 kHz precision %.3f recall %.3f F1 %.3f%n",
                frames, frames * 0.02, 100.0 * wideSpeech / frames, 100.0 * narrowSpeech / frames,
                precision, recall, 2 * precision * recall / Math.max(1e-9, precision + recall));
        System.exit(0);
    }

    private static void wer(String title, PocketSphinxStt stt, String dir, String transcription, String ext) throws Exception {
        long[][] err = new long[3][2];
        for (Map.Entry<String, String> e : references(dir, transcription).entrySet()) {
            AudioClip wide = Wav.read(DATA.resolve(dir).resolve(e.getKey() + ext)).resample(16_000);
            AudioClip[] conditions = {wide, telephone(wide, false), telephone(wide, true)};
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < 3; c++) {
                String hyp = recognize(stt, conditions[c]);
                long[] x = errors(e.getValue(), hyp);
                add(err[c], x);
                line.append(String.format("%n    %-6s %d errors: %s", new String[]{"16k", "8k", "mu-law"}[c], x[0], hyp));
            }
            System.out.printf("  %s/%s (%d words): %s%n", dir, e.getKey(), errors(e.getValue(), "")[1], line);
        }
        System.out.printf("  %s: WER 16 kHz %.1f %% (%d/%d), 8 kHz linear %.1f %% (%d/%d), mu-law 8 kHz %.1f %% (%d/%d)%n", title,
                pct(err[0]), err[0][0], err[0][1], pct(err[1]), err[1][0], err[1][1], pct(err[2]), err[2][0], err[2][1]);
    }

    private static double pct(long[] e) {
        return 100.0 * e[0] / Math.max(1, e[1]);
    }

    /** The clip as a telephone media stream delivers it to a 16 kHz session. */
    static AudioClip telephone(AudioClip wide) {
        return telephone(wide, true);
    }

    /** 16 kHz → 8 kHz, µ-law encoded and decoded when {@code mulaw}, → 16 kHz. */
    static AudioClip telephone(AudioClip wide, boolean mulaw) {
        Resampler down = Resampler.create(16_000, 8_000, 1);
        Resampler up = Resampler.create(8_000, 16_000, 1);
        AudioFrame in = AudioFrame.allocate(WIDE, 320);
        AudioFrame mid = AudioFrame.allocate(AudioFormat.PCM_8K_MONO, down.outputCapacity(320));
        AudioFrame out = AudioFrame.allocate(WIDE, up.outputCapacity(mid.capacity()) + up.flushCapacity());
        byte[] ulaw = new byte[mid.capacity()];
        short[] all = new short[wide.length() + 2 * out.capacity()];
        int w = 0;
        for (int i = 0; i < wide.length(); i += 320) {
            int n = Math.min(320, wide.length() - i);
            System.arraycopy(wide.samples(), i, in.samples(), 0, n);
            in.setLength(n);
            int m = down.process(in, mid);
            if (mulaw) {
                G711.encodeUlaw(mid.samples(), 0, ulaw, 0, m);
                G711.decodeUlaw(ulaw, 0, mid.samples(), 0, m);
            }
            mid.setLength(m);
            up.process(mid, out);
            System.arraycopy(out.samples(), 0, all, w, out.length());
            w += out.length();
        }
        // The two filters delay the signal; drop that much so frames line up with the original.
        int delay = (int) Math.round((down.delayNanos() + up.delayNanos()) * 16_000 / 1e9);
        int from = Math.min(delay, w);
        short[] aligned = java.util.Arrays.copyOfRange(all, from, Math.max(from, Math.min(w, from + wide.length())));
        return new AudioClip(WIDE, aligned);
    }

    private static boolean[] vad(AudioClip clip) {
        Vad vad = DspVad.defaults().create(WIDE);
        int frames = clip.length() / 320;
        boolean[] out = new boolean[frames];
        AudioFrame f = AudioFrame.allocate(WIDE, 320);
        for (int i = 0; i < frames; i++) {
            System.arraycopy(clip.samples(), i * 320, f.samples(), 0, 320);
            f.setLength(320).setTimestampNanos(i * 20_000_000L);
            out[i] = vad.process(f).speech();
        }
        return out;
    }

    private static String recognize(PocketSphinxStt stt, AudioClip clip) throws Exception {
        CompletableFuture<String> fin = new CompletableFuture<>();
        SttStream s = stt.open(new SttRequest("eval", WIDE, Duration.ofSeconds(5), "en-US"), new SttListener() {
            @Override
            public void onTranscript(Transcript t) {
                if (t.isFinal()) {
                    fin.complete(t.text());
                }
            }

            @Override
            public void onError(SessionException error) {
                fin.completeExceptionally(error);
            }
        });
        try {
            AudioFrame f = AudioFrame.allocate(WIDE, 320);
            for (int i = 0; i < clip.length(); i += 320) {
                int n = Math.min(320, clip.length() - i);
                System.arraycopy(clip.samples(), i, f.samples(), 0, n);
                s.write(f.setLength(n));
            }
            s.finalizeUtterance();
            return fin.get(120, TimeUnit.SECONDS).toLowerCase(java.util.Locale.ROOT);
        } finally {
            s.close();
        }
    }

    /** {errors, reference words}: word-level Levenshtein distance. */
    static long[] errors(String reference, String hypothesis) {
        String[] r = reference.isBlank() ? new String[0] : reference.trim().split("\\s+");
        String[] h = hypothesis.isBlank() ? new String[0] : hypothesis.trim().split("\\s+");
        int[] prev = new int[h.length + 1];
        int[] cur = new int[h.length + 1];
        for (int j = 0; j <= h.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= r.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= h.length; j++) {
                int sub = prev[j - 1] + (r[i - 1].equals(h[j - 1]) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return new long[]{prev[h.length], r.length};
    }

    private static void add(long[] total, long[] e) {
        total[0] += e[0];
        total[1] += e[1];
    }

    private static Map<String, String> references(String dir, String file) throws IOException {
        Map<String, String> refs = new LinkedHashMap<>();
        Pattern line = Pattern.compile("<s>(.*)</s>\\s*\\((.*)\\)");
        for (String l : Files.readAllLines(DATA.resolve(dir).resolve(file))) {
            Matcher m = line.matcher(l.trim());
            if (m.matches()) {
                refs.put(m.group(2).trim(), m.group(1).trim());
            }
        }
        return refs;
    }

    private static List<Path> recordings() throws IOException {
        List<Path> out = new ArrayList<>();
        try (var walk = Files.walk(DATA)) {
            for (Path p : walk.sorted().toList()) {
                String n = p.toString();
                if (n.endsWith(".wav") || n.endsWith(".raw")) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
