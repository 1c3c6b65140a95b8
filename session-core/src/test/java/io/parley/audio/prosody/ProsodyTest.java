package io.parley.audio.prosody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProsodyTest {

    @Test
    void finalityTurnsAtTheFinalLowAndWeighsPitchOverSlope() {
        // Right at the threshold with a level voice: no evidence either way.
        assertThat(new Prosody(0, -Prosody.FINAL_LOW, 1, 0).finality()).isCloseTo(0, within(1e-9));
        // A semitone or more below it, falling clearly: fully final; as far above it and rising: fully continuing.
        assertThat(new Prosody(-30, -Prosody.FINAL_LOW - 1.5, 1, 0).finality()).isCloseTo(1, within(1e-9));
        assertThat(new Prosody(30, -Prosody.FINAL_LOW + 1.5, 1, 0).finality()).isCloseTo(-1, within(1e-9));
        // The final pitch outweighs the slope: ending low after a rise still sounds final.
        assertThat(new Prosody(30, -Prosody.FINAL_LOW - 1, 1, 0).finality()).isCloseTo(0.6, within(1e-9));
        // Lengthening and fade are measured but not weighed.
        assertThat(new Prosody(0, -2, 2.5, -200).finality()).isEqualTo(new Prosody(0, -2, 0.5, 50).finality());
        // The slope alone gives at most a weak verdict.
        assertThat(new Prosody(-30, Double.NaN, Double.NaN, Double.NaN).finality()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void finalityReadsAgainstTheSpeakersOwnThreshold() {
        Prosody shallow = new Prosody(0, -2.5, 1, 0);
        assertThat(shallow.finality()).isLessThan(0);
        assertThat(shallow.finality(2)).isCloseTo(0.4, within(1e-9));
        assertThatThrownBy(() -> shallow.finality(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("finalLow");
        assertThatThrownBy(() -> shallow.finality(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
