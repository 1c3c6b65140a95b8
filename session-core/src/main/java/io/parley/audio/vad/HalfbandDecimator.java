package io.parley.audio.vad;

/**
 * Halves a sample rate with a windowed-sinc half-band low-pass filter: every other tap is
 * zero, so each output costs seven multiplications. DspVad only looks at 150 Hz to 4 kHz;
 * analysing 16 kHz audio at 8 kHz halves its FFT, the largest cost per frame. The response is
 * flat to 3 kHz, -6 dB at the new Nyquist frequency and -39 dB 1 kHz above it, so a little of
 * what lies just above that frequency folds back; a fixed gain per frequency does not change the detector's
 * per-bin signal-to-noise ratios, so neither matters to it. Not thread-safe; allocates only
 * when a block longer than any before (and than 20 ms at 16 kHz) arrives.
 */
final class HalfbandDecimator {

    /** Taps on each side of the centre; the odd ones among them are non-zero. */
    private static final int HALF = 11;
    private static final int TAPS = 2 * HALF + 1;
    /** Inputs before the newest that an output's window reaches back to. */
    private static final int HISTORY = TAPS - 1;

    /** Coefficients of the centre and of the odd offsets 1, 3, ..., 11. */
    private final float centre;
    private final float c1;
    private final float c3;
    private final float c5;
    private final float c7;
    private final float c9;
    private final float c11;
    /** The last HISTORY inputs, then the block being decimated; sized for 20 ms at 16 kHz. */
    private float[] buf = new float[HISTORY + 320];
    /** Whether an odd number of inputs has been seen, so the next one completes an output. */
    private boolean pending;

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
     * Decimates {@code frames} sample frames of {@code in} ({@code channels} interleaved
     * channels, summed and multiplied by {@code scale}), which continue the input of earlier
     * calls, into {@code out} from {@code outOffset}; returns how many output samples were
     * written (about half of {@code frames}, the phase carrying over between calls).
     * {@code out} must hold {@code frames / 2 + 1} from {@code outOffset}. The samples are
     * converted straight into the filter's history, so a frame is read once and no
     * intermediate copy of it is kept; the buffer only grows when a longer block than before
     * arrives.
     */
    int process(short[] in, int frames, int channels, float scale, float[] out, int outOffset) {
        if (buf.length < HISTORY + frames) {
            buf = java.util.Arrays.copyOf(buf, HISTORY + frames);
        }
        float[] b = buf;
        DspVadStream.toMono(in, frames, channels, scale, b, HISTORY);
        int end = HISTORY + frames;
        int produced = outOffset;
        // An output is due on every second input; the newest input of its window is t.
        for (int t = pending ? HISTORY : HISTORY + 1; t < end; t += 2) {
            int mid = t - HALF;
            out[produced++] = centre * b[mid]
                    + c1 * (b[mid - 1] + b[mid + 1]) + c3 * (b[mid - 3] + b[mid + 3])
                    + c5 * (b[mid - 5] + b[mid + 5]) + c7 * (b[mid - 7] + b[mid + 7])
                    + c9 * (b[mid - 9] + b[mid + 9]) + c11 * (b[mid - 11] + b[mid + 11]);
        }
        if ((frames & 1) != 0) {
            pending = !pending;
        }
        System.arraycopy(b, frames, b, 0, HISTORY);
        return produced - outOffset;
    }

    void reset() {
        java.util.Arrays.fill(buf, 0f);
        pending = false;
    }
}
