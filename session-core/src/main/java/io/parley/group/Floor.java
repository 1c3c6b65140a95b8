package io.parley.group;

import io.parley.spi.ConversationTurn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Who a {@link GroupSession}'s agent answers: each turn is addressed or not ({@link Addressing}),
 * offered to the {@link TurnHandler}, then answered at once, queued, or answered instead of the
 * current answer, as the {@link FloorPolicy} says. It keeps the conversation history each
 * answer is given. Loop-confined.
 */
final class Floor {

    private final GroupSession group;
    private final Addressing addressing;
    private final FloorPolicy policy;
    private final TurnHandler handler;
    private final List<ConversationTurn> history = new ArrayList<>();
    private final Deque<GroupTurn> queue = new ArrayDeque<>();
    private Answer current;

    Floor(GroupSession group, Addressing addressing, FloorPolicy policy, TurnHandler handler) {
        this.group = group;
        this.addressing = addressing;
        this.policy = policy;
        this.handler = handler;
    }

    /** The conversation so far, oldest first; user turns read "Speaker: text". */
    List<ConversationTurn> history() {
        return List.copyOf(history);
    }

    /** A turn of {@code p}'s, typed or {@code spoken}: told to listeners, and answered if it is for the agent. */
    void turn(Participant p, long turnId, String text, boolean spoken) {
        if (!group.running()) {
            return;
        }
        long now = group.clock().nanoTime();
        Addressing.Outcome to = addressing.decide(p.id(), text, now);
        boolean addressed = to.addressed();
        GroupTurn turn = new GroupTurn(turnId, p.id(), p.name(), text, to.question(), spoken, addressed, group.clock().now());
        history.add(new ConversationTurn(ConversationTurn.Role.USER, p.name() + ": " + text, false));
        group.emit(l -> l.onTurn(turn));
        if (handler != null && handler.handle(turn)) {
            return;
        }
        if (!addressed || !group.agentEnabled()) {
            return;
        }
        if (current == null) {
            answer(turn, now);
        } else if (policy == FloorPolicy.QUEUE) {
            queue.add(turn);
        } else if (policy == FloorPolicy.LATEST) {
            current.cancel();
            answer(turn, now);
        }
    }

    /** Drops the queued turns and cuts off the answer under way (the agent was switched off, the session stops). */
    void clear() {
        queue.clear();
        if (current != null) {
            current.cancel();
        }
    }

    /** An answer's text and speech are done or it was cut off; the next queued turn gets the floor. */
    void finished(Answer a, AgentReply reply) {
        if (reply != null) {
            if (!reply.text().isEmpty()) {
                history.add(new ConversationTurn(ConversationTurn.Role.AGENT, reply.text(), reply.interrupted()));
            }
            group.emit(l -> l.onAgentReply(reply));
        }
        if (current != a) {
            return;
        }
        current = null;
        GroupTurn next = queue.poll();
        if (next != null && group.agentEnabled() && group.running()) {
            answer(next, group.clock().nanoTime());
        }
    }

    private void answer(GroupTurn turn, long turnEndNanos) {
        Answer a = new Answer(group, turn, turnEndNanos, List.copyOf(history));
        current = a;
        group.emit(l -> l.onAgentThinking(turn));
        a.begin();
    }
}
