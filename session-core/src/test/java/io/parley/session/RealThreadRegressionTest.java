package io.parley.session;

import static io.parley.audio.TestSignals.concat;
import static io.parley.session.RealThreads.feed;
import static io.parley.session.RealThreads.pcm;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.session.RealThreads.RecordingTransport;
import io.parley.session.RealThreads.WordStt;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * One regression test per observed failure of issue 10 §1 (items 1–11), each on real threads
 * (the system clock and its pools, the test's own feeding thread) with bounded waits.
 */
class RealThreadRegressionTest {

    private final Clock clock = Clock.system();
    private final List<SessionException> errors = new CopyOnWriteArrayList<>();
    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final List<VoiceSession> sessions = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        sessions.forEach(VoiceSession::stop);
    }

    private FakeTts fastTts() {
        return FakeTts.builder(clock).firstAudioLatency(Duration.ofMillis(5)).perChar(Duration.ofMillis(10))
                .gap(Duration.ofMillis(5)).build();
    }

    private VoiceSession.Builder builder(SessionConfig.Builder config) {
        return VoiceSession.builder()
                .clock(clock)
                .config(config.build())
                .tts(fastTts())
                .streamingAgent((ctx, text, sink) -> {
                    answered.add(text);
                    sink.write("ok");
                    sink.complete();
                })
                .listener(new SessionListener() {
                    @Override
                    public void onError(SessionException error) {
                        errors.add(error);
                    }
                });
    }

    private VoiceSession track(VoiceSession s) {
        sessions.add(s);
        return s;
    }

    private static SessionConfig.Builder quick() {
        return SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(100)).endpointingMaxDelay(Duration.ofMillis(400))
                .retryDelay(Duration.ofMillis(20));
    }

    /** Polls {@code condition} until it holds or {@code limit} passes; true if it held. */
    private static boolean eventually(BooleanSupplier condition, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            LockSupport.parkNanos(5_000_000L);
        }
        return condition.getAsBoolean();
    }

    // 1
    @Test
    void aTransportSendThatThrowsOnceIsReportedAndTheSessionSettles() throws Exception {
        RecordingTransport transport = new RecordingTransport(clock);
        VoiceSession s = track(builder(quick()).transport(transport).vad(new FakeVad()).stt(new WordStt(50, false)).build());
        s.start();
        transport.failSends = 1;

        PlaybackResult r = s.say("hello there").playout().get(5, TimeUnit.SECONDS);

        assertThat(r).isNotNull();
        assertThat(eventually(() -> s.state() == SessionState.LISTENING, Duration.ofSeconds(5))).isTrue();
        // Listeners hear of the error on their own thread, possibly after the state has settled.
        assertThat(eventually(() -> errors.stream().anyMatch(e -> e.code() == ErrorCode.TRANSPORT_ERROR), Duration.ofSeconds(5)))
                .isTrue();
        // The session goes on working: the next speech plays.
        assertThat(s.say("again").playout().get(5, TimeUnit.SECONDS).interrupted()).isFalse();
    }

    // 1
    @Test
    void anyExceptionInALoopTaskIsReportedWithACodeAndTheSessionSettles() throws Exception {
        RecordingTransport transport = new RecordingTransport(clock);
        VoiceSession s = track(builder(quick()).transport(transport).vad(new FakeVad()).stt(new WordStt(50, false)).build());
        s.start();
        // Armed before the speech starts: on a fast machine a short speech can finish playing
        // before a fault armed after SPEAKING is ever reached.
        transport.failPlayedSamples = 1;
        PlaybackHandle h = s.say("hello there");

        assertThat(h.playout().get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(eventually(() -> s.state() == SessionState.LISTENING, Duration.ofSeconds(5))).isTrue();
        assertThat(eventually(() -> errors.stream().anyMatch(e -> e.code() == ErrorCode.INTERNAL_ERROR),
                Duration.ofSeconds(5))).as("errors: %s", errors).isTrue();
    }

    // 2
    @Test
    void stopWhileStartIsOpeningProvidersEndsTheSessionAndClosesWhatTheOpensReturn() throws Exception {
        WordStt stt = new WordStt(50, false);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        stt.onOpen = r -> {
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        RecordingTransport transport = new RecordingTransport(clock);
        VoiceSession s = track(builder(quick()).transport(transport).vad(new FakeVad()).stt(stt).build());
        CompletableFuture<Void> started = s.startAsync();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        s.stop();
        assertThat(s.state()).isEqualTo(SessionState.ENDED);
        release.countDown();

        assertThat(started).failsWithin(Duration.ofSeconds(5));
        assertThat(eventually(() -> !stt.streams.isEmpty() && stt.streams.get(0).closed, Duration.ofSeconds(5))).isTrue();
        assertThat(s.state()).isEqualTo(SessionState.ENDED);
        assertThat(transport.startThreads.size()).isEqualTo(transport.closeThreads.size());
    }

    // 3
    @Test
    void withTheDefaultConfigADeadPrimaryFallsBackWithinOneStartAndItsBreakerIsShared() throws Exception {
        WordStt primary = new WordStt(50, false);
        primary.failOpens = 1_000;
        WordStt fallback = new WordStt(50, false);
        VoiceSession first = track(builder(SessionConfig.builder()).vad(new FakeVad()).stt(primary, fallback).build());

        first.startAsync().get(5, TimeUnit.SECONDS);
        assertThat(primary.opens.get()).isEqualTo(1);
        assertThat(fallback.opens.get()).isEqualTo(1);

        // The default threshold is 5 failures; sessions share what they learned.
        for (int i = 0; i < 5; i++) {
            track(builder(SessionConfig.builder()).vad(new FakeVad()).stt(primary, fallback).build())
                    .startAsync().get(5, TimeUnit.SECONDS);
        }
        assertThat(primary.opens.get()).isEqualTo(5);
        assertThat(fallback.opens.get()).isEqualTo(6);
    }

    // 4
    @Test
    void transportAndRecognizerStartsAndClosesNeverRunOnTheLoopPool() {
        RecordingTransport transport = new RecordingTransport(clock);
        WordStt stt = new WordStt(50, false);
        VoiceSession s = builder(quick()).transport(transport).vad(new FakeVad()).stt(stt).build();
        s.start();
        s.stop();

        assertThat(transport.startThreads).hasSize(1);
        assertThat(transport.closeThreads).hasSize(1);
        assertThat(eventually(() -> stt.closeThreads.size() == 1, Duration.ofSeconds(5))).isTrue();
        assertThat(List.of(transport.startThreads, transport.closeThreads, stt.openThreads, stt.closeThreads))
                .allSatisfy(names -> assertThat(names).noneMatch(n -> n.startsWith("parley-loop-")));
    }

    // 5
    @Test
    void aRecognizerOutageDoesNotFloodErrorsAndWithoutAVadTheSessionHearsAgainWhenItIsBack() throws Exception {
        WordStt stt = new WordStt(50, true);
        VoiceSession s = track(builder(quick().maxRetries(1)).stt(stt).build());
        s.start();
        stt.failOpens = 1_000_000;
        stt.streams.get(0).fail();

        // 30 s of audio while the recognizer is down, as fast as the session takes it.
        feed(s, clock, silence(1500), false);
        assertThat(errors.size()).isLessThan(20);

        stt.failOpens = 0;
        assertThat(eventually(() -> stt.streams.size() == 2, Duration.ofSeconds(10))).isTrue();
        feed(s, clock, concat(speech(5, "what", "time"), silence(20)), false);
        // Audio keeps flowing, as from a live microphone; what queued while the recognizer
        // was away is replayed to it with the next frame.
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!answered.contains("what time") && System.nanoTime() < end) {
            feed(s, clock, silence(1), true);
        }
        assertThat(answered).contains("what time");
    }

    // 6
    @Test
    void anOnsetThatRacesTheEndOfTheTurnBeforeItKeepsItsWords() throws Exception {
        WordStt stt = new WordStt(50, false);
        CountDownLatch inCommit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        TurnDetector slowAtCommit = new TurnDetector() {
            @Override
            public TurnPrediction predict(TurnContext context) {
                return new TurnPrediction(0.9, context.minDelay());
            }

            @Override
            public void observePause(Duration pause, boolean endedTurn) {
                if (endedTurn && first.compareAndSet(true, false)) {
                    inCommit.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        VoiceSession s = track(builder(quick()).vad(new FakeVad()).turnDetector(slowAtCommit).stt(stt).build());
        CountDownLatch processing = new CountDownLatch(1);
        s.addListener(new SessionListener() {
            @Override
            public void onStateChanged(StateChange change) {
                if (change.to() == SessionState.PROCESSING) {
                    processing.countDown();
                }
            }
        });
        s.start();
        feed(s, clock, concat(speech(5, "what", "time"), silence(3)), false);
        // The loop is committing the turn; meanwhile the user starts again.
        assertThat(inCommit.await(5, TimeUnit.SECONDS)).isTrue();
        feed(s, clock, speech(5, "is"), false);
        release.countDown();
        assertThat(processing.await(5, TimeUnit.SECONDS)).isTrue();
        feed(s, clock, concat(speech(5, "it"), silence(3)), false);

        assertThat(eventually(() -> stt.streams.get(0).heard.contains("it"), Duration.ofSeconds(3))).isTrue();
    }

    // 7
    @Test
    void interruptWithQueuedSpeechOpensNoMoreSynthesis() throws Exception {
        FakeTts tts = fastTts();
        VoiceSession s = track(builder(quick()).tts(tts).vad(new FakeVad()).stt(new WordStt(50, false)).build());
        s.start();
        PlaybackHandle a = s.say("one two three four");
        PlaybackHandle b = s.say("five");
        PlaybackHandle c = s.say("six");
        assertThat(eventually(() -> s.state() == SessionState.SPEAKING, Duration.ofSeconds(5))).isTrue();
        s.interrupt();
        CompletableFuture.allOf(a.playout(), b.playout(), c.playout()).get(5, TimeUnit.SECONDS);
        assertThat(tts.opens()).isEqualTo(1);
    }

    // 7
    @Test
    void stopCancelsAPendingSynthesisRetry() {
        FakeTts failing = fastTts();
        failing.failOpens(1, ErrorCode.PROVIDER_CONNECTION);
        VoiceSession r = builder(quick().retryDelay(Duration.ofMillis(300))).tts(failing).vad(new FakeVad())
                .stt(new WordStt(50, false)).build();
        r.start();
        r.say("hello");
        assertThat(eventually(() -> failing.opens() == 1, Duration.ofSeconds(5))).isTrue();
        r.stop();
        assertThat(eventually(() -> failing.opens() > 1, Duration.ofMillis(1200))).isFalse();
    }

    // 8
    @Test
    void aTurnResumedWhileItsFinalTranscriptIsSlowIsAnsweredWhole() throws Exception {
        WordStt stt = new WordStt(1500, false);
        VoiceSession s = track(builder(quick().endpointingMinDelay(Duration.ofMillis(200)).sttFinalTimeout(Duration.ofSeconds(5))
                .interruptionMinDuration(Duration.ofMillis(100))).vad(new FakeVad()).stt(stt).build());
        s.start();
        feed(s, clock, concat(speech(10, "saved", "to"), silence(20), speech(10, "folder", "five"), silence(10)), true);

        assertThat(eventually(() -> !answered.isEmpty(), Duration.ofSeconds(8))).isTrue();
        assertThat(answered).containsExactly("saved to folder five");
    }

    // 8, second half
    @Test
    void aResumedTurnAnsweredAfterTheFinalTimeoutHasNoDuplicatedWords() throws Exception {
        // The user resumes 200 ms after the end of turn; the final transcript is given up 1.5 s
        // after it and arrives 1 s later still: the slack (1.3 s) absorbs a busy machine.
        WordStt stt = new WordStt(2500, false);
        VoiceSession s = track(builder(quick().endpointingMinDelay(Duration.ofMillis(200)).sttFinalTimeout(Duration.ofMillis(1500))
                .interruptionMinDuration(Duration.ofMillis(100))).vad(new FakeVad()).stt(stt).build());
        s.start();
        feed(s, clock, concat(speech(10, "saved", "to"), silence(20), speech(10, "folder", "five"), silence(10)), true);

        assertThat(eventually(() -> answered.stream().anyMatch(a -> a.endsWith("folder five")), Duration.ofSeconds(8)))
                .as("answered %s, errors %s", answered, errors).isTrue();
        assertThat(eventually(() -> s.state() == SessionState.LISTENING, Duration.ofSeconds(5))).isTrue();
        assertThat(answered).as("errors %s", errors).containsExactly("saved to folder five");
    }

    // 9
    @Test
    void aWholeUtteranceInOneProcessAudioCallIsHeard() {
        WordStt stt = new WordStt(50, false);
        VoiceSession s = track(builder(quick()).vad(new FakeVad()).stt(stt).build());
        s.start();

        s.processAudio(pcm(silence(15), speech(5, "what", "time", "is", "it"), silence(40)));

        assertThat(eventually(() -> answered.contains("what time is it"), Duration.ofSeconds(5))).isTrue();
    }

    // 10
    @Test
    void withoutAVadARecognizerThatNeverEndsUtterancesStillEndsTurns() throws Exception {
        WordStt stt = new WordStt(50, false);
        VoiceSession s = track(builder(quick()).stt(stt).build());
        s.start();

        feed(s, clock, concat(speech(5, "what", "time"), silence(10)), false);

        assertThat(eventually(() -> answered.contains("what time"), Duration.ofSeconds(5))).isTrue();
    }

    // 11
    @Test
    void interruptSparesUninterruptibleSpeech() throws Exception {
        VoiceSession s = track(builder(quick()).vad(new FakeVad()).stt(new WordStt(50, false)).build());
        s.start();
        PlaybackHandle notice = s.say("this call is recorded", SayOptions.UNINTERRUPTIBLE);
        assertThat(eventually(() -> s.state() == SessionState.SPEAKING, Duration.ofSeconds(5))).isTrue();

        s.interrupt();

        assertThat(notice.playout().get(5, TimeUnit.SECONDS).interrupted()).isFalse();
    }

    // 11
    @Test
    void theAgentAndProviderOpensSeeTheSessionIdInTheMdc() throws Exception {
        // The test binding (slf4j-simple) drops MDC values; give MDC a map so they can be seen.
        java.lang.reflect.Field adapter = MDC.class.getDeclaredField("mdcAdapter");
        adapter.setAccessible(true);
        adapter.set(null, new org.slf4j.helpers.BasicMDCAdapter());
        WordStt stt = new WordStt(50, false);
        CompletableFuture<String> openMdc = new CompletableFuture<>();
        stt.onOpen = r -> openMdc.complete(String.valueOf(MDC.get("parley.session")));
        CompletableFuture<String> agentMdc = new CompletableFuture<>();
        VoiceSession s = track(builder(quick().sessionId("mdc-session")).vad(new FakeVad()).stt(stt)
                .streamingAgent((ctx, text, sink) -> {
                    agentMdc.complete(String.valueOf(MDC.get("parley.session")));
                    sink.complete();
                }).build());
        s.start();
        s.sendText("hello");

        assertThat(List.of(openMdc.get(5, TimeUnit.SECONDS), agentMdc.get(5, TimeUnit.SECONDS)))
                .containsExactly("mdc-session", "mdc-session");
    }

    // 11
    @Test
    void aListenerThatCannotKeepUpIsToldAndDoesNotHoldUnboundedEvents() throws Exception {
        VoiceSession s = track(builder(quick()).vad(new FakeVad()).stt(new WordStt(50, false)).build());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        s.addAudioListener(new AudioListener() {
            @Override
            public void onUserAudio(AudioFrame frame) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                delivered.incrementAndGet();
            }
        });
        s.start();
        feed(s, clock, silence(5000), false);
        release.countDown();

        assertThat(eventually(() -> errors.stream().anyMatch(e -> e.code().name().equals("LISTENER_TOO_SLOW")),
                Duration.ofSeconds(10))).isTrue();
        assertThat(delivered.get()).isLessThan(5000);
    }
}
