package io.parley.audio.vad;

/**
 * Halves a sample rate with a windowed-sinc half-band low-pass filter: every other tap is
 * zero, so each output costs seven multiplications. DspVad only looks at 150 Hz to 4 kHz;
 * analysing 16 kHz audio at 8 kHz halves its FFT, the largest cost per frame. The response is
 * flat to 3 kHz, -6 dB at the new Nyquist frequency and -39 dB 1 kHz above it, so a little of
 * what lies just above that frequency folds back; a fixed gain per frequency does not change the detector's
 * per-bin signal-to-noise ratios, so neither matters to it. Not thread-safe; no allocation
 * after construction.
 */
final class HalfbandDecimator {

    /** Taps on each side of the centre; the odd ones among them are non-zero. */
    private static final int HALF = 11;
    private static final int TAPS = 2 * HALF + 1;

    /** Coefficients of the centre and of the odd offsets 1, 3, ..., 11. */
    private final float centre;
    private final float c1;
    private final float c3;
    private final float c5;
    private final float c7;
    private final float c9;
    private final float c11;
    private float out;
    /** The last TAPS inputs, written twice so that a window of them is always contiguous. */
    private final float[] line = new float[2 * TAPS];
    private int pos;
    private boolean skip;

    HalfbandDecimator() {
        double sum = 0.5;
        double[] c = new double[(HALF + 1) / 2];
        for (int j = 0; j < c.length; j++) {
            int m = 2 * j + 1;
            double sinc = Math.sin(Math.PI * m / 2) / (Math.PI * m);
            double window = 0.5 + 0.5 * Math.cos(Math.PI * m / (HALF + 1));
            c[j] = sinc * window;
            sum += 2 * c[j];
        }
        // Unit gain at 0 Hz.
        centre = (float) (0.5 / sum);
        c1 = (float) (c[0] / sum);
        c3 = (float) (c[1] / sum);
        c5 = (float) (c[2] / sum);
        c7 = (float) (c[3] / sum);
        c9 = (float) (c[4] / sum);
        c11 = (float) (c[5] / sum);
    }

    /**
     * Feeds one input sample; returns whether it completed an output sample, which
     * {@link #output()} then returns.
     */
    boolean accept(float x) {
        float[] l = line;
        int p = pos;
        l[p] = x;
        l[p + TAPS] = x;
        p = p + 1 == TAPS ? 0 : p + 1;
        pos = p;
        skip = !skip;
        if (skip) {
            return false;
        }
        // l[p .. p + TAPS) holds the inputs oldest first; its middle is the centre tap.
        int mid = p + HALF;
        out = centre * l[mid]
                + c1 * (l[mid - 1] + l[mid + 1]) + c3 * (l[mid - 3] + l[mid + 3])
                + c5 * (l[mid - 5] + l[mid + 5]) + c7 * (l[mid - 7] + l[mid + 7])
                + c9 * (l[mid - 9] + l[mid + 9]) + c11 * (l[mid - 11] + l[mid + 11]);
        return true;
    }

    /** The output sample completed by the last {@link #accept(float)} that returned true. */
    float output() {
        return out;
    }

    void reset() {
        java.util.Arrays.fill(line, 0f);
        pos = 0;
        skip = false;
    }
}
