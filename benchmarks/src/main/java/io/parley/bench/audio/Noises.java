package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import java.util.List;
import java.util.Random;

/** The noises speech is mixed with in the evaluations, generated deterministically. */
final class Noises {

    private Noises() {
    }

    /** Pink (1/f) noise, Paul Kellet's economy filter on Gaussian white noise, unit RMS. */
    static float[] pink(int n, long seed) {
        Random rnd = new Random(seed);
        float[] out = new float[n];
        double b0 = 0, b1 = 0, b2 = 0;
        for (int i = 0; i < n; i++) {
            double w = rnd.nextGaussian();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            out[i] = (float) (b0 + b1 + b2 + w * 0.1848);
        }
        return normalise(out);
    }

    /**
     * Babble: {@code talkers} streams of speech, each the given clips in a random order back to
     * back at random offsets, summed; unit RMS.
     */
    static float[] babble(int n, List<AudioClip> clips, int talkers, long seed) {
        Random rnd = new Random(seed);
        float[] out = new float[n];
        for (int t = 0; t < talkers; t++) {
            int pos = -rnd.nextInt(16_000 * 3);
            while (pos < n) {
                AudioClip c = clips.get(rnd.nextInt(clips.size()));
                short[] s = c.samples();
                for (int i = 0; i < s.length; i++) {
                    int k = pos + i;
                    if (k >= 0 && k < n) {
                        out[k] += s[i] / 32768f;
                    }
                }
                pos += s.length + rnd.nextInt(1600);
            }
        }
        return normalise(out);
    }

    /**
     * Clicks and pops: about four per second, each a 2-6 ms decaying noise burst, over a faint
     * hiss 40 dB below them so the background is never digital silence; unit RMS.
     */
    static float[] clicks(int n, long seed) {
        Random rnd = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (0.01 * rnd.nextGaussian());
        }
        int pos = 0;
        while (true) {
            pos += (int) (-Math.log(1 - rnd.nextDouble()) * 4000);
            if (pos >= n) {
                break;
            }
            int len = 32 + rnd.nextInt(64);
            double amp = 0.5 + rnd.nextDouble();
            for (int i = 0; i < len && pos + i < n; i++) {
                out[pos + i] += (float) (amp * Math.exp(-5.0 * i / len) * rnd.nextGaussian());
            }
        }
        return normalise(out);
    }

    private static float[] normalise(float[] x) {
        double e = 0;
        for (float v : x) {
            e += v * v;
        }
        float g = (float) (1 / Math.sqrt(e / x.length));
        for (int i = 0; i < x.length; i++) {
            x[i] *= g;
        }
        return x;
    }
}
