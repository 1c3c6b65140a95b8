package io.parley.audio.echo;

import io.parley.audio.AudioFormat;
import java.util.Random;

/** Test signals for echo suppression: a voiced, syllable-like talker at 16 kHz. */
public final class SyntheticTalker {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;

    private SyntheticTalker() {
    }

    /** Voiced "syllables" of random pitch and length with short gaps, about -20 dBFS. */
    public static short[] talker(long seed, double seconds, double minF0, double maxF0) {
        Random r = new Random(seed);
        short[] out = new short[(int) (seconds * F.sampleRate())];
        int pos = 0;
        while (pos < out.length) {
            int len = F.samplesFor(120 + r.nextInt(200));
            double f0 = minF0 + r.nextDouble() * (maxF0 - minF0);
            double phase = 0;
            for (int i = 0; i < len && pos + i < out.length; i++) {
                double env = Math.sin(Math.PI * i / len);
                phase += 2 * Math.PI * f0 / F.sampleRate();
                double v = 0;
                for (int h = 1; h <= 12; h++) {
                    v += Math.sin(h * phase) / h;
                }
                out[pos + i] = (short) (3000 * env * v);
            }
            pos += len + F.samplesFor(30 + r.nextInt(150));
        }
        return out;
    }

    /** {@code far} as heard back {@code delayMs} late, at about -10 dB with a short decaying tail, plus quiet noise. */
    public static short[] echoOf(short[] far, long seed, int delayMs) {
        Random r = new Random(seed);
        int delay = F.samplesFor(delayMs);
        int[] taps = {0, 80, 230, 470, 900, 1500};
        double[] gains = {0.25, 0.12, -0.09, 0.06, -0.04, 0.02};
        short[] out = new short[far.length];
        for (int i = 0; i < far.length; i++) {
            double v = (r.nextDouble() * 2 - 1) * 30;
            for (int k = 0; k < taps.length; k++) {
                int j = i - delay - taps[k];
                if (j >= 0) {
                    v += gains[k] * far[j];
                }
            }
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return out;
    }
}
