package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LifecycleTest {

    @Test
    void silentUserGoesAwayAfterTheAwayTimeoutAndComesBackBySpeaking() {
        SessionHarness h = new SessionHarness();
        h.user.say(20_000, 800, "hello again");
        h.build().start();

        h.advanceTo(25_000);

        assertThat(h.stateLog()).startsWith(
                "INITIAL->LISTENING@0",
                "LISTENING->AWAY@15000",
                "AWAY->LISTENING@20000",
                "LISTENING->PROCESSING@21300");
    }

    @Test
    void awayTimerCountsFromTheEndOfTheAgentsSpeech() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.build().start();

        h.advanceTo(20_000);

        // The reply finished at 3130; 15 s of silence after that.
        assertThat(h.stateLog()).contains("SPEAKING->LISTENING@3130", "LISTENING->AWAY@18130");
    }

    @Test
    void inactivityEndsTheSessionWithSessionExpired() {
        SessionHarness h = new SessionHarness();
        h.config.timeout(Duration.ofSeconds(60)).awayTimeout(Duration.ofSeconds(10));
        h.user.say(500, 1000, "what time is it");
        h.build().start();

        h.advanceTo(70_000);

        // Last activity is the end of the reply at 3130.
        assertThat(h.stateLog()).endsWith("AWAY->ENDED@63130");
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.SESSION_EXPIRED);
        assertThat(h.session.state()).isEqualTo(SessionState.ENDED);
        assertNothingRunning(h);
    }

    /** Drives a fresh session into {@code target} and returns it there. */
    private static SessionHarness sessionIn(SessionState target) {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.build();
        switch (target) {
            case INITIAL -> { }
            case LISTENING -> {
                h.start();
                h.advanceTo(1000);
            }
            case PROCESSING -> {
                h.start();
                h.advanceTo(2200);
            }
            case SPEAKING -> {
                h.start();
                h.advanceTo(2600);
            }
            case AWAY -> {
                h.start();
                h.advanceTo(19_000);
            }
            case ENDED -> {
                h.start();
                h.session.stop();
            }
        }
        return h;
    }

    @ParameterizedTest
    @EnumSource(SessionState.class)
    void stopFromEveryStateLeavesNothingRunning(SessionState from) {
        SessionHarness h = sessionIn(from);
        assertThat(h.session.state()).isEqualTo(from);

        h.session.stop();
        h.clock.runPending();

        assertThat(h.session.state()).isEqualTo(SessionState.ENDED);
        if (from != SessionState.INITIAL && from != SessionState.ENDED) {
            assertThat(h.stateLog()).last().asString().startsWith(from + "->ENDED@");
        }
        assertNothingRunning(h);
        if (from == SessionState.PROCESSING) {
            assertThat(h.agent.calls()).singleElement().satisfies(c -> assertThat(c.context().cancelled()).isTrue());
        }
    }

    static void assertNothingRunning(SessionHarness h) {
        assertThat(h.clock.pendingTimers()).as("timers left on the clock").isZero();
        assertThat(h.stt.streams()).allSatisfy(s -> assertThat(s.closed()).isTrue());
        assertThat(h.tts.streams()).allSatisfy(s -> assertThat(s.closed()).isTrue());
        if (h.transport.starts() > 0) {
            assertThat(h.transport.closed()).isTrue();
        }
    }

    @Test
    void stoppedSessionRestartsAndConverses() {
        SessionHarness h = new SessionHarness();
        h.user.say(6_000, 1000, "what time is it");
        h.build().start();
        h.advanceTo(1000);
        h.session.stop();
        h.advanceTo(2000);

        h.session.start();
        h.advanceTo(10_000);

        assertThat(h.stateLog()).containsExactly(
                "INITIAL->LISTENING@0",
                "LISTENING->ENDED@1000",
                "ENDED->LISTENING@2000",
                "LISTENING->PROCESSING@7500",
                "PROCESSING->SPEAKING@7970",
                "SPEAKING->LISTENING@8630");
        assertThat(h.stt.streams()).hasSize(2);
        assertThat(h.transport.starts()).isEqualTo(2);
    }

    @Test
    void startTwiceIsRefused() {
        SessionHarness h = new SessionHarness().build().start();
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(h.session::start, SessionException.class).code())
                .isEqualTo(ErrorCode.SESSION_ALREADY_ACTIVE);
    }

    @Test
    void stopIsIdempotentAndAutoCloseable() {
        SessionHarness h = new SessionHarness().build().start();
        try (VoiceSession s = h.session) {
            assertThat(s.state()).isEqualTo(SessionState.LISTENING);
        }
        h.session.stop();
        assertThat(h.stateLog()).containsExactly("INITIAL->LISTENING@0", "LISTENING->ENDED@0");
    }

    @Test
    void prefixAudioBeforeOnsetReachesTheRecognizer() {
        SessionHarness h = new SessionHarness();
        h.user.say(1000, 1000, "hello there");
        h.build().start();
        h.advanceTo(1100);

        // Onset at 1000; the 500 ms before it are replayed first, in order, with their capture times.
        assertThat(h.stt.streams().get(0).frameTimes().get(0)).isEqualTo(Duration.ofMillis(500).toNanos());
        assertThat(h.stt.streams().get(0).frameTimes()).isSorted();
    }

    @Test
    void longSpeechIsForcedIntoChunksWithoutEndingTheTurn() {
        SessionHarness h = new SessionHarness();
        h.config.maxUtteranceDuration(Duration.ofSeconds(5));
        h.user.say(500, 12_000, "a very long monologue that goes on and on without any pause at all");
        h.build().start();
        h.advanceTo(12_000);

        assertThat(h.stt.streams().get(0).finalizes()).isEqualTo(2);
        assertThat(h.session.state()).isEqualTo(SessionState.LISTENING);
        h.advanceTo(16_000);
        assertThat(h.userTurns).containsExactly("a very long monologue that goes on and on without any pause at all");
    }

    @Test
    void sendTextAnswersInTextOnlyWhenConfigured() {
        SessionHarness h = new SessionHarness();
        h.config.speakTextReplies(false);
        h.agentSetup = a -> a.reply(t -> "Echo: " + t);
        h.build().start();

        var reply = h.session.sendText("hi there");
        h.advanceTo(1000);

        assertThat(reply).isCompletedWithValue("Echo: hi there");
        assertThat(h.tts.opens()).isZero();
        assertThat(h.stateLog()).containsExactly("INITIAL->LISTENING@0", "LISTENING->PROCESSING@0", "PROCESSING->LISTENING@240");
        assertThat(h.session.history()).extracting(t -> t.text()).containsExactly("hi there", "Echo: hi there");
    }

    @Test
    void sendTextIsSpokenByDefault() {
        SessionHarness h = new SessionHarness();
        h.build().start();
        var reply = h.session.sendText("hi");
        h.advanceTo(2000);
        assertThat(reply).isCompletedWithValue("It is noon.");
        assertThat(h.tts.streams()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("It is noon."));
        assertThat(h.stateLog()).contains("PROCESSING->SPEAKING@320");
    }

    @Test
    void sayWaitsForQueuedSpeechAndReportsPlayout() {
        SessionHarness h = new SessionHarness().build().start();
        PlaybackHandle a = h.session.say("one");
        PlaybackHandle b = h.session.say("two");
        h.advanceTo(2000);
        // "one" = 180+40 ms from 100; "two" opens after it and starts 100 ms later.
        assertThat(a.playout().join().played()).isEqualTo(Duration.ofMillis(220));
        assertThat(h.playbackLog()).containsExactly("STARTED@100", "FINISHED@320", "STARTED@420", "FINISHED@640");
        assertThat(b.playout().join().playedText()).isEqualTo("two");
    }

    @Test
    void endpointingCountsFromTheLastVoicedFrameNotTheVadsHangover() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.extra = b -> b.vad(new io.parley.testing.FakeVad(500, Duration.ofMillis(300)));
        h.build().start();
        h.advanceTo(4000);

        // The detector lets go at 1800; the user stopped at 1500; 500 ms later the turn ends.
        assertThat(h.speech).extracting(s -> h.at(s.at()).toMillis()).containsExactly(500L, 1500L);
        assertThat(h.stateLog()).contains("LISTENING->PROCESSING@2000");
    }

    @Test
    void aTransportThatReconnectsWithinTheGraceKeepsTheSessionAndOneThatDoesNotEndsIt() {
        SessionHarness h = new SessionHarness();
        h.build().start();
        h.advanceTo(1000);
        h.transport.disconnect("network blip");
        h.advanceTo(4000);
        h.transport.reconnect();
        h.advanceTo(20_000);
        assertThat(h.session.state()).isEqualTo(SessionState.AWAY);

        h.transport.disconnect("peer gone");
        h.advanceTo(40_000);
        assertThat(h.stateLog()).last().isEqualTo("AWAY->ENDED@30000");
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.TRANSPORT_CLOSED);
        assertNothingRunning(h);
    }
}
