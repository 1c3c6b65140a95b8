package io.parley.transport.websocket;

import io.parley.session.DtmfTurns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.testing.api.BuilderContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuildersTest {

    @Test
    void everyBuilderSetterRefusesNull() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(TelephonyRoutes.class)).isEmpty();
    }

    @Test
    void buildersRefuseNullAndBadValuesWithTheirName() {
        assertThatThrownBy(() -> DtmfTurns.builder(s -> { }).clock(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> DtmfTurns.builder(s -> { }).interDigitTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtmfTurns.builder(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sink");
        assertThatThrownBy(() -> CallInfo.builder("twilio").callId(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CallInfo.builder("twilio").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TelephonyRoutes.builder().settings(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("settings");
        assertThatThrownBy(() -> TelephonyRoutes.builder().stream("twilio", MediaStreamProtocol.twilio(), c -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
        assertThatThrownBy(() -> TelephonyRoutes.builder().twilioAuthToken("t", "https://h/path"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scheme and host");
        assertThatThrownBy(() -> TelephonyRoutes.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> StreamSettings.defaults().withSessionRate(11_025)).isInstanceOf(IllegalArgumentException.class);
    }
}
