package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    @Test
    void listenersMayBlockOnAndCallBackIntoTheSessionOnRealThreads() throws Exception {
        Clock clock = Clock.system();
        UserScript nobody = new UserScript();
        FakeTts tts = FakeTts.builder(clock).firstAudioLatency(Duration.ofMillis(5)).perChar(Duration.ofMillis(5))
                .gap(Duration.ofMillis(5)).build();
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .stt(FakeStt.builder(clock, nobody).build())
                .tts(tts)
                .streamingAgent(FakeAgent.builder(clock).build())
                .build();
        CompletableFuture<PlaybackResult> heard = new CompletableFuture<>();
        CompletableFuture<SessionState> stoppedFromListener = new CompletableFuture<>();
        AtomicBoolean greeted = new AtomicBoolean();
        session.addListener(new SessionListener() {
            @Override
            public void onStateChanged(StateChange change) {
                if (change.to() == SessionState.LISTENING && greeted.compareAndSet(false, true)) {
                    // Blocking in a listener must not stall the session that produces the playout.
                    heard.complete(session.say("hello there").awaitPlayout(Duration.ofSeconds(10)));
                }
            }

            @Override
            public void onPlayback(PlaybackEvent event) {
                if (event.kind() == PlaybackEvent.Kind.FINISHED) {
                    session.stop();
                    stoppedFromListener.complete(session.state());
                }
            }
        });

        session.start();

        assertThat(heard.get(10, TimeUnit.SECONDS).playedText()).isEqualTo("hello there");
        assertThat(stoppedFromListener.get(10, TimeUnit.SECONDS)).isEqualTo(SessionState.ENDED);
        assertThat(tts.streams()).allSatisfy(s -> assertThat(s.closed()).isTrue());
    }

    /**
     * An agent's whole reply and the synthesizer's open reach an idle event loop on the blocking
     * threads that produced them, not by waking a loop thread: the reply is synthesized on one of
     * those threads, one hand-off fewer between the end of a turn and its first audio.
     */
    @Test
    void instantRepliesAreEachSynthesizedOnceOnTheSessionsOwnThreads() {
        Clock clock = Clock.system();
        InstantTts tts = new InstantTts();
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .stt(FakeStt.builder(clock, new UserScript()).build())
                .tts(tts)
                .agent((context, text) -> "sure")
                .build();
        session.start();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(session.respond("question " + i).awaitPlayout(Duration.ofSeconds(10)).playedText()).isEqualTo("sure");
            }
        } finally {
            session.stop();
        }
        // Which thread runs it depends on whether the loop was busy (a timer) when the result came
        // back, so real threads can only check that every reply ran on one of the session's own
        // threads; ReplyHandOffTest pins the hand-off itself on the virtual clock.
        assertThat(tts.flushedOn).hasSize(5)
                .allSatisfy(thread -> assertThat(thread).matches("parley-(user|loop)-.*"));
    }

    @Test
    void twoHundredSessionsShareOneSchedulerAndEachHoldsItsOwnConversation() {
        VirtualClock clock = new VirtualClock();
        List<VoiceSession> sessions = new ArrayList<>();
        List<InMemoryTransport> transports = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            UserScript user = new UserScript().say(500 + i * 20L, 1000, "question number " + i);
            InMemoryTransport t = InMemoryTransport.builder(clock).script(user).build();
            transports.add(t);
            int n = i;
            sessions.add(VoiceSession.builder()
                    .clock(clock)
                    .config(SessionConfig.builder().sessionId("s" + i).build())
                    .transport(t)
                    .vad(new FakeVad())
                    .stt(FakeStt.builder(clock, user).build())
                    .tts(FakeTts.builder(clock).build())
                    .streamingAgent(FakeAgent.builder(clock).reply(q -> "answer " + n).build())
                    .build());
        }
        sessions.forEach(VoiceSession::start);

        clock.advance(Duration.ofSeconds(12));

        for (int i = 0; i < 200; i++) {
            assertThat(sessions.get(i).history()).extracting(turn -> turn.text())
                    .containsExactly("question number " + i, "answer " + i);
            assertThat(sessions.get(i).state()).isEqualTo(SessionState.LISTENING);
            // Each reply started exactly 970 ms after its own user stopped speaking (on the 20 ms frame grid).
            assertThat(transports.get(i).sent().get(0).at()).isEqualTo(Duration.ofMillis(1500 + i * 20L + 970));
        }
        sessions.forEach(VoiceSession::stop);
        assertThat(clock.pendingTimers()).isZero();
    }
}
