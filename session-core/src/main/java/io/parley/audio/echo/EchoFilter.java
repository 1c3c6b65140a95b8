package io.parley.audio.echo;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * The linear part of {@link AdaptiveEchoCanceller}: a partitioned-block frequency-domain NLMS
 * filter that predicts the echo from the far end and subtracts it. Overlap-save on a
 * power-of-two transform (JTransforms allocates per call for other sizes): each block of
 * {@code n} samples is predicted from the last {@code fft} samples of the far end by
 * partitions of {@code span * n} taps each, and one partition's time-domain constraint is
 * applied per block in turn. Nothing after it suppresses anything, so a user talking over the
 * echo comes out at once; what is left of the echo is judged by {@link ResidueJudge}.
 *
 * <p>{@link #cancel} predicts and subtracts; {@link #adapt} then learns from that block's
 * error by a share of the full step, so the block can first be judged. Band energies (mean
 * square, full scale 32768) of the error, the prediction and the far end come with each block.
 * Allocates nothing after construction.
 */
final class EchoFilter {

    /** Step size of the normalized update: fast enough to follow a room within a few seconds of speech. */
    private static final float MU = 0.5f;
    /** Regularization of the normalization, per bin and sample of the transform (quiet far end: no step). */
    private static final float DELTA = 1e4f;

    private final int n;
    private final int fft;
    private final int span;
    private final int partitions;
    private final FloatFFT_1D transform;
    /** Far-end spectra of the last {@code partitions * span} blocks, newest at {@link #head}. */
    private final float[][] x;
    private final float[][] w;
    /** Per bin, the far end's power summed over all spectra kept ({@code span} times what the partitions use). */
    private final float[] xPower;
    private final float[] farTime;
    private final float[] work;
    private final float[] err;
    private final float[] errSpec;
    private final float[] echoSpec;
    private final int[] firstBin;
    private final int[] endBin;
    private final float bandScale;
    final float[] errBands;
    final float[] echoBands;
    final float[] farBands;
    private int head;
    private int constrainNext;

    /**
     * @param blockSamples samples per block (20 ms at the near end's rate)
     * @param pathSamples  longest echo path followed, in samples (delay plus reverberation)
     * @param sampleRate   the near end's rate
     * @param edgesHz      band edges for the band energies
     */
    EchoFilter(int blockSamples, int pathSamples, int sampleRate, double[] edgesHz) {
        this.n = blockSamples;
        int size = Integer.highestOneBit(3 * blockSamples - 1);
        this.fft = size < 3 * blockSamples - 1 ? size << 1 : size;
        this.span = (fft - n + 1) / n;
        this.partitions = Math.max(1, (pathSamples + span * n - 1) / (span * n));
        this.transform = new FloatFFT_1D(fft);
        this.x = new float[partitions * span][fft];
        this.w = new float[partitions][fft];
        this.xPower = new float[fft / 2 + 1];
        this.farTime = new float[fft];
        this.work = new float[fft];
        this.err = new float[n];
        this.errSpec = new float[fft];
        this.echoSpec = new float[fft];
        int bands = edgesHz.length - 1;
        this.firstBin = new int[bands];
        this.endBin = new int[bands];
        for (int b = 0; b < bands; b++) {
            firstBin[b] = Math.max(1, (int) Math.round(edgesHz[b] * fft / sampleRate));
            endBin[b] = Math.min(fft / 2, Math.max(firstBin[b] + 1, (int) Math.round(edgesHz[b + 1] * fft / sampleRate)));
        }
        // Parseval for n samples zero-padded to the transform: |X|^2 summed over one side is fft * n / 2 mean squares.
        this.bandScale = (float) (2.0 / ((double) fft * n * 32768.0 * 32768.0));
        this.errBands = new float[bands];
        this.echoBands = new float[bands];
        this.farBands = new float[bands];
    }

    /** Samples per block. */
    int blockSamples() {
        return n;
    }

    /** The last block's error: the near end without the predicted echo. */
    float[] error() {
        return err;
    }

    /**
     * Takes the far end of one block ({@code far[farFrom, farFrom + n)}) and the near end
     * captured with it ({@code near[nearFrom, nearFrom + n)}), and writes the near end
     * without the predicted echo to {@link #error()}.
     */
    void cancel(short[] far, int farFrom, short[] near, int nearFrom) {
        System.arraycopy(farTime, n, farTime, 0, fft - n);
        for (int i = 0; i < n; i++) {
            farTime[fft - n + i] = far[farFrom + i];
        }
        int slots = x.length;
        head = (head + slots - 1) % slots;
        float[] newest = x[head];
        // The oldest spectrum leaves the power sum, the new one comes in.
        power(newest, -1);
        System.arraycopy(farTime, 0, newest, 0, fft);
        transform.realForward(newest);
        power(newest, 1);
        bandsOfBlock(newest, farBands, (float) n / fft);
        java.util.Arrays.fill(work, 0f);
        for (int p = 0; p < partitions; p++) {
            multiplyAdd(w[p], x[(head + p * span) % slots], work);
        }
        transform.realInverse(work, true);
        java.util.Arrays.fill(echoSpec, 0, fft - n, 0f);
        for (int i = 0; i < n; i++) {
            float y = work[fft - n + i];
            echoSpec[fft - n + i] = y;
            err[i] = near[nearFrom + i] - y;
        }
        transform.realForward(echoSpec);
        bandsOfBlock(echoSpec, echoBands, 1f);
        java.util.Arrays.fill(errSpec, 0, fft - n, 0f);
        System.arraycopy(err, 0, errSpec, fft - n, n);
        transform.realForward(errSpec);
        bandsOfBlock(errSpec, errBands, 1f);
    }

    /** Learns from the last block's error by {@code step} (0 to 1) of the full step. */
    void adapt(float step) {
        if (step <= 0) {
            return;
        }
        int slots = x.length;
        int half = fft / 2;
        // Normalized by the power the partitions see: the sum over all kept spectra over span.
        step *= span;
        for (int p = 0; p < partitions; p++) {
            float[] xp = x[(head + p * span) % slots];
            float[] wp = w[p];
            // Bins 0 and fft/2 are real, packed in [0] and [1].
            wp[0] += step * MU * xp[0] * errSpec[0] / (xPower[0] + DELTA * fft);
            wp[1] += step * MU * xp[1] * errSpec[1] / (xPower[half] + DELTA * fft);
            for (int k = 1; k < half; k++) {
                float xr = xp[2 * k];
                float xi = xp[2 * k + 1];
                float er = errSpec[2 * k];
                float ei = errSpec[2 * k + 1];
                float g = step * MU / (xPower[k] + DELTA * fft);
                wp[2 * k] += (xr * er + xi * ei) * g;
                wp[2 * k + 1] += (xr * ei - xi * er) * g;
            }
        }
        // Keep one partition to its taps (the rest of its transform would wrap around).
        float[] wc = w[constrainNext];
        transform.realInverse(wc, true);
        java.util.Arrays.fill(wc, span * n, fft, 0f);
        transform.realForward(wc);
        constrainNext = (constrainNext + 1) % partitions;
    }

    /** Forgets the echo path and the far end. */
    void reset() {
        for (float[] a : x) {
            java.util.Arrays.fill(a, 0f);
        }
        for (float[] a : w) {
            java.util.Arrays.fill(a, 0f);
        }
        java.util.Arrays.fill(xPower, 0f);
        java.util.Arrays.fill(farTime, 0f);
        java.util.Arrays.fill(err, 0f);
        java.util.Arrays.fill(errSpec, 0f);
        java.util.Arrays.fill(errBands, 0f);
        java.util.Arrays.fill(echoBands, 0f);
        java.util.Arrays.fill(farBands, 0f);
        head = 0;
        constrainNext = 0;
    }

    private void power(float[] spec, int sign) {
        int half = fft / 2;
        xPower[0] = Math.max(0f, xPower[0] + sign * spec[0] * spec[0]);
        xPower[half] = Math.max(0f, xPower[half] + sign * spec[1] * spec[1]);
        for (int k = 1; k < half; k++) {
            float r = spec[2 * k];
            float i = spec[2 * k + 1];
            xPower[k] = Math.max(0f, xPower[k] + sign * (r * r + i * i));
        }
    }

    private void bandsOfBlock(float[] spec, float[] out, float scale) {
        for (int b = 0; b < out.length; b++) {
            float s = 0;
            for (int k = firstBin[b]; k < endBin[b]; k++) {
                s += spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1];
            }
            out[b] = s * bandScale * scale;
        }
    }

    private void multiplyAdd(float[] a, float[] b, float[] acc) {
        acc[0] += a[0] * b[0];
        acc[1] += a[1] * b[1];
        for (int k = 1; k < fft / 2; k++) {
            float ar = a[2 * k];
            float ai = a[2 * k + 1];
            float br = b[2 * k];
            float bi = b[2 * k + 1];
            acc[2 * k] += ar * br - ai * bi;
            acc[2 * k + 1] += ar * bi + ai * br;
        }
    }
}
