package io.parley.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.DtmfEvent;
import io.parley.session.DtmfTurns;
import io.parley.session.ErrorCode;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole phone calls on the test kit and virtual time, through each provider's documented messages. */
class PhoneCallTest {

    private static final String STORY = "Once upon a time there was a very long story about many things";

    private final VirtualClock clock = new VirtualClock();
    private final UserScript user = new UserScript();
    private final List<PlaybackEvent> playbacks = new CopyOnWriteArrayList<>();
    private final List<SessionException> errors = new CopyOnWriteArrayList<>();
    private final List<String> turns = new CopyOnWriteArrayList<>();
    private final List<DtmfEvent> digits = new ArrayList<>();
    private Function<String, String> reply = t -> t.startsWith("tell") ? STORY : "It is noon.";
    private String greeting;
    private FakeAgent agent;
    private VoiceSession session;
    private MediaStreamTransport call;
    private boolean ended;
    private FakeCarrier carrier;
    private StreamEndpoint conn;

    private FakeCarrier connect(Dialect d) {
        carrier = new FakeCarrier(d, clock, user);
        StreamSettings settings = StreamSettings.defaults().withClock(clock);
        conn = new StreamEndpoint(d.protocol, this::answer, settings, carrier, c -> ended = true);
        carrier.attach(conn);
        return carrier;
    }

    private VoiceSession answer(MediaStreamTransport t) {
        call = t;
        agent = FakeAgent.builder(clock).reply(reply).build();
        session = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId("call").build())
                .transport(t)
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, user).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(agent)
                .listener(new SessionListener() {
                    @Override
                    public void onPlayback(PlaybackEvent e) {
                        playbacks.add(e);
                    }

                    @Override
                    public void onError(SessionException e) {
                        errors.add(e);
                    }

                    @Override
                    public void onUserTurn(long id, String text) {
                        turns.add(text);
                    }

                    @Override
                    public void onDtmf(DtmfEvent e) {
                        digits.add(e);
                    }

                    @Override
                    public void onStateChanged(StateChange c) {
                        if (greeting != null && c.from() == SessionState.INITIAL && c.to() == SessionState.LISTENING) {
                            session.say(greeting);
                        }
                    }
                })
                .build();
        return session;
    }

    private void advanceTo(long millis) {
        clock.advanceTo(Duration.ofMillis(millis));
    }

    private PlaybackEvent last(PlaybackEvent.Kind kind) {
        return playbacks.stream().filter(e -> e.kind() == kind).reduce((a, b) -> b).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void greetingThenACallerTurnInMulawThenHangUpReleasesEverything(Dialect d) {
        greeting = "Hello, thanks for calling.";
        user.say(3000, 1000, "what time is it");
        connect(d).start();
        advanceTo(9000);

        assertThat(call.call().protocol()).isEqualTo(d.protocol.name());
        PlaybackEvent hello = playbacks.stream().filter(e -> e.kind() == PlaybackEvent.Kind.FINISHED).findFirst().orElseThrow();
        assertThat(hello.playedText()).isEqualTo(greeting);
        assertThat(turns).containsExactly("what time is it");
        assertThat(last(PlaybackEvent.Kind.FINISHED).playedText()).isEqualTo("It is noon.");
        // Everything sent was played out at the far end and every mark came back as played.
        StreamStats s = call.stats();
        assertThat(s.framesIn()).isGreaterThan(400);
        assertThat(s.framesOut()).isPositive();
        assertThat(s.marksSent()).isPositive().isEqualTo(s.marksPlayed());
        assertThat(s.skippedTotal()).isZero();
        assertThat(carrier.bufferedMillis()).isZero();
        assertThat(errors).isEmpty();
        // The agent's audio reached the wire at 8 kHz: one sample per 125 µs.
        long spokenMillis = hello.played().toMillis() + last(PlaybackEvent.Kind.FINISHED).played().toMillis();
        assertThat(carrier.playedBytes / carrier.bytesPerMilli()).isBetween(spokenMillis - 40, spokenMillis + 40);

        carrier.hangUp();
        advanceTo(9500);
        assertThat(session.state()).isEqualTo(SessionState.ENDED);
        assertThat(call.hungUp()).isTrue();
        assertThat(carrier.closed).isTrue();
        assertThat(ended).isTrue();
        assertThat(clock.pendingTimers()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void bargeInClearsTheProviderAndCutsTheReplyToWhatTheCallerHeard(Dialect d) {
        user.say(500, 1000, "tell me a story");
        user.say(3500, 800, "stop please");
        connect(d).start();
        advanceTo(9000);

        assertThat(carrier.clears).hasSize(1);
        long heardMillis = carrier.clears.get(0)[0] / carrier.bytesPerMilli();
        PlaybackEvent cut = playbacks.stream().filter(e -> e.kind() == PlaybackEvent.Kind.INTERRUPTED).findFirst().orElseThrow();
        // Never more than the caller heard; behind it by at most one 20 ms provider tick.
        assertThat(cut.played().toMillis()).isBetween(heardMillis - 25, heardMillis + 1);
        assertThat(STORY).startsWith(cut.playedText());
        assertThat(cut.playedText()).isNotEmpty().isNotEqualTo(STORY);
        // The marks pending at the clear came back as cleared, not as playout.
        assertThat(call.stats().skippedTotal()).isZero();
        assertThat(turns).containsExactly("tell me a story", "stop please");
        assertThat(session.history().get(1).text()).isEqualTo(cut.playedText());
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void dtmfReachesTheSessionAsEventsAndBecomesATextTurn(Dialect d) {
        connect(d).start();
        advanceTo(500);
        session.addListener(DtmfTurns.builder(s -> session.sendText("The caller pressed " + s)).clock(clock).build());
        carrier.dtmf('4');
        carrier.dtmf('2');
        advanceTo(600);
        carrier.dtmf('#');
        carrier.dtmf('9');
        advanceTo(4000);

        assertThat(digits).extracting(DtmfEvent::digit).containsExactly('4', '2', '#', '9');
        // Exotel says how long the key was held (its documented sample: 100 ms); the others do not.
        assertThat(digits).extracting(DtmfEvent::duration)
                .containsOnly(d == Dialect.EXOTEL ? Duration.ofMillis(100) : Duration.ZERO);
        assertThat(digits).extracting(e -> Duration.between(clock.instantAt(Duration.ZERO), e.at()).toMillis())
                .containsExactly(500L, 500L, 600L, 600L);
        assertThat(agent.calls()).extracting(FakeAgent.Call::transcript)
                .containsExactly("The caller pressed 42", "The caller pressed 9");
        assertThat(carrier.count(d.outMedia)).isPositive();
    }

    @Test
    void malformedAndOutOfOrderMessagesAreCountedAndTheCallGoesOn() {
        user.say(3000, 1000, "what time is it");
        connect(Dialect.TWILIO).start();
        advanceTo(1000);
        byte[] silence = new byte[160];
        java.util.Arrays.fill(silence, (byte) 0xFF);

        carrier.raw("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"chunk\":\"1000\",\"payload\":\"%%%\"}}");
        carrier.raw("{\"event\":\"transfer\"}");
        carrier.raw("this is not json");
        carrier.raw(carrier.next("in start").toString());
        carrier.raw(Samples.set(carrier.next("in media"), "streamSid", "MZ-other").toString());
        carrier.raw(Samples.set(carrier.next("in mark"), "mark.name", "nobody-sent-this").toString());
        carrier.raw(Samples.set(carrier.next("in media"), "media.payload", "/w==").toString().replace("\"chunk\":\"1\"", "\"chunk\":\"0\""));
        carrier.duplicate(silence);
        carrier.lose(3);
        advanceTo(9000);

        StreamStats s = call.stats();
        assertThat(s.skipped()).containsEntry(Problem.BAD_PAYLOAD, 1L)
                .containsEntry(Problem.UNKNOWN_EVENT, 1L)
                .containsEntry(Problem.MALFORMED, 1L)
                .containsEntry(Problem.OUT_OF_ORDER, 2L)
                .containsEntry(Problem.UNKNOWN_MARK, 1L)
                .containsEntry(Problem.LATE_CHUNK, 2L);
        assertThat(s.chunksMissing()).isEqualTo(3);
        // One typed error per kind of problem, then only counts.
        assertThat(errors).extracting(SessionException::code).containsOnly(ErrorCode.PROVIDER_PROTOCOL);
        assertThat(errors).hasSize(6);
        // The call is alive: the caller's turn was answered.
        assertThat(turns).containsExactly("what time is it");
        assertThat(last(PlaybackEvent.Kind.FINISHED).playedText()).isEqualTo("It is noon.");
    }

    @Test
    void aStreamThatNeverStartsIsClosedAfterTheStartTimeout() {
        connect(Dialect.TWILIO);
        carrier.raw(Dialect.TWILIO.samples.text("in connected"));
        carrier.raw(Dialect.TWILIO.samples.text("in media"));
        carrier.raw(Dialect.TWILIO.samples.text("in dtmf"));
        advanceTo(9_000);
        assertThat(carrier.closed).isFalse();
        assertThat(conn.stats().skipped(Problem.BEFORE_START)).isEqualTo(2);
        advanceTo(10_500);
        assertThat(carrier.closed).isTrue();
        assertThat(carrier.closeStatus).isEqualTo(1008);
        assertThat(ended).isTrue();
        assertThat(session).isNull();
    }

    @Test
    void aCallRefusedByTheHandlerIsClosed() {
        carrier = new FakeCarrier(Dialect.TWILIO, clock, user);
        conn = new StreamEndpoint(MediaStreamProtocol.twilio(), t -> null, StreamSettings.defaults().withClock(clock), carrier, c -> ended = true);
        carrier.attach(conn);
        carrier.start();
        advanceTo(100);
        assertThat(carrier.closed).isTrue();
        assertThat(carrier.closeReason).isEqualTo("call refused");
        assertThat(ended).isTrue();
    }
}
