package io.parley.turn;

import io.parley.audio.prosody.Prosody;

/**
 * How low this speaker's voice goes at the end of a finished turn, learned from the turns that
 * ended, so that {@link Prosody#finality(double)} reads their voice against their own habit
 * rather than an average speaker's: some end every statement deep in their range, others
 * (and many synthetic voices) only a little below their average.
 *
 * <p>Each turn end whose final pitch was measured pulls the threshold towards a margin above
 * (shallower than) that end's depth; a turn end the user talked on from right away (a cut-off)
 * was no end, and its pull is undone. Until a few ends have been heard, the voice is trusted
 * to say "final" but only in part to say "continuing": a speaker whose ends are shallower than
 * the prior would otherwise be held open on every turn before the threshold has learned them.
 * Not thread-safe; the detector calls it from the session's event loop.
 */
final class SpeakerPitch {

    /** How fast the threshold moves towards each end heard. */
    private static final double RATE = 0.3;
    /** Semitones above the depth of an end that the threshold settles at. */
    private static final double MARGIN = 0.6;
    /** Bounds of the threshold, in semitones below the speaker's average. */
    private static final double LEAST = 2;
    private static final double MOST = 7;
    /** Turn ends to hear before a "continuing" voice counts in full. */
    private static final int ENDS_TO_TRUST = 3;

    private double finalLow = Prosody.FINAL_LOW;
    private int ends;
    /** The threshold and count before the last end was learned, for an undo; NaN when there is nothing to undo. */
    private double beforeLast = Double.NaN;

    /**
     * How final {@code prosody} sounds for this speaker, -1..1: {@link Prosody#finality(double)}
     * at the learned threshold, its "continuing" side scaled down until enough ends are heard.
     */
    double finality(Prosody prosody) {
        double f = prosody.finality(finalLow);
        return f < 0 ? f * Math.min(1, ends / (double) ENDS_TO_TRUST) : f;
    }

    /** Learns from the voice that ended a turn; an unmeasured final pitch teaches nothing. */
    void turnEnded(Prosody prosody) {
        beforeLast = Double.NaN;
        double finalPitch = prosody.finalPitch();
        if (Double.isNaN(finalPitch)) {
            return;
        }
        beforeLast = finalLow;
        double target = Math.max(LEAST, Math.min(MOST, -finalPitch - MARGIN));
        finalLow += RATE * (target - finalLow);
        ends++;
    }

    /** The last turn end was a cut-off: the user talked on, so its voice did not end a turn. */
    void endWasCutOff() {
        if (!Double.isNaN(beforeLast)) {
            finalLow = beforeLast;
            ends--;
            beforeLast = Double.NaN;
        }
    }

    /** Semitones below the speaker's average that now count as a final low. */
    double finalLow() {
        return finalLow;
    }

    void reset() {
        finalLow = Prosody.FINAL_LOW;
        ends = 0;
        beforeLast = Double.NaN;
    }
}
