package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.FakeStt;
import io.parley.testing.ForwardingClock;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a committed turn reaches the agent and the synthesizer and its first audio goes out,
 * with the blocking pool's threads started by hand, in the order a busy machine might give
 * them a CPU.
 */
class ReplyHandOffTest {

    /**
     * The agent's call and the synthesizer's open are handed to the pool together; with an
     * instant agent and synthesizer, the first pool thread to run does both and sends the first
     * frame, at the moment the turn was committed, without waiting for the second thread.
     */
    @Test
    void theFirstPoolThreadToRunAnswersAnInstantTurnAndSendsItsFirstFrame() {
        HeldPool clock = new HeldPool(new VirtualClock());
        InMemoryTransport transport = InMemoryTransport.builder(clock).build();
        InstantTts tts = new InstantTts();
        AtomicInteger agentCalls = new AtomicInteger();
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .transport(transport)
                .stt(FakeStt.builder(clock, new UserScript()).build())
                .tts(tts)
                .agent((context, text) -> {
                    agentCalls.incrementAndGet();
                    return "sure";
                })
                .build();
        session.startAsync();
        clock.virtual.runPending();
        assertThat(session.state()).isEqualTo(SessionState.LISTENING);
        clock.virtual.advance(Duration.ofMillis(500));

        clock.holding = true;
        Duration committedAt = Duration.ofNanos(clock.nanoTime());
        SpeechHandle reply = session.respond("what time is it");
        assertThat(clock.held).as("the synthesizer's open and the agent's call").hasSize(2);
        // The thread asked for second gets a CPU first; the other has not run yet.
        clock.held.get(1).run();

        assertThat(tts.opens).hasValue(1);
        assertThat(agentCalls).hasValue(1);
        assertThat(transport.sent()).isNotEmpty();
        assertThat(transport.sent().get(0).at()).isEqualTo(committedAt);
        assertThat(reply.text()).isCompletedWithValue("sure");

        clock.held.get(0).run();
        assertThat(tts.opens).as("the late thread finds nothing left to do").hasValue(1);
        assertThat(agentCalls).hasValue(1);
        clock.holding = false;
        clock.virtual.advance(Duration.ofSeconds(1));
        assertThat(reply.playout().join().playedText()).isEqualTo("sure");
        session.stopAsync();
        clock.virtual.runPending();
    }

    /** A virtual clock whose blocking tasks can be held, to be run by hand. */
    private static final class HeldPool extends ForwardingClock {
        final VirtualClock virtual;
        final List<Runnable> held = new ArrayList<>();
        boolean holding;

        HeldPool(VirtualClock virtual) {
            super(virtual);
            this.virtual = virtual;
        }

        @Override
        public void executeBlocking(Runnable task) {
            if (holding) {
                held.add(task);
            } else {
                super.executeBlocking(task);
            }
        }
    }
}
