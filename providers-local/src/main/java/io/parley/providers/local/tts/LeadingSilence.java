package io.parley.providers.local.tts;

/**
 * Finds the near-silence a synthesizer puts before the first sound of an utterance. FreeTTS
 * opens every utterance with a pause segment of about 200 ms at a level around -55 dBFS; at the
 * start of a reply that pause is pure added latency, while between sentences it is a natural
 * break, so only a reply's first sentence is trimmed.
 */
final class LeadingSilence {

    /** About -40 dBFS: above the pause segment's level, below any voiced onset measured. */
    static final int THRESHOLD = 330;
    /** Kept before the first loud sample so that a soft onset (a fricative, a breath) stays whole. */
    static final int MARGIN_MILLIS = 15;

    private LeadingSilence() {
    }

    /**
     * How many leading samples of {@code mono} at {@code sampleRate} can be dropped: up to
     * {@link #MARGIN_MILLIS} before the first sample louder than {@link #THRESHOLD}, or 0 when
     * nothing is that loud (a quiet utterance is left alone).
     */
    static int samples(short[] mono, int length, int sampleRate) {
        int margin = sampleRate * MARGIN_MILLIS / 1000;
        for (int i = 0; i < length; i++) {
            int s = mono[i];
            if (s > THRESHOLD || s < -THRESHOLD) {
                return Math.max(0, i - margin);
            }
        }
        return 0;
    }
}
