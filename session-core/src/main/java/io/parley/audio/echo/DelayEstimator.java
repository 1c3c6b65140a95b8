package io.parley.audio.echo;

import java.util.Arrays;

/**
 * Finds how many blocks the echo lags the far-end reference: the lag at which the far end's
 * level envelope (dB per block) best correlates with the near end's over the last two seconds.
 * Speech's syllabic rhythm makes the envelopes distinctive, and correlation ignores the echo's
 * level. Near-end blocks the caller marks unusable (the user talking, only noise) are left out,
 * and nothing is remembered beyond the window, so a changed path is found again within it.
 */
final class DelayEstimator {

    /** Blocks correlated. */
    static final int WINDOW = 100;
    /** Blocks between estimates. */
    private static final int EVERY = 5;
    /** Usable near-end blocks needed in the window. */
    private static final int MIN_USABLE = 25;
    /**
     * Blocks seen before the first estimate (600 ms): the echo path of a new call is found from
     * what has come so far rather than after a full window, which held the first reply's
     * barge-ins back (only a user louder than the agent counts while the delay is unknown) for
     * its first two seconds. A lag found before the window has filled is provisional: a better
     * one replaces it without the hysteresis.
     */
    private static final int FIRST_ESTIMATE = 30;
    /** Correlation the best lag needs to be trusted. */
    private static final float CONFIDENCE = 0.5f;
    /** Correlation by which a new lag must beat the current one to replace it. */
    private static final float HYSTERESIS = 0.15f;
    private static final float FLOOR_DB = -70f;

    private final int lags;
    private final float[] far;
    private final float[] near;
    private final boolean[] usable;
    private long blocks;
    private int lag = -1;
    private int candidate = -1;
    /** Whether {@link #lag} was found before the window first filled. */
    private boolean provisional;

    DelayEstimator(int lags) {
        this.lags = lags;
        this.far = new float[WINDOW + lags];
        this.near = new float[WINDOW];
        this.usable = new boolean[WINDOW];
        reset();
    }

    void reset() {
        Arrays.fill(far, FLOOR_DB);
        Arrays.fill(near, FLOOR_DB);
        Arrays.fill(usable, false);
        blocks = 0;
        lag = -1;
        candidate = -1;
        provisional = false;
    }

    /** One block: the far end's and the near end's energy, and whether the near end may be used. */
    void update(float farEnergy, float nearEnergy, boolean nearUsable) {
        far[(int) (blocks % far.length)] = db(farEnergy);
        int i = (int) (blocks % WINDOW);
        near[i] = db(nearEnergy);
        usable[i] = nearUsable;
        blocks++;
        if (blocks % EVERY == 0 && blocks >= FIRST_ESTIMATE) {
            estimate();
        }
    }

    private void estimate() {
        int count = 0;
        float nearMean = 0;
        for (int i = 0; i < WINDOW; i++) {
            if (usable[i]) {
                count++;
                nearMean += near[i];
            }
        }
        if (count < MIN_USABLE) {
            return;
        }
        nearMean /= count;
        int best = -1;
        float bestCorr = -1;
        float currentCorr = -1;
        for (int l = 0; l < lags; l++) {
            float farMean = 0;
            for (int k = 0; k < WINDOW; k++) {
                if (usable[nearIndex(k)]) {
                    farMean += far[farIndex(k, l)];
                }
            }
            farMean /= count;
            float sxy = 0;
            float sxx = 0;
            float syy = 0;
            for (int k = 0; k < WINDOW; k++) {
                int ni = nearIndex(k);
                if (usable[ni]) {
                    float x = near[ni] - nearMean;
                    float y = far[farIndex(k, l)] - farMean;
                    sxy += x * y;
                    sxx += x * x;
                    syy += y * y;
                }
            }
            float corr = sxx > 0 && syy > 0 ? (float) (sxy / Math.sqrt((double) sxx * syy)) : 0f;
            if (corr > bestCorr) {
                bestCorr = corr;
                best = l;
            }
            if (l == lag) {
                currentCorr = corr;
            }
        }
        candidate = best;
        if (bestCorr >= CONFIDENCE && (lag < 0 || provisional || bestCorr > currentCorr + HYSTERESIS)) {
            lag = best;
        }
        provisional = lag >= 0 && blocks < WINDOW;
    }

    /** Ring index of the near-end block {@code k} blocks before the newest. */
    private int nearIndex(int k) {
        return (int) Math.floorMod(blocks - 1 - k, (long) WINDOW);
    }

    /** Ring index of the far-end block {@code l} blocks before near-end block {@code k}. */
    private int farIndex(int k, int l) {
        return (int) Math.floorMod(blocks - 1 - k - l, (long) far.length);
    }

    /** The best-correlating lag at the last estimate, trusted or not, or -1 before one. */
    int candidate() {
        return candidate;
    }

    /** The echo path delay in blocks, or -1 while unknown. */
    int lag() {
        return lag;
    }

    private static float db(float energy) {
        return Math.max(FLOOR_DB, (float) (10 * Math.log10(energy + 1e-12)));
    }
}
