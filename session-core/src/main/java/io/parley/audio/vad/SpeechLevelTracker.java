package io.parley.audio.vad;

/**
 * Remembers how loud the dominant talker's speech has recently been: the 90th percentile of
 * the band energy (in dB) of the last few seconds' worth of hops that looked like speech.
 * A sound far below that level is not the person talking to us, even when it is speech-like
 * (other people talking in the background, a television). When no one has spoken for a
 * while, the memory fills with whatever speech-like sound there is and the gate opens again.
 * Constant time per hop via a histogram over a ring buffer; no allocation after construction.
 */
final class SpeechLevelTracker {

    private static final int MIN_DB = -120;
    private static final int BINS = 121;
    private static final double PERCENTILE = 0.9;

    /**
     * The ring's entries not yet written hold this bin, one past the real ones, which the level
     * never reads: each new entry then takes an old one's place, with no branch on whether the
     * ring is full yet. That branch flips once per stream, after some seconds of speech, when
     * the JIT has long compiled the VAD's analysis without the full-ring side: the compiled
     * analysis was thrown away for every stream until compiled again (a deoptimization seen
     * inside the 2,000-session harness's measured window).
     */
    private static final int UNWRITTEN = BINS;

    private final byte[] ring;
    private final int[] histogram = new int[BINS + 1];
    private int head;
    private int count;
    /** The last computed level, valid until the next {@link #add(float)}. */
    private float level = Float.NaN;

    /** @param capacity speech-like hops remembered */
    SpeechLevelTracker(int capacity) {
        this.ring = new byte[capacity];
        reset();
    }

    /** Records a hop that looked like speech. */
    void add(float energyDb) {
        int bin = (int) Math.max(0, Math.min(BINS - 1, Math.round(energyDb - MIN_DB)));
        histogram[ring[head] & 0xFF]--;
        count = Math.min(count + 1, ring.length);
        ring[head] = (byte) bin;
        histogram[bin]++;
        head = (head + 1) % ring.length;
        level = Float.NaN;
    }

    /** The remembered speech level in dB, or {@code NEGATIVE_INFINITY} before enough speech was seen. */
    float level() {
        if (Float.isNaN(level)) {
            level = computeLevel();
        }
        return level;
    }

    private float computeLevel() {
        if (count < ring.length / 8) {
            return Float.NEGATIVE_INFINITY;
        }
        int above = (int) Math.ceil(count * (1 - PERCENTILE));
        int seen = 0;
        for (int b = BINS - 1; b >= 0; b--) {
            seen += histogram[b];
            if (seen >= above) {
                return b + MIN_DB;
            }
        }
        return MIN_DB;
    }

    void reset() {
        java.util.Arrays.fill(ring, (byte) UNWRITTEN);
        java.util.Arrays.fill(histogram, 0);
        histogram[UNWRITTEN] = ring.length;
        head = 0;
        count = 0;
        level = Float.NaN;
    }
}
