package io.parley.bench.echo;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real human recordings of the echo evaluation, at 16 kHz mono and one speech level
 * (-20 dBFS over the loud part): the agent's voice is Asterisk's prompts
 * ({@code asterisk-core-sounds-en-wav}), the users are {@code pocketsphinx-testdata}'s talkers.
 */
final class Recordings {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    static final Path ASTERISK = Path.of("/usr/share/asterisk/sounds/en");
    static final Path POCKETSPHINX = Path.of("/usr/share/pocketsphinx/test/data");
    static final double SPEECH_DBFS = -20;

    /** A named recording and where its speech truly starts. */
    record Clip(String name, short[] pcm, int onsetSample) {
        double seconds() {
            return pcm.length / (double) FORMAT.sampleRate();
        }
    }

    private Recordings() {
    }

    /** Asterisk prompts between {@code minSeconds} and {@code maxSeconds} long, by name. */
    static List<Clip> agentPrompts(double minSeconds, double maxSeconds) throws IOException {
        require(ASTERISK, "asterisk-core-sounds-en-wav");
        List<Clip> out = new ArrayList<>();
        try (var files = Files.list(ASTERISK)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".wav")).sorted().toList()) {
                AudioClip c = Wav.read(p).resample(FORMAT.sampleRate());
                double s = c.length() / (double) FORMAT.sampleRate();
                if (s >= minSeconds && s <= maxSeconds) {
                    out.add(clip(p.getFileName().toString().replace(".wav", ""), c.samples()));
                }
            }
        }
        return out;
    }

    /** Every pocketsphinx-testdata recording of at least {@code minSeconds}. */
    static List<Clip> users(double minSeconds) throws IOException {
        require(POCKETSPHINX, "pocketsphinx-testdata");
        List<Clip> out = new ArrayList<>();
        try (var walk = Files.walk(POCKETSPHINX)) {
            for (Path p : walk.sorted().toList()) {
                String name = POCKETSPHINX.relativize(p).toString();
                AudioClip c;
                if (name.endsWith(".wav")) {
                    c = Wav.read(p).resample(FORMAT.sampleRate());
                } else if (name.endsWith(".raw")) {
                    c = Wav.readRaw(p, FORMAT);
                } else {
                    continue;
                }
                if (c.length() >= minSeconds * FORMAT.sampleRate()) {
                    out.add(clip(name, c.samples()));
                }
            }
        }
        return out;
    }

    private static void require(Path dir, String pkg) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: install the Debian package " + pkg);
        }
    }

    /** Scales to the common speech level and finds the first 10 ms of speech. */
    static Clip clip(String name, short[] pcm) {
        int block = FORMAT.samplesFor(10);
        int n = pcm.length / block;
        double[] level = new double[n];
        for (int b = 0; b < n; b++) {
            double e = 0;
            for (int i = b * block; i < (b + 1) * block; i++) {
                e += (double) pcm[i] * pcm[i];
            }
            level[b] = 10 * Math.log10(e / block / (32768.0 * 32768.0) + 1e-12);
        }
        double[] sorted = level.clone();
        java.util.Arrays.sort(sorted);
        double floor = Math.max(sorted[n / 10], -90);
        double peak = sorted[n - 1];
        double threshold = Math.max(floor + 12, peak - 40);
        // Speech starts at the first of three consecutive blocks over the threshold.
        int onset = 0;
        for (int b = 0; b + 2 < n; b++) {
            if (level[b] >= threshold && level[b + 1] >= threshold && level[b + 2] >= threshold) {
                onset = b;
                break;
            }
        }
        // Level of the loudest half of the speech blocks sets the gain.
        double sum = 0;
        int count = 0;
        for (int b = n - 1; b >= 0 && sorted[b] >= threshold && count < n / 2; b--, count++) {
            sum += Math.pow(10, sorted[b] / 10);
        }
        double active = 10 * Math.log10(sum / Math.max(1, count));
        double gain = Math.pow(10, (SPEECH_DBFS - active) / 20);
        short[] out = new short[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(pcm[i] * gain)));
        }
        return new Clip(name, out, onset * block);
    }
}
