package io.parley.session;

import static io.parley.session.SessionHarness.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.ConversationTurn;
import io.parley.testing.FakeAgent;
import org.junit.jupiter.api.Test;

class FullTurnTest {

    @Test
    void oneTurnMovesThroughEveryStateOnTime() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.build().start();

        h.advanceTo(4000);

        // Speech ends at 1500; endpointing waits the 500 ms minimum; the final transcript takes
        // 150 ms; the agent's first word comes 200 ms later and the second 20 ms after that,
        // which completes the first synthesizable word; the synthesizer answers in 100 ms.
        // "It is noon." lasts 160 + 160 + 340 ms.
        assertThat(h.stateLog()).containsExactly(
                "INITIAL->LISTENING@0",
                "LISTENING->PROCESSING@2000",
                "PROCESSING->SPEAKING@2470",
                "SPEAKING->LISTENING@3130");
        assertThat(h.userTurns).containsExactly("what time is it");
        assertThat(h.agent.calls()).extracting(FakeAgent.Call::transcript).containsExactly("what time is it");
        assertThat(h.playbackLog()).containsExactly("STARTED@2470", "FINISHED@3130");
        assertThat(h.transport.sentDuration()).isEqualTo(h.tts.durationOf("It is noon."));
        assertThat(h.session.history()).containsExactly(
                new ConversationTurn(ConversationTurn.Role.USER, "what time is it", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "It is noon.", false));
        assertThat(h.metrics).singleElement().satisfies(m -> {
            assertThat(m.endOfTurnDelay()).isEqualTo(ms(500));
            assertThat(m.sttFinalDelay()).isEqualTo(ms(150));
            assertThat(m.agentFirstText()).isEqualTo(ms(200));
            // "It" reaches the synthesizer at 2350 but is only complete at 2370.
            assertThat(m.ttsFirstAudio()).isEqualTo(ms(120));
            assertThat(m.userToAgentAudio()).isEqualTo(ms(970));
        });
        assertThat(h.errors).isEmpty();
    }
}
