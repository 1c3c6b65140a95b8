package io.parley.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpeechHysteresisTest {

    private static final Duration STEP = Duration.ofMillis(20);

    @Test
    void onsetNeedsMinSpeechAboveActivationAndOffsetNeedsMinSilenceBelowDeactivation() {
        SpeechHysteresis h = new SpeechHysteresis(0.5f, 0.35f, Duration.ofMillis(40), Duration.ofMillis(100), STEP);
        assertThat(h.update(0.9f)).isFalse();
        assertThat(h.update(0.2f)).isFalse();
        assertThat(h.update(0.6f)).isFalse();
        assertThat(h.update(0.6f)).isTrue();
        // Between the thresholds counts as neither: speech holds.
        for (int i = 0; i < 10; i++) {
            assertThat(h.update(0.4f)).isTrue();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(h.update(0.1f)).isTrue();
        }
        assertThat(h.update(0.1f)).isFalse();
        h.update(0.9f);
        h.reset();
        assertThat(h.speech()).isFalse();
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new SpeechHysteresis(1.2f, 0.3f, STEP, STEP, STEP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpeechHysteresis(0.5f, 0.6f, STEP, STEP, STEP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpeechHysteresis(0.5f, 0.3f, STEP, STEP, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
