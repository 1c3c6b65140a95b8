package io.parley.audio.echo;

import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Real recorded voices (Debian's pocketsphinx-testdata) for the echo canceller's tests, and where their speech starts. */
final class Recorded {

    static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final Path DATA = Path.of("/usr/share/pocketsphinx/test/data");

    private Recorded() {
    }

    /** The recording {@code name}, 16 kHz mono. */
    static short[] recording(String name) throws IOException {
        Path p = DATA.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "Debian package pocketsphinx-testdata is not installed: " + p);
        return Wav.readRaw(p, F).samples();
    }

    /** The WAV recording {@code name}, at 16 kHz mono. */
    static short[] wav(String name) throws IOException {
        return Wav.read(DATA.resolve(name)).resample(F.sampleRate()).samples();
    }

    /** Milliseconds into {@code x} of the first 10 ms within 30 dB of its loudest: where speech starts. */
    static int onsetMillis(short[] x) {
        int block = F.samplesFor(10);
        double peak = 0;
        double[] level = new double[x.length / block];
        for (int b = 0; b < level.length; b++) {
            for (int i = b * block; i < (b + 1) * block; i++) {
                level[b] += (double) x[i] * x[i];
            }
            peak = Math.max(peak, level[b]);
        }
        for (int b = 0; b < level.length; b++) {
            if (level[b] >= peak / 1000) {
                return b * 10;
            }
        }
        return 0;
    }
}
