package io.parley.turn;

import io.parley.audio.prosody.Prosody;

/**
 * How low this speaker's voice goes at the end of a finished turn, and at the pauses they talk
 * on from, learned from both, so that {@link Prosody#finality(double)} reads their voice against
 * their own habit rather than an average speaker's: some end every statement deep in their range,
 * others (and many synthetic voices) only a little below their average.
 *
 * <p>Two thresholds come from it. Where the words already say the turn is not over, the voice is
 * asked only whether it ended as low as this speaker's finished turns do: each turn end whose
 * final pitch was measured pulls that threshold towards a margin above (shallower than) its
 * depth. Where the voice decides alone (the words say nothing), it is read against the point
 * midway between the depth of their turn ends and that of the pauses they talked on from: the
 * ends' own threshold there held every finished turn open whose voice stopped a little above the
 * speaker's usual end, about half of them [TurnReplay large, held-out split, quiet, end of
 * speech to agent called, 90th percentile: with the words right ({@code oracle}), where nearly
 * all of the slowest tenth had waited on their voice, 991 ms before and 752 ms after; with
 * PocketSphinx's words and the agent asking for numbers and dates ({@code lm expect}) 1,061
 * and 903 ms, with 3 and 6 of 168 mid-turn pauses cut].
 *
 * <p>A turn end the user talked on from right away (a cut-off) was no end: its pull is undone
 * [counting its voice as a pause's instead made no difference in noise and moved the quiet 90th
 * percentile the wrong way, 903 to 919 ms held-out and 930 to 950 ms on the tuning split].
 * Until a few ends have been heard, the voice is trusted to say "final" but only in part to say
 * "continuing": a speaker whose ends are shallower than the prior would otherwise be held open
 * on every turn before the thresholds have learned them.
 * Not thread-safe; the detector calls it from the session's event loop.
 */
final class SpeakerPitch {

    /** How fast the thresholds move towards each end or pause heard. */
    private static final double RATE = 0.3;
    /** Semitones above the depth of an end that the ends' threshold settles at. */
    private static final double MARGIN = 0.6;
    /** Bounds of the thresholds, in semitones below the speaker's average. */
    private static final double LEAST = 2;
    private static final double MOST = 7;
    /**
     * How far below and above {@link Prosody#FINAL_LOW} the depths of ends and pauses start, so
     * that the midway point starts at it [2 st: on the large real-speech set's tuning split the
     * median turn end lay 5.9 st below the speaker's average and the median mid-turn pause 1.8 st].
     */
    private static final double PRIOR_SPREAD = 2;
    /** Turn ends to hear before a "continuing" voice counts in full. */
    private static final int ENDS_TO_TRUST = 3;

    private double finalLow = Prosody.FINAL_LOW;
    private double endDepth = Prosody.FINAL_LOW + PRIOR_SPREAD;
    private double pauseDepth = Prosody.FINAL_LOW - PRIOR_SPREAD;
    private int ends;
    /** Whether the last end can be undone, and the ends' state before it. */
    private boolean undoable;
    private double finalLowBefore;
    private double endDepthBefore;

    /**
     * How final {@code prosody} sounds for this speaker, -1..1: {@link Prosody#finality(double)}
     * at the midway threshold when the voice decides alone ({@code alone}), else at the ends'
     * threshold; its "continuing" side scaled down until enough ends are heard.
     */
    double finality(Prosody prosody, boolean alone) {
        double f = prosody.finality(alone ? midway() : finalLow);
        return f < 0 ? f * Math.min(1, ends / (double) ENDS_TO_TRUST) : f;
    }

    /** Learns from the voice that ended a turn; an unmeasured final pitch teaches nothing. */
    void turnEnded(Prosody prosody) {
        undoable = false;
        double finalPitch = prosody.finalPitch();
        if (Double.isNaN(finalPitch)) {
            return;
        }
        undoable = true;
        finalLowBefore = finalLow;
        endDepthBefore = endDepth;
        finalLow += RATE * (bounded(-finalPitch - MARGIN) - finalLow);
        endDepth += RATE * (-finalPitch - endDepth);
        ends++;
    }

    /** Learns from the voice before a pause the user talked on from; an unmeasured final pitch teaches nothing. */
    void pauseResumed(Prosody prosody) {
        double finalPitch = prosody.finalPitch();
        if (!Double.isNaN(finalPitch)) {
            pauseDepth += RATE * (-finalPitch - pauseDepth);
        }
    }

    /** The last turn end was a cut-off: the user talked on, so its voice did not end a turn. */
    void endWasCutOff() {
        if (undoable) {
            finalLow = finalLowBefore;
            endDepth = endDepthBefore;
            ends--;
            undoable = false;
        }
    }

    /** Semitones below the speaker's average that count as a final low where the words say the turn is not over. */
    double finalLow() {
        return finalLow;
    }

    /** Semitones below the speaker's average that count as a final low where the voice decides alone. */
    double midway() {
        return bounded((endDepth + pauseDepth) / 2);
    }

    private static double bounded(double semitones) {
        return Math.max(LEAST, Math.min(MOST, semitones));
    }

    void reset() {
        finalLow = Prosody.FINAL_LOW;
        endDepth = Prosody.FINAL_LOW + PRIOR_SPREAD;
        pauseDepth = Prosody.FINAL_LOW - PRIOR_SPREAD;
        ends = 0;
        undoable = false;
    }
}
