package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.testing.FakeAgent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key presses from the transport become session events, and optionally text turns. Virtual time. */
class DtmfTest {

    @Test
    void keyPressesReachListenersInOrderWithDurationAndTime() {
        SessionHarness h = new SessionHarness().build().start();
        List<DtmfEvent> keys = new ArrayList<>();
        h.session.addListener(new SessionListener() {
            @Override
            public void onDtmf(DtmfEvent event) {
                keys.add(event);
            }
        });
        h.advanceTo(300);
        h.transport.dtmf('1', Duration.ofMillis(120));
        h.advanceTo(450);
        h.transport.dtmf('#', Duration.ZERO);
        h.advanceTo(500);

        assertThat(keys).extracting(DtmfEvent::digit).containsExactly('1', '#');
        assertThat(keys).extracting(DtmfEvent::duration).containsExactly(Duration.ofMillis(120), Duration.ZERO);
        assertThat(keys).extracting(e -> h.at(e.at())).containsExactly(Duration.ofMillis(300), Duration.ofMillis(450));
        assertThatThrownBy(() -> h.transport.dtmf('x', Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.transport.dtmf('1', Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dtmfTurnsCollectDigitsUntilTheTerminatorOrAPauseAndSendThemAsText() {
        SessionHarness h = new SessionHarness().build().start();
        h.session.addListener(DtmfTurns.builder(s -> h.session.sendText("pressed " + s))
                .interDigitTimeout(Duration.ofSeconds(1)).clock(h.clock).build());
        h.advanceTo(100);
        for (char c : "42#".toCharArray()) {
            h.transport.dtmf(c, Duration.ZERO);
        }
        h.advanceTo(4000);
        h.transport.dtmf('7', Duration.ZERO);
        h.advanceTo(4900);
        assertThat(h.agent.calls()).extracting(FakeAgent.Call::transcript).containsExactly("pressed 42");
        h.advanceTo(8000);

        assertThat(h.agent.calls()).extracting(FakeAgent.Call::transcript).containsExactly("pressed 42", "pressed 7");
        assertThatThrownBy(() -> DtmfTurns.builder(s -> { }).terminator('x')).isInstanceOf(IllegalArgumentException.class);
    }
}
