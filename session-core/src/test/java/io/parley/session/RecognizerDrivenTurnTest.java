package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without a VAD, the recognizer's results and endpointing drive the turns. */
class RecognizerDrivenTurnTest {

    @Test
    void recognizerEndpointingEndsTheTurnWithoutAVad() {
        VirtualClock clock = new VirtualClock();
        UserScript user = new UserScript().say(500, 1000, "what time is it");
        FakeStt stt = FakeStt.builder(clock, user).endpointing(Duration.ofMillis(300)).build();
        List<StateChange> states = new ArrayList<>();
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .transport(InMemoryTransport.builder(clock).script(user).build())
                .stt(stt)
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).reply("It is noon.").build())
                .onStateChanged(states::add)
                .build();
        session.start();
        clock.advance(Duration.ofSeconds(5));

        // The first interim (600 ms) marks speech; the endpointing final (1800 ms) ends it;
        // the turn commits after the 500 ms minimum delay.
        assertThat(states).extracting(c -> c.to() + "@" + Duration.between(clock.instantAt(Duration.ZERO), c.at()).toMillis())
                .startsWith("LISTENING@0", "PROCESSING@2300");
        assertThat(session.history()).extracting(t -> t.text()).containsExactly("what time is it", "It is noon.");
        // Every frame went to the recognizer: there is no gate without a VAD.
        assertThat(stt.streams().get(0).samples()).isGreaterThanOrEqualTo(16_000L * 4);
    }
}
