package io.parley.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.AgentContext;
import io.parley.spi.ConversationTurn;
import io.parley.spi.ConversationTurn.Role;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionAgentTest {

    private record Context(List<ConversationTurn> history) implements AgentContext {
        @Override
        public String sessionId() {
            return "s";
        }

        @Override
        public long turnId() {
            return history.size() + 1;
        }

        @Override
        public boolean preemptive() {
            return false;
        }

        @Override
        public boolean cancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable action) {
        }
    }

    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-23T09:05:00Z"));
    private final SessionAgent agent = new SessionAgent(clock);

    private String reply(String said, ConversationTurn... history) {
        return agent.respond(new Context(List.of(history)), said);
    }

    @Test
    void tellsTheTimeAndHowLongItHasBeenListening() {
        clock.advance(Duration.ofSeconds(42));
        assertThat(reply("what time is it and how long have you been listening"))
                .isEqualTo("It is 9:05 UTC. I have been listening for 42 seconds.");
    }

    @Test
    void listsWhatItHeardWithoutRepeatingTheCurrentTurn() {
        ConversationTurn first = new ConversationTurn(Role.USER, "go forward ten meters", false);
        ConversationTurn answer = new ConversationTurn(Role.AGENT, "I heard you say: go forward ten meters.", false);
        String expected = "So far I heard 2 things. First, you said: go forward ten meters."
                + " Second, you said: what did you hear so far.";
        assertThat(reply("what did you hear so far", first, answer)).isEqualTo(expected);
        ConversationTurn current = new ConversationTurn(Role.USER, "what did you hear so far", false);
        assertThat(reply("what did you hear so far", first, answer, current)).isEqualTo(expected);
    }

    @Test
    void greetsStopsSaysGoodbyeAndOtherwiseRepeatsWhatItHeard() {
        assertThat(reply("hello can you hear me")).startsWith("Hello! Yes, I can hear you.");
        assertThat(reply("wait a moment please")).isEqualTo("Sure, I stopped talking. I am listening.");
        assertThat(reply("thank you goodbye")).startsWith("Goodbye");
        assertThat(reply("he was not an ill disposed young man"))
                .isEqualTo("I heard you say: he was not an ill disposed young man.");
        // Words are matched whole: "this" is not "hi", "overtime" is not "time".
        assertThat(reply("this is overtime")).isEqualTo("I heard you say: this is overtime.");
    }
}
