package io.parley.audio.vad;

/**
 * Halves a sample rate with a windowed-sinc half-band low-pass filter: every other tap is
 * zero, so each output costs seven multiplications. DspVad only looks at 150 Hz to 4 kHz;
 * analysing 16 kHz audio at 8 kHz halves its FFT, the largest cost per frame. The response is
 * flat to 3 kHz, -6 dB at the new Nyquist frequency and -39 dB 1 kHz above it, so a little of
 * what lies just above that frequency folds back; a fixed gain per frequency does not change the detector's
 * per-bin signal-to-noise ratios, so neither matters to it.
 *
 * <p>Each stream keeps only the last inputs its next outputs reach back to; the block being
 * decimated is worked on in a {@link Work} that the caller shares between streams (one per
 * thread), so that a stream's own state stays small where thousands of streams share a
 * core's caches. Not thread-safe; allocates only when a block longer than any before (and
 * than 20 ms at 16 kHz) arrives in a {@link Work}.
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
    /** The last HISTORY inputs, oldest first. */
    private final float[] history = new float[HISTORY];
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
     * {@code out} must hold {@code frames / 2 + 1} from {@code outOffset}.
     */
    int process(short[] in, int frames, int channels, float scale, float[] out, int outOffset, Work work) {
        work.ensure(frames);
        float[] b = work.block;
        System.arraycopy(history, 0, b, 0, HISTORY);
        DspVadStream.toMono(in, frames, channels, scale, b, HISTORY);
        int end = HISTORY + frames;
        // An output is due on every second input; the newest input of its window is t. (A
        // version that split the inputs by parity, so the filter read them with unit stride,
        // was slower: C2 in JDK 17 does not vectorise a loop that reads one array at several
        // offsets, and the split cost more than it saved.)
        int first = pending ? HISTORY : HISTORY + 1;
        int produced = outOffset;
        for (int t = first; t < end; t += 2) {
            int mid = t - HALF;
            out[produced++] = centre * b[mid]
                    + c1 * (b[mid - 1] + b[mid + 1]) + c3 * (b[mid - 3] + b[mid + 3])
                    + c5 * (b[mid - 5] + b[mid + 5]) + c7 * (b[mid - 7] + b[mid + 7])
                    + c9 * (b[mid - 9] + b[mid + 9]) + c11 * (b[mid - 11] + b[mid + 11]);
        }
        if ((frames & 1) != 0) {
            pending = !pending;
        }
        System.arraycopy(b, frames, history, 0, HISTORY);
        return produced - outOffset;
    }

    void reset() {
        java.util.Arrays.fill(history, 0f);
        pending = false;
    }

    /**
     * Arrays a decimation works in and leaves nothing in that a later call needs: one per
     * thread serves all of its streams. Sized for 20 ms at 16 kHz, grown for a longer block.
     */
    static final class Work {
        /** The history, then the block's inputs as mono floats. */
        private float[] block = new float[0];

        Work() {
            ensure(320);
        }

        private void ensure(int frames) {
            if (block.length < HISTORY + frames) {
                block = new float[HISTORY + frames];
            }
        }
    }
}
