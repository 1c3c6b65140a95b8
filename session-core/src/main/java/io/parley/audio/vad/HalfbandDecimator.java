package io.parley.audio.vad;

/**
 * Halves a sample rate with a windowed-sinc half-band low-pass filter: every other tap is
 * zero, so each output costs seven multiplications. DspVad only looks at 150 Hz to 4 kHz;
 * analysing 16 kHz audio at 8 kHz halves its FFT, the largest cost per frame. The response is
 * flat to 3 kHz, -6 dB at the new Nyquist frequency and -39 dB 1 kHz above it, so a little of
 * what lies just above that frequency folds back; a fixed gain per frequency does not change the detector's
 * per-bin signal-to-noise ratios, so neither matters to it. Not thread-safe; allocates only
 * when a block longer than any before arrives.
 *
 * <p>The filter runs in polyphase form. Output {@code n} is centred on input {@code 2n}, whose
 * neighbours at odd offsets are the inputs {@code 2m + 1}: the samples are converted from PCM
 * and split by parity into two arrays as they arrive, so that the filter loop reads both with
 * unit stride and constant offsets, which the JIT turns into vector instructions.
 */
final class HalfbandDecimator {

    /** Taps on each side of the centre; the odd ones among them are non-zero. */
    private static final int HALF = 11;
    /** Odd-phase inputs an output reaches back to, before the one right after its centre. */
    private static final int ODD_BEFORE = (HALF + 1) / 2;
    /** Odd-phase inputs an output's window spans. */
    private static final int ODD_SPAN = HALF + 1;

    /** Coefficients of the centre and of the odd offsets 1, 3, ..., 11. */
    private final float centre;
    private final float c1;
    private final float c3;
    private final float c5;
    private final float c7;
    private final float c9;
    private final float c11;
    /** Even-phase inputs from the next output's centre on. */
    private float[] even;
    private int evenLen;
    /** Odd-phase inputs from {@link #ODD_BEFORE} before the next output's centre on. */
    private float[] odd;
    private int oddLen;
    /** Whether the next input is an odd-phase one. */
    private boolean oddNext;

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
        even = new float[HALF + 512];
        odd = new float[HALF + 512];
        reset();
    }

    /**
     * Decimates {@code frames} frames of interleaved PCM from {@code pcm} (its channels summed,
     * then multiplied by {@code scale}), which continue the input of earlier calls, into
     * {@code out}; returns how many output samples were written (about half of
     * {@code frames}, the phase carrying over between calls). {@code out} must hold
     * {@code frames / 2 + 1}.
     */
    int process(short[] pcm, int frames, int channels, float scale, float[] out) {
        int room = frames / 2 + 1;
        if (odd.length < ODD_SPAN + room) {
            even = java.util.Arrays.copyOf(even, ODD_SPAN + room);
            odd = java.util.Arrays.copyOf(odd, ODD_SPAN + room);
        }
        float[] e = even;
        float[] o = odd;
        int i = 0;
        if (oddNext && frames > 0) {
            o[oddLen++] = sample(pcm, 0, channels) * scale;
            i = 1;
        }
        int pairs = (frames - i) / 2;
        if (channels == 1) {
            for (int k = 0; k < pairs; k++) {
                e[evenLen + k] = pcm[i + 2 * k] * scale;
                o[oddLen + k] = pcm[i + 2 * k + 1] * scale;
            }
        } else {
            for (int k = 0; k < pairs; k++) {
                e[evenLen + k] = sample(pcm, i + 2 * k, channels) * scale;
                o[oddLen + k] = sample(pcm, i + 2 * k + 1, channels) * scale;
            }
        }
        evenLen += pairs;
        oddLen += pairs;
        i += 2 * pairs;
        oddNext = false;
        if (i < frames) {
            e[evenLen++] = sample(pcm, i, channels) * scale;
            oddNext = true;
        }
        // Output n needs the odd-phase inputs up to the one HALF after its centre.
        int produced = Math.max(0, oddLen - (ODD_SPAN - 1));
        for (int k = 0; k < produced; k++) {
            out[k] = centre * e[k]
                    + c1 * (o[k + 6] + o[k + 5]) + c3 * (o[k + 7] + o[k + 4])
                    + c5 * (o[k + 8] + o[k + 3]) + c7 * (o[k + 9] + o[k + 2])
                    + c9 * (o[k + 10] + o[k + 1]) + c11 * (o[k + 11] + o[k]);
        }
        System.arraycopy(e, produced, e, 0, evenLen - produced);
        evenLen -= produced;
        System.arraycopy(o, produced, o, 0, oddLen - produced);
        oddLen -= produced;
        return produced;
    }

    private static int sample(short[] pcm, int frame, int channels) {
        int v = 0;
        for (int c = 0, j = frame * channels; c < channels; c++) {
            v += pcm[j + c];
        }
        return v;
    }

    /** Back to an input history of zeros. */
    void reset() {
        // The first output is centred on the fifth-last zero before the input, as if the
        // stream had always been running.
        java.util.Arrays.fill(even, 0f);
        java.util.Arrays.fill(odd, 0f);
        evenLen = ODD_BEFORE - 1;
        oddLen = ODD_SPAN - 1;
        oddNext = false;
    }
}
