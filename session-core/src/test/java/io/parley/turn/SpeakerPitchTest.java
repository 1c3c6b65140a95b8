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
        assertThat(p.finality(high)).isZero();
        assertThat(p.finality(low)).isEqualTo(low.finality(p.finalLow()));
        p.turnEnded(endingAt(-4.6));
        assertThat(p.finality(high)).isCloseTo(high.finality(p.finalLow()) / 3, within(1e-9));
        p.turnEnded(endingAt(-4.6));
        p.turnEnded(endingAt(-4.6));
        assertThat(p.finality(high)).isEqualTo(high.finality(p.finalLow())).isLessThan(-0.5);
        p.endWasCutOff();
        assertThat(p.finality(high)).isCloseTo(high.finality(p.finalLow()) * 2 / 3, within(1e-9));
    }
}
