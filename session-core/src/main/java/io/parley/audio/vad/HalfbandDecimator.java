package io.parley.audio.vad;

/**
 * Halves a sample rate with a windowed-sinc half-band low-pass filter: every other tap is
 * zero, so each output costs seven multiplications. DspVad only looks at 150 Hz to 4 kHz;
 * analysing 16 kHz audio at 8 kHz halves its FFT, the largest cost per frame. The response is
 * flat to 3 kHz, -6 dB at the new Nyquist frequency and -39 dB 1 kHz above it, so a little of
 * what lies just above that frequency folds back; a fixed gain per frequency does not change the detector's
 * per-bin signal-to-noise ratios, so neither matters to it.
 *
 * <p>Polyphase: each output's centre tap is an even-numbered input and all its other non-zero
 * taps are odd-numbered ones, so the inputs are kept as two arrays, one per parity, and every
 * output reads both at unit stride. The filter loop then has no stride-2 access, and the JIT
 * computes several outputs per vector instruction. Not thread-safe; allocates only when a
 * block longer than any before (and than 20 ms at 16 kHz) arrives.
 */
final class HalfbandDecimator {

    /** Taps on each side of the centre; the odd ones among them are non-zero. */
    private static final int HALF = 11;
    /** Odd-numbered inputs an output reaches back to before its centre, and ahead after it. */
    private static final int ODD_BEFORE = (HALF + 1) / 2;
    private static final int ODD_SPAN = 2 * ODD_BEFORE;
    private static final int INITIAL_BLOCK = 320;

    /** Coefficients of the centre and of the odd offsets 1, 3, ..., 11. */
    private final float centre;
    private final float c1;
    private final float c3;
    private final float c5;
    private final float c7;
    private final float c9;
    private final float c11;
    /** Even-numbered inputs from the next output's centre on. */
    private float[] even = new float[ODD_SPAN + INITIAL_BLOCK / 2];
    private int evenCount;
    /** Odd-numbered inputs from {@link #ODD_BEFORE} before the next output's centre on. */
    private float[] odd = new float[ODD_SPAN + INITIAL_BLOCK / 2];
    private int oddCount;
    /** Whether the next input is even-numbered. */
    private boolean nextEven;

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
        reset();
    }

    /**
     * Decimates {@code frames} sample frames of {@code in} ({@code channels} interleaved
     * channels, summed and multiplied by {@code scale}), which continue the input of earlier
     * calls, into {@code out} from {@code outOffset}; returns how many output samples were
     * written (about half of {@code frames}, the phase carrying over between calls).
     * {@code out} must hold {@code frames / 2 + 1} from {@code outOffset}. The samples are
     * converted straight into the filter's history, so a frame is read once and no
     * intermediate copy of it is kept.
     */
    int process(short[] in, int frames, int channels, float scale, float[] out, int outOffset) {
        int room = frames / 2 + 1;
        if (odd.length < ODD_SPAN + room) {
            even = java.util.Arrays.copyOf(even, ODD_SPAN + room);
            odd = java.util.Arrays.copyOf(odd, ODD_SPAN + room);
        }
        float[] e = even;
        float[] o = odd;
        int first = nextEven ? 0 : 1;
        evenCount = split(in, first, frames, channels, scale, e, evenCount);
        oddCount = split(in, 1 - first, frames, channels, scale, o, oddCount);
        if ((frames & 1) != 0) {
            nextEven = !nextEven;
        }
        // An output is due once the last odd input its window reaches has come.
        int count = Math.max(0, oddCount - (ODD_SPAN - 1));
        for (int j = 0; j < count; j++) {
            out[outOffset + j] = centre * e[j]
                    + c1 * (o[j + 5] + o[j + 6]) + c3 * (o[j + 4] + o[j + 7])
                    + c5 * (o[j + 3] + o[j + 8]) + c7 * (o[j + 2] + o[j + 9])
                    + c9 * (o[j + 1] + o[j + 10]) + c11 * (o[j] + o[j + 11]);
        }
        System.arraycopy(e, count, e, 0, evenCount - count);
        evenCount -= count;
        System.arraycopy(o, count, o, 0, oddCount - count);
        oddCount -= count;
        return count;
    }

    /** Appends every second sample frame of {@code in} from {@code from}, mixed to mono and scaled, to {@code to[at..]}. */
    private static int split(short[] in, int from, int frames, int channels, float scale, float[] to, int at) {
        if (channels == 1) {
            for (int i = from; i < frames; i += 2) {
                to[at++] = in[i] * scale;
            }
        } else {
            for (int i = from; i < frames; i += 2) {
                int v = 0;
                for (int c = 0, j = i * channels; c < channels; c++) {
                    v += in[j + c];
                }
                to[at++] = v * scale;
            }
        }
        return at;
    }

    /** Forgets the input: the next one is preceded by silence. */
    void reset() {
        java.util.Arrays.fill(even, 0f);
        java.util.Arrays.fill(odd, 0f);
        // The first output is centred 10 inputs before the second input, all of them silence.
        evenCount = (HALF - 1) / 2;
        oddCount = HALF;
        nextEven = true;
    }
}
