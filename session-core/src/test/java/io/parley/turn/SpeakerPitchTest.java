package io.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.parley.audio.prosody.Prosody;
import org.junit.jupiter.api.Test;

class SpeakerPitchTest {

    private static Prosody endingAt(double finalPitch) {
        return new Prosody(0, finalPitch, 1, 0);
    }

    @Test
    void theThresholdStaysWithinBoundsAndLearnsNothingFromAnUnmeasuredEnd() {
        SpeakerPitch deep = new SpeakerPitch();
        for (int i = 0; i < 40; i++) {
            deep.turnEnded(endingAt(-20));
        }
        assertThat(deep.finalLow()).isCloseTo(7, within(1e-4));
        SpeakerPitch flat = new SpeakerPitch();
        for (int i = 0; i < 40; i++) {
            flat.turnEnded(endingAt(1));
        }
        assertThat(flat.finalLow()).isCloseTo(2, within(1e-4));
        SpeakerPitch deaf = new SpeakerPitch();
        deaf.turnEnded(Prosody.UNKNOWN);
        assertThat(deaf.finalLow()).isEqualTo(Prosody.FINAL_LOW);
        // Nothing was learned, so a cut-off has nothing to undo.
        deaf.endWasCutOff();
        assertThat(deaf.finalLow()).isEqualTo(Prosody.FINAL_LOW);
    }

    @Test
    void aHighEndingCountsInFullAfterThreeEndsAndAFinalOneAtOnce() {
        SpeakerPitch p = new SpeakerPitch();
        Prosody high = endingAt(0);
        Prosody low = endingAt(-8);
        assertThat(p.finality(high, false)).isZero();
        assertThat(p.finality(low, false)).isEqualTo(low.finality(p.finalLow()));
        p.turnEnded(endingAt(-4.6));
        assertThat(p.finality(high, false)).isCloseTo(high.finality(p.finalLow()) / 3, within(1e-9));
        p.turnEnded(endingAt(-4.6));
        p.turnEnded(endingAt(-4.6));
        assertThat(p.finality(high, false)).isEqualTo(high.finality(p.finalLow())).isLessThan(-0.5);
        p.endWasCutOff();
        assertThat(p.finality(high, false)).isCloseTo(high.finality(p.finalLow()) * 2 / 3, within(1e-9));
    }

    @Test
    void aVoiceDecidingAloneIsReadMidwayBetweenHowTheSpeakersTurnsAndPausesEnd() {
        SpeakerPitch p = new SpeakerPitch();
        assertThat(p.midway()).isEqualTo(Prosody.FINAL_LOW);
        for (int i = 0; i < 30; i++) {
            p.turnEnded(endingAt(-6));
            p.pauseResumed(endingAt(-2));
        }
        assertThat(p.finalLow()).isCloseTo(5.4, within(1e-3));
        assertThat(p.midway()).isCloseTo(4, within(1e-3));
        // 4.5 st below average: shallower than this speaker's ends, deeper than the midway point.
        Prosody between = endingAt(-4.5);
        assertThat(p.finality(between, false)).isNegative();
        assertThat(p.finality(between, true)).isPositive();
        // A pause with no measured pitch teaches nothing.
        p.pauseResumed(Prosody.UNKNOWN);
        assertThat(p.midway()).isCloseTo(4, within(1e-3));
    }

    @Test
    void aCutOffUndoesItsEndOnce() {
        SpeakerPitch p = new SpeakerPitch();
        double midway = p.midway();
        p.turnEnded(endingAt(-1));
        assertThat(p.midway()).isGreaterThan(midway - 1).isLessThan(midway);
        p.endWasCutOff();
        assertThat(p.finalLow()).isEqualTo(Prosody.FINAL_LOW);
        assertThat(p.midway()).isEqualTo(midway);
        p.pauseResumed(endingAt(-1));
        double afterPause = p.midway();
        assertThat(afterPause).isLessThan(midway);
        // A second report of the same cut-off changes nothing.
        p.endWasCutOff();
        assertThat(p.midway()).isEqualTo(afterPause);
    }
}
