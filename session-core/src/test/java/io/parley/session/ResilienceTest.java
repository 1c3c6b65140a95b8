package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilienceTest {

    @Test
    void failedSynthesisIsRetriedWithExponentialBackoffThenSucceeds() {
        SessionHarness h = new SessionHarness();
        h.build().start();
        h.tts.failOpens(2, ErrorCode.PROVIDER_CONNECTION);

        PlaybackHandle hi = h.session.say("hello");
        h.advanceTo(5000);

        // Attempts at 0, 1 s and 1 + 2 s; audio 100 ms after the third.
        assertThat(h.tts.opens()).isEqualTo(3);
        assertThat(h.errors).isEmpty();
        assertThat(h.playbackLog()).first().isEqualTo("STARTED@3100");
        assertThat(hi.playout().join().interrupted()).isFalse();
    }

    @Test
    void nonRetryableFailureIsReportedOnceAndFailsTheSpeech() {
        SessionHarness h = new SessionHarness();
        h.build().start();
        h.tts.failOpens(1, ErrorCode.PROVIDER_AUTH);

        PlaybackHandle hi = h.session.say("hello");
        h.advanceTo(5000);

        assertThat(h.tts.opens()).isEqualTo(1);
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.PROVIDER_AUTH);
        assertThat(hi.playout()).isCompletedExceptionally();
        assertThat(h.session.state()).isEqualTo(SessionState.LISTENING);
    }

    @Test
    void exhaustedRetriesReportTheLastError() {
        SessionHarness h = new SessionHarness();
        h.config.maxRetries(2);
        h.build().start();
        h.tts.failOpens(10, ErrorCode.PROVIDER_RATE_LIMITED);

        PlaybackHandle hi = h.session.say("hello");
        h.advanceTo(10_000);

        assertThat(h.tts.opens()).isEqualTo(3);
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.PROVIDER_RATE_LIMITED);
        assertThat(hi.playout()).isCompletedExceptionally();
    }

    @Test
    void streamFailureBeforeAudioIsRetriedOnANewStream() {
        SessionHarness h = new SessionHarness();
        h.build().start();
        h.tts.failStreams(1);

        h.session.say("hello there");
        h.advanceTo(3000);

        assertThat(h.tts.streams()).hasSize(2);
        assertThat(h.tts.streams().get(1).text()).isEqualTo("hello there");
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.PROVIDER_CONNECTION);
        assertThat(h.playbacks).extracting(PlaybackEvent::kind).containsExactly(PlaybackEvent.Kind.STARTED, PlaybackEvent.Kind.FINISHED);
    }

    @Test
    void openBreakerSwitchesToTheFallbackSynthesizerAndBackWhenItCloses() {
        SessionHarness h = new SessionHarness();
        h.config.breakerFailureThreshold(2).breakerOpenDuration(Duration.ofSeconds(30));
        FakeTts primary = FakeTts.builder(h.clock).name("primary").build();
        FakeTts fallback = FakeTts.builder(h.clock).name("fallback").build();
        h.tts = primary;
        h.extra = b -> b.tts(primary, fallback);
        h.build().start();
        primary.failOpens(2, ErrorCode.PROVIDER_CONNECTION);

        h.session.say("first");
        h.advanceTo(5000);
        // A failed primary hands the call straight to the fallback, within the same attempt.
        assertThat(primary.opens()).isEqualTo(1);
        assertThat(fallback.streams()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("first"));

        h.session.say("second");
        h.advanceTo(10_000);
        // The second failure opens the primary's breaker.
        assertThat(primary.opens()).isEqualTo(2);
        assertThat(fallback.streams()).hasSize(2);
        h.session.say("between");
        h.advanceTo(15_000);
        assertThat(primary.opens()).isEqualTo(2);
        assertThat(fallback.streams()).hasSize(3);

        // After the open duration the primary is tried again, succeeds, and is used from then on.
        h.advanceTo(40_000);
        h.session.say("third");
        h.advanceTo(45_000);
        h.session.say("fourth");
        h.advanceTo(50_000);
        assertThat(primary.streams()).extracting(FakeTts.Stream::text).containsExactly("third", "fourth");
        assertThat(fallback.streams()).hasSize(3);
    }

    @Test
    void recognizerFallsBackWhenThePrimaryCannotOpenAndReturnsAfterTheBreakerCloses() {
        SessionHarness h = new SessionHarness();
        h.config.breakerFailureThreshold(2).breakerOpenDuration(Duration.ofSeconds(20)).retryDelay(Duration.ofMillis(100));
        FakeStt primary = FakeStt.builder(h.clock, h.user).name("primary").build();
        FakeStt fallback = FakeStt.builder(h.clock, h.user).name("fallback").build();
        primary.failOpens(2, ErrorCode.PROVIDER_CONNECTION);
        h.stt = primary;
        h.extra = b -> b.stt(primary, fallback);
        h.user.say(1000, 1000, "first question");
        h.user.say(30_000, 1000, "second question");
        h.build();
        h.session.startAsync();
        h.advanceTo(5000);

        assertThat(fallback.streams()).hasSize(1);
        assertThat(h.userTurns).containsExactly("first question");
        // The second turn is still heard by the fallback; once it is committed the session
        // moves back to the primary, whose breaker now admits a trial call.
        h.advanceTo(35_000);
        assertThat(h.userTurns).containsExactly("first question", "second question");
        assertThat(primary.streams()).hasSize(1);
        assertThat(fallback.streams().get(0).closed()).isTrue();
    }

    @Test
    void droppedRecognizerStreamReconnectsAndNoSpeechIsLost() {
        SessionHarness h = new SessionHarness();
        h.config.retryDelay(Duration.ofMillis(200));
        h.user.say(1000, 2000, "please book a table for four people tonight");
        h.stt = FakeStt.builder(h.clock, h.user).build();
        h.stt.failOpens(0, ErrorCode.PROVIDER_CONNECTION);
        h.build().start();
        h.advanceTo(1500);
        h.stt.failOpens(1, ErrorCode.PROVIDER_CONNECTION);

        h.stt.streams().get(0).fail(new SessionException(ErrorCode.PROVIDER_CONNECTION, "socket closed"));
        h.advanceTo(8000);

        // The reopen at once fails, the retry 200 ms later succeeds; audio in between was kept.
        assertThat(h.stt.opens()).isEqualTo(3);
        assertThat(h.userTurns).containsExactly("please book a table for four people tonight");
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.PROVIDER_CONNECTION);
    }

    @Test
    void agentFailureIsReportedAndTheSessionListensAgain() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.build().start();
        h.agent.failNext(1);

        h.advanceTo(5000);

        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.AGENT_ERROR);
        assertThat(h.stateLog()).containsExactly("INITIAL->LISTENING@0", "LISTENING->PROCESSING@2000", "PROCESSING->LISTENING@2350");
    }

    @Test
    void aFinalLaterThanTheTimeoutIsNotTakenForNewSpeech() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.stt = FakeStt.builder(h.clock, h.user).finalDelay(Duration.ofSeconds(3)).build();
        h.build().start();

        h.advanceTo(8000);

        // Finalized at 2000; the interim is used at 4000; the final arriving at 5000 is the
        // same turn's, heard while the reply plays, and interrupts nothing.
        assertThat(h.errors).extracting(SessionException::code).containsExactly(ErrorCode.TIMEOUT);
        assertThat(h.userTurns).containsExactly("what time is it");
        assertThat(h.transport.events()).isEmpty();
        assertThat(h.stateLog()).containsExactly("INITIAL->LISTENING@0", "LISTENING->PROCESSING@2000",
                "PROCESSING->SPEAKING@4320", "SPEAKING->LISTENING@4980");
    }
}
