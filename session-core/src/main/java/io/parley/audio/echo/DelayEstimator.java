package io.parley.audio.echo;

import java.util.Arrays;

/**
 * Finds how many blocks the echo lags the far-end reference by matching binary spectra (one
 * bit per band: above or below that band's running mean level), as WebRTC's delay estimator
 * does: the lag whose far-end spectra have, on average, the fewest bits different from the
 * near end's is the echo path delay. Cheap (one XOR and bit count per candidate lag and block)
 * and insensitive to the echo's level.
 */
final class DelayEstimator {

    /** Weight of one block in the running mismatch per lag. */
    private static final float RATE = 0.03f;
    /** Weight of one block in the running band levels that set the bits. */
    private static final float LEVEL_RATE = 0.02f;
    /** Updates needed before the estimate is trusted. */
    private static final int MIN_UPDATES = 40;
    /** How much (as a fraction of the mean mismatch) the best lag must beat the others by. */
    private static final float CONFIDENCE = 0.8f;
    /** Mismatch bits by which a new lag must beat the current one to replace it. */
    private static final float HYSTERESIS = 0.4f;

    private final int lags;
    private final float[] mismatch;
    private final float[] farLevel;
    private final float[] nearLevel;
    private int updates;
    private int lag = -1;

    DelayEstimator(int lags, int bands) {
        this.lags = lags;
        this.mismatch = new float[lags];
        this.farLevel = new float[bands];
        this.nearLevel = new float[bands];
        reset();
    }

    void reset() {
        Arrays.fill(mismatch, farLevel.length / 2f);
        Arrays.fill(farLevel, Float.NaN);
        Arrays.fill(nearLevel, Float.NaN);
        updates = 0;
        lag = -1;
    }

    /** The binary spectrum of a far-end block (and the far-end levels learn from it). */
    int farBits(float[] bands) {
        return bits(bands, farLevel);
    }

    /** The binary spectrum of a near-end block. */
    int nearBits(float[] bands) {
        return bits(bands, nearLevel);
    }

    /**
     * Scores every candidate lag against one near-end block.
     *
     * @param farBits far-end bits by lag: {@code farBits[l]} is the block {@code l} blocks ago
     * @param farActive whether that far-end block held sound
     */
    void update(int nearBits, int[] farBits, boolean[] farActive) {
        for (int l = 0; l < lags; l++) {
            if (farActive[l]) {
                mismatch[l] += RATE * (Integer.bitCount(nearBits ^ farBits[l]) - mismatch[l]);
            }
        }
        updates++;
        if (updates < MIN_UPDATES) {
            return;
        }
        int best = 0;
        float sum = 0;
        for (int l = 0; l < lags; l++) {
            sum += mismatch[l];
            if (mismatch[l] < mismatch[best]) {
                best = l;
            }
        }
        if (mismatch[best] > CONFIDENCE * sum / lags) {
            return;
        }
        if (lag < 0 || mismatch[best] < mismatch[lag] - HYSTERESIS) {
            lag = best;
        }
    }

    /** The echo path delay in blocks, or -1 while unknown. */
    int lag() {
        return lag;
    }

    private static int bits(float[] bands, float[] level) {
        int bits = 0;
        for (int b = 0; b < bands.length; b++) {
            float db = (float) (10 * Math.log10(bands[b] + 1e-12));
            if (Float.isNaN(level[b])) {
                level[b] = db;
            }
            level[b] += LEVEL_RATE * (db - level[b]);
            if (db > level[b]) {
                bits |= 1 << b;
            }
        }
        return bits;
    }
}
