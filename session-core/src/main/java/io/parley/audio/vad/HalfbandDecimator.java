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
        // An output is due on every second input; the newest input of output j's window is
        // first + 2 j, its centre tap HALF inputs earlier, its other taps on the other parity.
        int first = pending ? HISTORY : HISTORY + 1;
        int count = Math.max(0, (end - first + 1) / 2);
        int phase = first - HISTORY;
        // The inputs split by parity, so that the filter below reads both with unit stride
        // and the JIT vectorises it: a stride-2 loop stays scalar, and was the largest part of
        // the decimation. sides[q] is input phase + 2 q (the other taps of output j are
        // sides[j] to sides[j + HALF]), centres[j] the centre tap of output j.
        float[] sides = work.sides;
        float[] centres = work.centres;
        for (int q = 0, i = phase; q < count + HALF; q++, i += 2) {
            sides[q] = b[i];
        }
        for (int j = 0, i = phase + HALF; j < count; j++, i += 2) {
            centres[j] = b[i];
        }
        // The same sum in the same order as over the interleaved inputs, so every output has
        // the same bits: centre, then the symmetric pairs from the innermost out.
        for (int j = 0; j < count; j++) {
            out[outOffset + j] = centre * centres[j]
                    + c1 * (sides[j + 5] + sides[j + 6]) + c3 * (sides[j + 4] + sides[j + 7])
                    + c5 * (sides[j + 3] + sides[j + 8]) + c7 * (sides[j + 2] + sides[j + 9])
                    + c9 * (sides[j + 1] + sides[j + 10]) + c11 * (sides[j] + sides[j + 11]);
        }
        if ((frames & 1) != 0) {
            pending = !pending;
        }
        System.arraycopy(b, frames, history, 0, HISTORY);
        return count;
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
        /** The block's inputs of the parity of the outputs' outer taps. */
        private float[] sides = new float[0];
        /** The outputs' centre taps. */
        private float[] centres = new float[0];

        Work() {
            ensure(320);
        }

        private void ensure(int frames) {
            if (block.length < HISTORY + frames) {
                block = new float[HISTORY + frames];
                sides = new float[frames / 2 + 1 + HALF];
                centres = new float[frames / 2 + 1];
            }
        }
    }
}
