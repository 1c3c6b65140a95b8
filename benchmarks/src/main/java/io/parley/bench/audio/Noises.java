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

    /**
     * Impulsive household sounds over a faint hiss 40 dB below them; unit RMS. About one event
     * every 1.5 s, rotating through: a knock on a door (two or three raps, each a few damped
     * low resonances of 80-300 Hz with a 5 ms noisy attack, 60-120 ms decay), a burst of typing
     * (6-12 key clicks of 3-8 ms, 80-200 ms apart, band-limited noise with a 1-3 kHz ring) and a
     * dropped object (a broadband bang with 150 ms of ringing, then two weaker bounces). These
     * are modelled, not recorded: no Debian package ships such recordings in a usable format.
     */
    static float[] impulsive(int n, int rate, long seed) {
        Random rnd = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (0.01 * rnd.nextGaussian());
        }
        int pos = rate / 2;
        int kind = 0;
        while (pos < n) {
            switch (kind++ % 3) {
                case 0 -> {
                    int raps = 2 + rnd.nextInt(2);
                    for (int r = 0; r < raps; r++) {
                        addKnock(out, pos + r * (rate / 6 + rnd.nextInt(rate / 20)), rate, rnd);
                    }
                }
                case 1 -> {
                    int keys = 6 + rnd.nextInt(7);
                    int at = pos;
                    for (int k = 0; k < keys; k++) {
                        addRing(out, at, rate, 1000 + rnd.nextInt(2000), (3 + rnd.nextInt(6)) * rate / 1000, 0.3 + 0.3 * rnd.nextDouble(), rnd);
                        at += (80 + rnd.nextInt(120)) * rate / 1000;
                    }
                }
                default -> {
                    addRing(out, pos, rate, 400 + rnd.nextInt(1500), rate * 150 / 1000, 1.5, rnd);
                    addRing(out, pos + rate / 5, rate, 600 + rnd.nextInt(1500), rate * 60 / 1000, 0.6, rnd);
                    addRing(out, pos + rate * 32 / 100, rate, 600 + rnd.nextInt(1500), rate * 40 / 1000, 0.3, rnd);
                }
            }
            pos += rate + rnd.nextInt(rate);
        }
        return normalise(out);
    }

    private static void addKnock(float[] out, int at, int rate, Random rnd) {
        double amp = 0.8 + 0.6 * rnd.nextDouble();
        int len = (60 + rnd.nextInt(60)) * rate / 1000;
        double[] freqs = {80 + rnd.nextInt(60), 150 + rnd.nextInt(80), 240 + rnd.nextInt(80)};
        for (int i = 0; i < len && at + i < out.length; i++) {
            double t = (double) i / rate;
            double env = Math.exp(-5.0 * i / len);
            double v = 0;
            for (double f : freqs) {
                v += Math.sin(2 * Math.PI * f * t);
            }
            if (i < rate / 200) {
                v += 2 * rnd.nextGaussian();
            }
            out[at + i] += (float) (amp * env * v / 3);
        }
    }

    /** A noisy excitation through a two-pole resonator at {@code freq}, decaying over {@code len} samples. */
    private static void addRing(float[] out, int at, int rate, double freq, int len, double amp, Random rnd) {
        double r = Math.exp(-4.0 / len);
        double c = 2 * r * Math.cos(2 * Math.PI * freq / rate);
        double y1 = 0, y2 = 0;
        for (int i = 0; i < len && at + i < out.length; i++) {
            double x = i < Math.max(8, len / 10) ? rnd.nextGaussian() : 0;
            double y = x + c * y1 - r * r * y2;
            y2 = y1;
            y1 = y;
            out[at + i] += (float) (amp * 0.2 * y + amp * 0.3 * x * Math.exp(-20.0 * i / len));
        }
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
