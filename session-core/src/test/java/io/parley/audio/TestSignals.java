package io.parley.audio;

import java.util.Random;

/**
 * Deterministic signals for audio tests: a small formant synthesizer that produces
 * speech-like syllables (glottal pulses through vowel resonances, with noise consonants and a
 * syllabic envelope), plus white and pink noise and mixing at a chosen SNR.
 */
public final class TestSignals {

    private static final double[][] VOWELS = {
        {730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}, {530, 1840, 2480}, {570, 840, 2410}, {660, 1720, 2410},
    };

    private TestSignals() {
    }

    /** {@code seconds} of continuous speech-like syllables at about -20 dBFS RMS. */
    public static float[] speech(int rate, double seconds, long seed) {
        Random rnd = new Random(seed);
        int n = (int) Math.round(seconds * rate);
        float[] voiced = new float[n];
        float[] frication = new float[n];
        int pos = 0;
        double f0 = 110 + rnd.nextInt(60);
        while (pos < n) {
            int syllable = (int) ((0.14 + 0.12 * rnd.nextDouble()) * rate);
            int consonant = (int) (0.04 * rate);
            double[] formants = VOWELS[rnd.nextInt(VOWELS.length)];
            // Fricative onset: noise with a crude high-frequency tilt.
            double prev = 0;
            for (int i = 0; i < consonant && pos + i < n; i++) {
                double w = rnd.nextGaussian();
                frication[pos + i] = (float) (w - 0.9 * prev);
                prev = w;
            }
            int start = pos + consonant;
            double[][] state = new double[3][2];
            double phase = 0;
            for (int i = 0; i < syllable && start + i < n; i++) {
                double pitch = f0 * (1 + 0.08 * Math.sin(2 * Math.PI * i / syllable)) * (1 + 0.01 * rnd.nextGaussian());
                phase += pitch / rate;
                double excitation = 0;
                if (phase >= 1) {
                    phase -= 1;
                    excitation = 1;
                }
                // Formants in parallel, each normalised to unit peak gain, so that no band vanishes.
                double y = 0;
                for (int f = 0; f < 3; f++) {
                    y += resonate(state[f], excitation, formants[f], 80 + 40 * f, rate) / (f + 1);
                }
                voiced[start + i] = (float) (Math.sqrt(Math.sin(Math.PI * i / syllable)) * y);
            }
            pos = start + syllable;
        }
        normalise(voiced, 0.1);
        normalise(frication, 0.02);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = voiced[i] + frication[i];
        }
        return out;
    }

    private static double resonate(double[] s, double x, double freq, double bandwidth, int rate) {
        double r = Math.exp(-Math.PI * bandwidth / rate);
        double c = 2 * r * Math.cos(2 * Math.PI * freq / rate);
        // Scaled so that the resonance peak has unit gain whatever the bandwidth.
        double y = (1 - r) * Math.sqrt(1 - 2 * r * Math.cos(4 * Math.PI * freq / rate) + r * r) * x + c * s[0] - r * r * s[1];
        s[1] = s[0];
        s[0] = y;
        return y;
    }

    /** White Gaussian noise at {@code rms} (full scale 1.0). */
    public static float[] white(int n, double rms, long seed) {
        Random rnd = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (rms * rnd.nextGaussian());
        }
        return out;
    }

    /** Pink (1/f) noise at {@code rms}, by Paul Kellet's economy filter on white noise. */
    public static float[] pink(int n, double rms, long seed) {
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
        normalise(out, rms);
        return out;
    }

    /** Scales {@code x} in place to the given RMS. */
    public static void normalise(float[] x, double rms) {
        double sum = 0;
        for (float v : x) {
            sum += v * v;
        }
        double cur = Math.sqrt(sum / Math.max(1, x.length));
        if (cur > 0) {
            float g = (float) (rms / cur);
            for (int i = 0; i < x.length; i++) {
                x[i] *= g;
            }
        }
    }

    /** RMS of the non-silent part of {@code x} (samples of a 20 ms block above -60 dBFS). */
    public static double activeRms(float[] x, int rate) {
        int block = rate / 50;
        double sum = 0;
        long count = 0;
        for (int b = 0; b + block <= x.length; b += block) {
            double e = 0;
            for (int i = b; i < b + block; i++) {
                e += x[i] * x[i];
            }
            if (e / block > 1e-6) {
                sum += e;
                count += block;
            }
        }
        return count == 0 ? 0 : Math.sqrt(sum / count);
    }

    /** Converts to PCM16 with saturation. */
    public static short[] pcm(float[] x) {
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            long v = Math.round(x[i] * 32767.0);
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return out;
    }

    /** Sum of {@code a} and {@code b} scaled so that active {@code a} is {@code snrDb} above {@code b}. */
    public static float[] mix(float[] a, float[] b, double snrDb, int rate) {
        double sa = activeRms(a, rate);
        double sb = Math.sqrt(energy(b) / b.length);
        float g = (float) (sa / sb / Math.pow(10, snrDb / 20));
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + g * b[i % b.length];
        }
        return out;
    }

    private static double energy(float[] x) {
        double e = 0;
        for (float v : x) {
            e += v * v;
        }
        return e;
    }

    /** {@code parts} concatenated (PCM samples). */
    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** {@code parts} concatenated. */
    public static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
