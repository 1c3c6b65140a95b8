package io.parley.audio;

/**
 * Tracks the noise power in each frequency bin of a short-time spectrum, in the manner of
 * Cohen and Berdugo's minima-controlled recursive averaging (MCRA). The minimum of the
 * smoothed power over the last second or so says where speech is present: a bin whose smoothed
 * power stands well above that minimum holds speech. The noise estimate is then a running
 * average of the power that moves slowly where speech is likely and freely where it is not.
 * Because even continuous speech has gaps between words and syllables, the minimum follows
 * the noise and not the speech, so no external VAD decision is needed; averaging (rather than
 * using the scaled minimum itself) keeps the estimate unbiased for noise that fluctuates more
 * than Gaussian noise does, such as babble.
 *
 * <p>A minimum over a handful of raw periodogram values is far below the mean, so the
 * first few hops (by default a quarter of a sub-window) seed the estimate with their average instead,
 * scaled down to the quietest of those hops: steady background is learned as it is, while a
 * stream that starts with speech is not taken for its own background (the estimate then
 * recovers within one window).
 *
 * <p>The window is split into a few sub-windows so that the minimum can be updated in
 * constant time per bin: when the noise gets louder, the estimate catches up within one
 * window; when it gets quieter it follows at once. Not thread-safe; no allocation after
 * construction.
 */
public final class NoiseFloorTracker {

    private static final int SUB_WINDOWS = 4;
    /** Smoothed power this many times the minimum marks a bin as holding speech. */
    private static final float PRESENCE_RATIO = 5f;
    private static final float PRESENCE_SMOOTHING = 0.2f;
    private static final float NOISE_SMOOTHING = 0.95f;
    /**
     * Presence below this is stored as zero. A bin's presence decays by {@link
     * #PRESENCE_SMOOTHING} per hop without speech, and after some 55 hops it would be a
     * denormal float, which x86 processors multiply through a microcode assist a hundred times
     * slower than a normal multiplication (2 % of the bins of noisy speech, several percent of
     * the whole VAD's time). The flush changes no result: below 1e-8, presence's share of the
     * noise smoothing ({@code (1 - NOISE_SMOOTHING) * q}) and of the next presence ({@code
     * PRESENCE_SMOOTHING * q}) are less than half a unit in the last place of the 0.95 and 0.8
     * they are added to, so both round to the same float with or without it.
     */
    private static final int PRESENCE_FLUSH_BITS = Float.floatToRawIntBits(1e-8f);
    /**
     * How far (4 dB) the seed may stand above the quietest of the first hops: more than the
     * hop-to-hop spread of steady noise, even noise whose power sits in a few low bins, and far
     * less than the rise of a syllable; see {@link #warmUp(float[])}.
     */
    private static final float SEED_BIAS = 2.5f;

    private final int bins;
    private final int hopsPerSubWindow;
    private final float smoothing;
    private final float bias;
    private final float floor;
    private final float[] smoothed;
    private final float[] currentMin;
    private final float[][] pastMins;
    /** Minimum over {@link #pastMins}, refreshed when a sub-window ends. */
    private final float[] pastMin;
    private final float[] noise;
    private final float[] presence;
    /** This hop's minimum per bin, between the loops of {@link #update(float[])}. */
    private final float[] minimum;
    private final int warmupHops;
    private int hopInSubWindow;
    private int subWindow;
    private int seen;
    private float quietestTotal;

    /**
     * A tracker whose seed averages the first quarter of a sub-window (a sixteenth of
     * {@code hopsPerWindow}).
     *
     * @param bins          spectrum bins tracked
     * @param hopsPerWindow hops spanned by the minimum search (e.g. one second's worth)
     * @param smoothing     recursive smoothing of the power before taking minima, 0..1 (e.g. 0.8)
     * @param bias          factor from the smoothed minimum to the mean noise power (about 1.5..2.5);
     *                      half of it bounds the estimate from below
     * @param floor         least noise power reported, so that digital silence does not make every
     *                      tiny sound look infinitely loud
     */
    public NoiseFloorTracker(int bins, int hopsPerWindow, float smoothing, float bias, float floor) {
        this(bins, hopsPerWindow, Math.max(1, (hopsPerWindow + SUB_WINDOWS - 1) / SUB_WINDOWS / 4), smoothing, bias, floor);
    }

    /**
     * A tracker with a seed of {@code seedHops} hops.
     *
     * @param bins          spectrum bins tracked
     * @param hopsPerWindow hops spanned by the minimum search (e.g. one second's worth)
     * @param seedHops      hops averaged into the first estimate, from 1 to a quarter of
     *                      {@code hopsPerWindow} (one sub-window)
     * @param smoothing     recursive smoothing of the power before taking minima, 0..1 (e.g. 0.8)
     * @param bias          factor from the smoothed minimum to the mean noise power (about 1.5..2.5);
     *                      half of it bounds the estimate from below
     * @param floor         least noise power reported, so that digital silence does not make every
     *                      tiny sound look infinitely loud
     * @throws IllegalArgumentException if a count or factor is out of range
     */
    public NoiseFloorTracker(int bins, int hopsPerWindow, int seedHops, float smoothing, float bias, float floor) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be positive, was " + bins);
        }
        if (hopsPerWindow < SUB_WINDOWS) {
            throw new IllegalArgumentException("hopsPerWindow must be at least " + SUB_WINDOWS + ", was " + hopsPerWindow);
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("smoothing must be within [0, 1), was " + smoothing);
        }
        if (!(bias >= 1) || !(floor > 0)) {
            throw new IllegalArgumentException("bias must be >= 1 and floor > 0, were " + bias + ", " + floor);
        }
        this.bins = bins;
        this.hopsPerSubWindow = (hopsPerWindow + SUB_WINDOWS - 1) / SUB_WINDOWS;
        if (seedHops < 1 || seedHops > hopsPerSubWindow) {
            throw new IllegalArgumentException("seedHops must be within 1.." + hopsPerSubWindow + ", was " + seedHops);
        }
        this.smoothing = smoothing;
        this.bias = bias;
        this.floor = floor;
        this.smoothed = new float[bins];
        this.currentMin = new float[bins];
        this.pastMins = new float[SUB_WINDOWS][bins];
        this.pastMin = new float[bins];
        this.noise = new float[bins];
        this.presence = new float[bins];
        this.minimum = new float[bins];
        this.warmupHops = seedHops;
    }

    /** Feeds one hop's power spectrum ({@code power[0, bins)}) and updates the noise estimate. */
    public void update(float[] power) {
        if (seen < warmupHops) {
            warmUp(power);
            return;
        }
        float a = smoothing;
        float lowerScale = bias * 0.5f;
        float[] m = minimum;
        // In three loops, two of which the JIT unrolls and vectorises: arithmetic and Math.min
        // and max on floats (every value here is a non-negative float, so they never meet the
        // NaN and signed-zero cases where they differ from a comparison). The presence
        // indicator, the sign bit of a difference as a number, stays scalar in a loop of its
        // own; a bin's indicator is as good as random, so it is taken from the bits rather
        // than from a branch that would be mispredicted half the time.
        for (int k = 0; k < bins; k++) {
            float s = a * smoothed[k] + (1 - a) * power[k];
            smoothed[k] = s;
            float cm = Math.min(s, currentMin[k]);
            currentMin[k] = cm;
            m[k] = Math.max(Math.min(cm, pastMin[k]), floor);
        }
        for (int k = 0; k < bins; k++) {
            float indicator = Float.floatToRawIntBits(PRESENCE_RATIO * m[k] - smoothed[k]) >>> 31;
            int q = Float.floatToRawIntBits(PRESENCE_SMOOTHING * presence[k] + (1 - PRESENCE_SMOOTHING) * indicator);
            // Zero below PRESENCE_FLUSH: the mask is all ones where q's bits are below its.
            presence[k] = Float.intBitsToFloat(q & ~((q - PRESENCE_FLUSH_BITS) >> 31));
        }
        for (int k = 0; k < bins; k++) {
            float ad = NOISE_SMOOTHING + (1 - NOISE_SMOOTHING) * presence[k];
            float n = ad * noise[k] + (1 - ad) * power[k];
            // Never below what the minimum alone implies, so a long stretch of speech cannot
            // starve the average and leave it stuck low.
            noise[k] = Math.max(Math.max(n, m[k] * lowerScale), floor);
        }
        if (++hopInSubWindow >= hopsPerSubWindow) {
            hopInSubWindow = 0;
            System.arraycopy(currentMin, 0, pastMins[subWindow], 0, bins);
            subWindow = (subWindow + 1) % SUB_WINDOWS;
            System.arraycopy(smoothed, 0, currentMin, 0, bins);
            updatePastMin();
        }
    }

    /**
     * Averages the first hops into the seed, then scales the seed down to at most
     * {@link #SEED_BIAS} times the quietest of them: steady noise does not vary that much from
     * hop to hop, so the scaling leaves it alone, while a stream that starts with speech (or speech after a
     * reset) would otherwise teach the tracker that its first syllable is the background.
     */
    private void warmUp(float[] power) {
        seen++;
        float total = 0;
        float meanTotal = 0;
        for (int k = 0; k < bins; k++) {
            // The running mean lives in smoothed[] until the warm-up ends.
            float mean = seen == 1 ? power[k] : smoothed[k] + (power[k] - smoothed[k]) / seen;
            smoothed[k] = mean;
            meanTotal += mean;
            total += power[k];
        }
        quietestTotal = seen == 1 ? total : Math.min(quietestTotal, total);
        float scale = meanTotal > 0 ? Math.min(1f, SEED_BIAS * quietestTotal / meanTotal) : 1f;
        for (int k = 0; k < bins; k++) {
            noise[k] = Math.max(smoothed[k] * scale, floor);
        }
        if (seen == warmupHops) {
            for (int k = 0; k < bins; k++) {
                float n = noise[k];
                smoothed[k] = n;
                currentMin[k] = n;
                for (float[] m : pastMins) {
                    m[k] = n / bias;
                }
            }
            updatePastMin();
        }
    }

    private void updatePastMin() {
        float[] p0 = pastMins[0], p1 = pastMins[1], p2 = pastMins[2], p3 = pastMins[3];
        for (int k = 0; k < bins; k++) {
            pastMin[k] = Math.min(Math.min(p0[k], p1[k]), Math.min(p2[k], p3[k]));
        }
    }

    /** Current noise power estimate per bin; valid until the next {@link #update(float[])}. */
    public float[] noise() {
        return noise;
    }

    /** Each bin's smoothed speech presence, 0..1 (for tests). */
    float[] presence() {
        return presence;
    }

    /** Forgets everything; the next spectrum seeds the estimate. */
    public void reset() {
        seen = 0;
        hopInSubWindow = 0;
        java.util.Arrays.fill(presence, 0f);
        subWindow = 0;
    }
}
