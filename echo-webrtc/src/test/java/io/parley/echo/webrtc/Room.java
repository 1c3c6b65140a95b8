package io.parley.echo.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;

/**
 * Real recordings and a simulated speakerphone room for the canceller's tests: what played
 * comes back through the microphone late, attenuated and reverberated (a direct path, then
 * random-sign reflections decaying by 60 dB over the reverberation time).
 */
final class Room {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final Path DATA = Path.of("/usr/share/pocketsphinx/test/data");

    private Room() {
    }

    /** A pocketsphinx-testdata recording (16 kHz mono), or the test is skipped (fails under CI). */
    static short[] recording(String name) throws IOException {
        Path p = DATA.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), "Debian package pocketsphinx-testdata is not installed: " + p);
        return Wav.readRaw(p, FORMAT).samples();
    }

    /**
     * The echo of {@code played} (at {@code rate}, resampled to 16 kHz by picking samples) as the
     * microphone hears it: {@code levelDb} overall, {@code delayMs} late, reverberating for {@code rt60Ms}.
     */
    static float[] echo(short[] played, int rate, int length, double levelDb, int delayMs, int rt60Ms, long seed) {
        Random random = new Random(seed);
        int sr = FORMAT.sampleRate();
        int span = sr * rt60Ms / 1000;
        int[] tapAt = new int[span];
        float[] tapGain = new float[span];
        int taps = 0;
        double energy = 0;
        for (int p = 0; p < span; p += p == 0 ? 48 : 16 + random.nextInt(16)) {
            double amp = p == 0 ? 1 : 0.5 * Math.pow(10, -3.0 * p / span);
            tapAt[taps] = p;
            tapGain[taps++] = (float) (random.nextBoolean() || p == 0 ? amp : -amp);
            energy += amp * amp;
        }
        float scale = (float) (Math.pow(10, levelDb / 20) / Math.sqrt(energy));
        int delay = sr * delayMs / 1000;
        float[] mic = new float[length];
        for (int i = 0; i < length; i++) {
            long src = (long) i * rate / sr;
            if (src >= played.length) {
                break;
            }
            float v = played[(int) src] * scale;
            for (int k = 0; k < taps && i + delay + tapAt[k] < length; k++) {
                mic[i + delay + tapAt[k]] += tapGain[k] * v;
            }
        }
        return mic;
    }

    /** Mean power in dBFS of {@code x[from..to)}. */
    static double dbfs(short[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) x[i] * x[i];
        }
        return 10 * Math.log10(e / Math.max(1, to - from) / (32768.0 * 32768.0) + 1e-20);
    }
}
