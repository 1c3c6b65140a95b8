package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Listeners hear of what the event loop did after it has done it: a turn's reply is under way
 * (agent called, synthesizer opening) before any listener thread is woken for the turn, so
 * listener delivery never sits between the end of a turn and the agent's first word. Under the
 * virtual clock the blocking pool runs its tasks in the order they were handed over, which is
 * what this checks.
 */
class ListenerDeliveryTest {

    @Test
    void theAgentIsCalledBeforeListenersAreToldOfTheTurn() {
        SessionHarness h = new SessionHarness();
        List<String> order = new ArrayList<>();
        h.extra = b -> b
                .agent((ctx, text) -> {
                    order.add("agent called");
                    return "It is noon.";
                })
                .listener(new SessionListener() {
                    @Override
                    public void onUserTurn(long turnId, String text) {
                        order.add("user turn");
                    }

                    @Override
                    public void onTurnCommitted(TurnCommit turn) {
                        order.add("turn committed");
                    }

                    @Override
                    public void onReply(SpeechHandle reply) {
                        order.add("reply");
                    }
                });
        h.user.say(500, 1000, "what time is it");
        h.build().start();

        h.advanceTo(4000);

        assertThat(order).containsExactly("agent called", "user turn", "turn committed", "reply");
        // Speech ends at 1500, the turn at 2000, the final transcript comes at 2150, the synthesizer answers 100 ms later.
        assertThat(h.playbackLog()).containsExactly("STARTED@2250", "FINISHED@2910");
        assertThat(h.errors).isEmpty();
    }
}
