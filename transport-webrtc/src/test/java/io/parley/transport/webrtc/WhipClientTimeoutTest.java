package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A WHIP client's timeout is refused at construction unless it is positive. */
class WhipClientTimeoutTest {

    @Test
    void aMissingZeroOrNegativeTimeoutIsRefused() {
        for (Duration bad : new Duration[] {null, Duration.ZERO, Duration.ofSeconds(-1)}) {
            assertThatThrownBy(() -> new WhipClient(null, "token", bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("timeout must be positive");
        }
    }
}
