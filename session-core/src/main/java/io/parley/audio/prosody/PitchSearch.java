package io.parley.audio.prosody;

/**
 * YIN (cumulative mean normalised difference, absolute threshold, parabolic refinement) on the
 * newest 20 ms of one stream's signal, coarse to fine. The difference sums are the whole cost
 * and grow with the window times the lags searched, so the lags are searched at a quarter of
 * the signal's rate, on a low-passed copy (a sixteenth of the sums), with a looser threshold;
 * each dip found there is then checked at the full rate, on the few lags around it, exactly as
 * a full-rate search would judge it: the first lag under the threshold, walked down to the
 * bottom of its dip. The running mean that normalises the differences needs the sum of the
 * differences of every lag below; at the full rate that sum comes in one pass over the window
 * (the squares and a sliding sum of products), not lag by lag.
 *
 * <p>On 74 pocketsphinx and Asterisk recordings, 8,228 of the 8,238 voiced frames pitched by
 * either agree with the full-rate search (to within a thousandth of a semitone for 99 % of
 * them): the rest have a full-rate dip the low-passed signal does not show.
 *
 * <p>Allocates nothing after construction. Not thread-safe.
 */
final class PitchSearch {

    static final double MIN_PITCH_HZ = 60;
    static final double MAX_PITCH_HZ = 400;
    /** YIN's absolute threshold on the normalised difference. */
    static final float THRESHOLD = 0.35f;
    /**
     * Threshold on the coarse signal's normalised difference for a dip to be checked at the
     * full rate: looser, because low-passing changes the normalised difference both ways.
     */
    static final float COARSE_THRESHOLD = 0.5f;
    /** Full-rate samples per coarse sample. */
    static final int COARSE = 4;
    /** Full-rate lags searched on each side of the coarse dip. */
    private static final int REACH = 2;

    private final double rate;
    private final int window;
    private final int minLag;
    private final int maxLag;
    private final int coarseWindow;
    private final int coarseMinLag;
    private final int coarseMaxLag;
    /** The coarse signal, oldest first: {@code coarseWindow + coarseMaxLag + 1} samples. */
    private final float[] coarse;
    private final float[] diff;
    /** Full-rate normalised differences by lag, for the lags from {@link #lo} to {@link #hi}. */
    private final float[] normalised;
    private int lo;
    private int hi;
    /** Where the full-rate window starts. */
    private int base;
    /** The sum of the differences of the lags below {@link #lo}, and up to {@link #hi}. */
    private double below;
    private double above;
    /** The difference sums of the coarse lags {@link #search} takes together. */
    private final float[] lagSums = new float[4];

    /** @param rate the signal's sample rate (about 8 kHz) */
    PitchSearch(double rate) {
        this.rate = rate;
        this.window = (int) Math.round(rate * 0.02);
        this.minLag = (int) Math.floor(rate / MAX_PITCH_HZ);
        this.maxLag = (int) Math.ceil(rate / MIN_PITCH_HZ);
        double coarseRate = rate / COARSE;
        this.coarseWindow = window / COARSE;
        this.coarseMinLag = Math.max(1, (int) Math.floor(coarseRate / MAX_PITCH_HZ));
        this.coarseMaxLag = (int) Math.ceil(coarseRate / MIN_PITCH_HZ);
        this.coarse = new float[coarseWindow + coarseMaxLag + 1];
        this.diff = new float[coarseMaxLag + 2];
        this.normalised = new float[maxLag + 1];
    }

    /** How many of the newest full-rate samples {@link #pitchHz} reads. */
    int span() {
        return Math.max(window + maxLag, COARSE * (coarse.length + 1));
    }

    /**
     * The pitch of the newest window in Hz, or NaN if it is not periodic enough.
     *
     * @param x   the signal, at the rate given at construction
     * @param end one past its newest sample; at least {@link #span()}
     */
    double pitchHz(float[] x, int end) {
        decimate(x, end);
        return search(x, end);
    }

    /**
     * Fills {@link #coarse} with the newest samples of {@code x}, each the mean of
     * {@link #COARSE} samples smoothed with its neighbours (a triangle over two coarse samples),
     * so that little above the coarse signal's Nyquist rate folds back into the voice's band.
     */
    private void decimate(float[] x, int end) {
        float scale = 1f / (COARSE * COARSE);
        int n = coarse.length;
        for (int k = 0; k < n; k++) {
            // Coarse sample k is centred on full-rate sample c; the newest one on end - 1.
            int c = end - 1 - (n - 1 - k) * COARSE;
            float sum = COARSE * x[c];
            for (int j = 1; j < COARSE; j++) {
                float right = c + j < end ? x[c + j] : x[c - j];
                sum += (COARSE - j) * (x[c - j] + right);
            }
            coarse[k] = sum * scale;
        }
    }

    /**
     * YIN on the coarse signal, each dip under the (looser) coarse threshold checked at the full
     * rate in lag order: the pitch of the first that is under the threshold there, or NaN.
     */
    private double search(float[] signal, int end) {
        float[] x = coarse;
        int w = coarseWindow;
        // Compare the newest window with the audio before it.
        int base = x.length - w;
        diff[0] = 1;
        float running = 0;
        // A dip starts at the first lag below the threshold and is walked down to its bottom.
        // Lags are taken in order and the running mean needs only the ones before, so the
        // search stops at the first dip that holds at the full rate. As float sums the
        // difference sums do not vectorise, so four lags are summed side by side (four
        // independent additions in flight, one load of the window's sample).
        int found = -1;
        boolean leaving = false;
        float[] sums = lagSums;
        for (int first = 1; first <= coarseMaxLag; first += 4) {
            int lags = Math.min(4, coarseMaxLag - first + 1);
            if (lags == 4) {
                float d0 = 0;
                float d1 = 0;
                float d2 = 0;
                float d3 = 0;
                for (int j = 0; j < w; j++) {
                    int at = base + j;
                    float now = x[at];
                    float e0 = now - x[at - first];
                    float e1 = now - x[at - first - 1];
                    float e2 = now - x[at - first - 2];
                    float e3 = now - x[at - first - 3];
                    d0 += e0 * e0;
                    d1 += e1 * e1;
                    d2 += e2 * e2;
                    d3 += e3 * e3;
                }
                sums[0] = d0;
                sums[1] = d1;
                sums[2] = d2;
                sums[3] = d3;
            } else {
                for (int k = 0; k < lags; k++) {
                    sums[k] = difference(x, base, w, first + k);
                }
            }
            for (int k = 0; k < lags; k++) {
                int tau = first + k;
                float d = sums[k];
                running += d;
                diff[tau] = running == 0 ? 1 : d * tau / running;
                if (found >= 0) {
                    if (diff[tau] < diff[found]) {
                        found = tau;
                        continue;
                    }
                    double hz = fineHz(signal, end, refine(diff, found, coarseMinLag, coarseMaxLag) * COARSE);
                    if (!Double.isNaN(hz)) {
                        return hz;
                    }
                    // Not periodic enough at the full rate: look on past the rest of this dip.
                    found = -1;
                    leaving = true;
                }
                if (diff[tau] >= COARSE_THRESHOLD) {
                    leaving = false;
                } else if (!leaving && tau >= coarseMinLag) {
                    found = tau;
                }
            }
        }
        return found < 0 ? Double.NaN : fineHz(signal, end, refine(diff, found, coarseMinLag, coarseMaxLag) * COARSE);
    }

    /**
     * The pitch in Hz from the full-rate normalised difference around {@code guess} (a lag in
     * full-rate samples), found as a full-rate search would: the first lag under the threshold
     * walked down to the bottom of its dip, refined between its neighbours; NaN if the dip is
     * not under the threshold at the full rate. Lags beyond the reach are added one at a time
     * as the dip's slopes lead there.
     */
    private double fineHz(float[] x, int end, double guess) {
        base = end - window;
        int centre = Math.max(minLag, Math.min(maxLag, (int) Math.round(guess)));
        lo = Math.max(minLag, centre - REACH);
        hi = Math.min(maxLag, centre + REACH);
        below = cumulativeDifference(x, base, lo - 1);
        above = below;
        int first = -1;
        for (int tau = lo; tau <= hi; tau++) {
            float d = difference(x, base, window, tau);
            above += d;
            normalised[tau] = normalise(d, tau, above);
            if (first < 0 && normalised[tau] < THRESHOLD) {
                first = tau;
            }
        }
        if (first < 0) {
            // The dip may lie just past the reach: follow a slope that goes down out of it.
            boolean rising = normalised[hi] < normalised[lo];
            while (rising ? hi < maxLag : lo > minLag) {
                int tau = rising ? up(x) : down(x);
                int previous = rising ? tau - 1 : tau + 1;
                if (normalised[tau] < THRESHOLD) {
                    first = tau;
                    break;
                }
                if (normalised[tau] >= normalised[previous]) {
                    return Double.NaN;
                }
            }
            if (first < 0) {
                return Double.NaN;
            }
        }
        // Back to where a search from the lowest lag would first have met the threshold,
        while (first == lo && lo > minLag && normalised[down(x)] < THRESHOLD) {
            first = lo;
        }
        // then down to the bottom of the dip.
        int tau = first;
        while (tau < maxLag) {
            if (tau == hi) {
                up(x);
            }
            if (normalised[tau + 1] >= normalised[tau]) {
                break;
            }
            tau++;
        }
        return rate / refine(normalised, tau, minLag, maxLag);
    }

    /** Adds the lag above the highest computed; returns it. */
    private int up(float[] x) {
        hi++;
        float d = difference(x, base, window, hi);
        above += d;
        normalised[hi] = normalise(d, hi, above);
        return hi;
    }

    /** Adds the lag below the lowest computed; returns it. */
    private int down(float[] x) {
        lo--;
        float d = difference(x, base, window, lo);
        normalised[lo] = normalise(d, lo, below);
        below -= d;
        return lo;
    }

    private static float normalise(float d, int lag, double running) {
        return running == 0 ? 1 : (float) (d * lag / running);
    }

    /**
     * The sum of the differences of lags 1 to {@code lags} of the window at {@code base}, in one
     * pass: each squared difference is split into the two squares and the product, and the
     * window sample's products with the {@code lags} samples before it are a sliding sum.
     */
    private double cumulativeDifference(float[] x, int base, int lags) {
        if (lags <= 0) {
            return 0;
        }
        double before = 0;
        double beforeSquares = 0;
        for (int t = 1; t <= lags; t++) {
            double v = x[base - t];
            before += v;
            beforeSquares += v * v;
        }
        double total = 0;
        for (int j = 0; j < window; j++) {
            double now = x[base + j];
            total += lags * now * now + beforeSquares - 2 * now * before;
            double out = x[base + j - lags];
            before += now - out;
            beforeSquares += now * now - out * out;
        }
        return total;
    }

    /**
     * The sum of squared differences between the window at {@code base} and the one
     * {@code lag} earlier, in four interleaved partial sums (one float chain would wait on each
     * addition).
     */
    private static float difference(float[] x, int base, int w, int lag) {
        float d0 = 0;
        float d1 = 0;
        float d2 = 0;
        float d3 = 0;
        int j = 0;
        for (; j + 4 <= w; j += 4) {
            int at = base + j;
            float e0 = x[at] - x[at - lag];
            float e1 = x[at + 1] - x[at + 1 - lag];
            float e2 = x[at + 2] - x[at + 2 - lag];
            float e3 = x[at + 3] - x[at + 3 - lag];
            d0 += e0 * e0;
            d1 += e1 * e1;
            d2 += e2 * e2;
            d3 += e3 * e3;
        }
        for (; j < w; j++) {
            float e = x[base + j] - x[base + j - lag];
            d0 += e * e;
        }
        return (d0 + d1) + (d2 + d3);
    }

    /** Lag {@code found} of {@code d} refined between its neighbours' values, if both lie in [lo, hi]. */
    private static double refine(float[] d, int found, int lo, int hi) {
        double refined = found;
        if (found > lo && found < hi) {
            double a = d[found - 1];
            double b = d[found];
            double c = d[found + 1];
            double denom = a - 2 * b + c;
            if (denom > 0) {
                refined = found + 0.5 * (a - c) / denom;
            }
        }
        return refined;
    }
}
