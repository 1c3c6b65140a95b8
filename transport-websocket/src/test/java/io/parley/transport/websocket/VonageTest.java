package io.parley.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.DtmfEvent;
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
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vonage's WebSocket: its documented messages, then whole calls through {@link VonageCarrier}. */
class VonageTest {

    private static final String STORY = "Once upon a time there was a very long story about many things";
    private static final MediaStreamProtocol VONAGE = MediaStreamProtocol.vonage();

    private final InboundMessage m = new InboundMessage();
    private final VirtualClock clock = new VirtualClock();
    private final UserScript user = new UserScript();
    private final List<PlaybackEvent> playbacks = new CopyOnWriteArrayList<>();
    private final List<SessionException> errors = new CopyOnWriteArrayList<>();
    private final List<String> turns = new CopyOnWriteArrayList<>();
    private final List<DtmfEvent> digits = new ArrayList<>();
    private String greeting;
    private VoiceSession session;
    private MediaStreamTransport call;
    private boolean ended;
    private VonageCarrier carrier;

    private InboundMessage read(String text) {
        m.reset();
        VONAGE.read(text, m);
        return m;
    }

    @Test
    void readsEveryDocumentedInboundMessage() {
        InboundMessage start = read(VonageCarrier.SAMPLES.text("in start"));
        assertThat(start.kind()).isEqualTo(InboundMessage.Kind.START);
        CallInfo info = start.call().build();
        assertThat(info.protocol()).isEqualTo("vonage");
        assertThat(info.encoding()).isEqualTo(WireEncoding.L16);
        assertThat(info.sampleRate()).isEqualTo(16000);
        assertThat(info.callId()).isEqualTo("c1");
        assertThat(info.streamId()).isEmpty();
        assertThat(info.customParameters()).containsEntry("lang", "en").containsEntry("uuid", "c1").hasSize(2);
        assertThat(read("{\"event\":\"websocket:connected\",\"content-type\":\"audio/l16;rate=8000\"}").call().build().sampleRate())
                .isEqualTo(8000);

        InboundMessage dtmf = read(VonageCarrier.SAMPLES.text("in dtmf"));
        assertThat(dtmf.kind()).isEqualTo(InboundMessage.Kind.DTMF);
        assertThat(dtmf.digit()).isEqualTo('5');
        assertThat(dtmf.durationMillis()).isEqualTo(260);
        InboundMessage mark = read(VonageCarrier.SAMPLES.text("in mark"));
        assertThat(mark.kind()).isEqualTo(InboundMessage.Kind.MARK);
        assertThat(mark.name()).isEqualTo("n1");
        assertThat(read(VonageCarrier.SAMPLES.text("in cleared")).kind()).isEqualTo(InboundMessage.Kind.IGNORED);

        m.reset();
        VONAGE.read(ByteBuffer.wrap(new byte[640]), m);
        assertThat(m.kind()).isEqualTo(InboundMessage.Kind.MEDIA);
        assertThat(m.payloadLength()).isEqualTo(640);
    }

    @Test
    void writesTheDocumentedOutboundShapesAndBinaryAudioIn20msFrames() throws Exception {
        CallInfo info = read(VonageCarrier.SAMPLES.text("in start")).call().build();
        StringBuilder out = new StringBuilder();
        VONAGE.writeMark(info, "n1", out);
        assertThat(Samples.JSON.readTree(out.toString())).isEqualTo(VonageCarrier.SAMPLES.get("out mark"));
        out.setLength(0);
        VONAGE.writeClear(info, out);
        assertThat(Samples.JSON.readTree(out.toString())).isEqualTo(VonageCarrier.SAMPLES.get("out clear"));
        assertThat(VONAGE.binaryMedia()).isTrue();
        assertThat(VONAGE.mediaFrameMillis()).isEqualTo(20);
    }

    @Test
    void malformedMessagesAreTypedNotThrown() {
        assertThat(read("not json").problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read("{\"uuid\":\"c1\"}").problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read("{\"event\":\"websocket:teleport\"}").problem()).isEqualTo(Problem.UNKNOWN_EVENT);
        assertThat(read("{\"event\":\"websocket:dtmf\",\"digit\":\"x\"}").problem()).isEqualTo(Problem.MALFORMED);
        assertThat(read("{\"event\":\"websocket:connected\"}").problem()).isEqualTo(Problem.MALFORMED);
        InboundMessage mulaw = read("{\"event\":\"websocket:connected\",\"content-type\":\"audio/x-mulaw;rate=8000\"}");
        assertThat(mulaw.problem()).isEqualTo(Problem.MALFORMED);
        assertThat(mulaw.detail()).contains("audio/x-mulaw");
        assertThat(read("{\"event\":\"websocket:connected\",\"content-type\":\"audio/l16;rate=fast\"}").problem())
                .isEqualTo(Problem.MALFORMED);
    }

    /** Records binary messages as the far end gets them. */
    private static final class Wire implements MessageSocket {
        final List<byte[]> binary = new ArrayList<>();
        final List<String> text = new ArrayList<>();

        @Override
        public void sendText(String t) {
            text.add(t);
        }

        @Override
        public void sendBinary(byte[] bytes, int length) {
            binary.add(java.util.Arrays.copyOf(bytes, length));
        }

        @Override
        public void close(int status, String reason) {
        }
    }

    private MediaStreamTransport transport(int sessionRate, int wireRate, Wire wire) {
        CallInfo info = read("{\"event\":\"websocket:connected\",\"content-type\":\"audio/l16;rate=" + wireRate + "\"}")
                .call().build();
        return new MediaStreamTransport(info, VONAGE, wire, StreamSettings.defaults().withClock(clock).withSessionRate(sessionRate),
                new StreamStats.Counters());
    }

    private static io.parley.audio.AudioFrame tone(int rate, int samples) {
        io.parley.audio.AudioFrame f = io.parley.audio.AudioFrame.allocate(new io.parley.audio.AudioFormat(rate, 1), samples);
        for (int i = 0; i < samples; i++) {
            f.samples()[i] = (short) 1000;
        }
        return f.setLength(samples);
    }

    @Test
    void outboundAudioIsReframedToExactly20msAndTheLastFrameOfAReplyIsPaddedWithSilence() {
        Wire wire = new Wire();
        MediaStreamTransport t = transport(16000, 16000, wire);
        t.send(tone(16000, 320));
        t.send(tone(16000, 320));
        t.send(tone(16000, 100));
        assertThat(wire.binary).hasSize(3).allSatisfy(b -> assertThat(b).hasSize(640));
        byte[] lastFrame = wire.binary.get(2);
        assertThat(lastFrame[199]).isEqualTo((byte) (1000 >> 8));
        assertThat(lastFrame[200]).isZero();
        assertThat(lastFrame[639]).isZero();
        // Padding counts as sent: the far end plays 60 ms, not 46.25 ms.
        assertThat(t.bufferedSamples()).isEqualTo(960);
    }

    @Test
    void reframingAcrossRatesKeepsEveryMessageAt20msAndAClearDropsThePartialFrame() {
        Wire wire = new Wire();
        MediaStreamTransport t = transport(48000, 8000, wire);
        for (int i = 0; i < 50; i++) {
            t.send(tone(48000, 960));
        }
        assertThat(wire.binary).allSatisfy(b -> assertThat(b).hasSize(320));
        long wireSamples = wire.binary.size() * 160L;
        // One second in; the filter holds back at most a frame, and nothing is invented.
        assertThat(wireSamples).isBetween(8000L - 320, 8000L);
        int before = wire.binary.size();
        t.clearPlayback();
        assertThat(wire.text).contains("{\"action\":\"clear\"}");
        t.send(tone(48000, 960));
        t.send(tone(48000, 480));
        // After the clear the next reply starts on a fresh frame: 20 ms + 10 ms padded to 2 frames.
        assertThat(wire.binary.size() - before).isEqualTo(2);
        assertThat(wire.binary).allSatisfy(b -> assertThat(b).hasSize(320));
    }

    private void connect(int rate) {
        carrier = new VonageCarrier(clock, user, rate);
        StreamEndpoint conn = new StreamEndpoint(VONAGE, this::answer, StreamSettings.defaults().withClock(clock), carrier,
                c -> ended = true);
        carrier.attach(conn);
        carrier.start();
    }

    private VoiceSession answer(MediaStreamTransport t) {
        call = t;
        FakeAgent agent = FakeAgent.builder(clock).reply(s -> s.startsWith("tell") ? STORY : "It is noon.").build();
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
    @ValueSource(ints = {16000, 8000})
    void greetingThenACallerTurnThenHangUpReleasesEverything(int rate) {
        greeting = "Hello, thanks for calling.";
        user.say(3000, 1000, "what time is it");
        connect(rate);
        carrier.dtmf('7');
        advanceTo(9000);

        assertThat(call.call().sampleRate()).isEqualTo(rate);
        PlaybackEvent hello = playbacks.stream().filter(e -> e.kind() == PlaybackEvent.Kind.FINISHED).findFirst().orElseThrow();
        assertThat(hello.playedText()).isEqualTo(greeting);
        assertThat(turns).containsExactly("what time is it");
        assertThat(last(PlaybackEvent.Kind.FINISHED).playedText()).isEqualTo("It is noon.");
        assertThat(digits).singleElement().satisfies(e -> {
            assertThat(e.digit()).isEqualTo('7');
            assertThat(e.duration()).isEqualTo(Duration.ofMillis(260));
        });
        // Every binary message was exactly 20 ms, and all of them played out.
        assertThat(carrier.badFrames).isEmpty();
        assertThat(carrier.framesReceived).isPositive();
        assertThat(carrier.bufferedMillis()).isZero();
        StreamStats s = call.stats();
        assertThat(s.framesIn()).isGreaterThan(400);
        assertThat(s.framesOut()).isEqualTo(carrier.framesReceived);
        assertThat(s.marksSent()).isPositive().isEqualTo(s.marksPlayed());
        assertThat(s.skippedTotal()).isZero();
        assertThat(errors).isEmpty();
        // What went out is what was spoken, within the one padded frame that ends each reply.
        long spokenMillis = hello.played().toMillis() + last(PlaybackEvent.Kind.FINISHED).played().toMillis();
        assertThat(carrier.playedBytes * 1000 / (rate * 2L)).isBetween(spokenMillis, spokenMillis + 40);

        carrier.hangUp();
        advanceTo(9500);
        assertThat(session.state()).isEqualTo(SessionState.ENDED);
        assertThat(call.hungUp()).isTrue();
        assertThat(ended).isTrue();
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void bargeInClearsVonageAndCutsTheReplyToWhatTheCallerHeard() {
        user.say(500, 1000, "tell me a story");
        user.say(3500, 800, "stop please");
        connect(16000);
        advanceTo(9000);

        assertThat(carrier.clears).hasSize(1);
        assertThat(carrier.count("clear")).isEqualTo(1);
        long heardMillis = carrier.clears.get(0) / 32;
        PlaybackEvent cut = playbacks.stream().filter(e -> e.kind() == PlaybackEvent.Kind.INTERRUPTED).findFirst().orElseThrow();
        // Never more than one notify interval ahead of what the caller heard, never far behind.
        assertThat(cut.played().toMillis()).isBetween(heardMillis - 25, heardMillis + 100);
        assertThat(STORY).startsWith(cut.playedText());
        assertThat(cut.playedText()).isNotEmpty().isNotEqualTo(STORY);
        assertThat(turns).containsExactly("tell me a story", "stop please");
        assertThat(carrier.badFrames).isEmpty();
        assertThat(errors).isEmpty();
    }

    @Test
    void audioBeforeConnectedAndOddLengthFramesAreCountedAndTheCallGoesOn() {
        carrier = new VonageCarrier(clock, user, 16000);
        StreamEndpoint conn = new StreamEndpoint(VONAGE, this::answer, StreamSettings.defaults().withClock(clock), carrier,
                c -> ended = true);
        carrier.attach(conn);
        carrier.rawBinary(new byte[640]);
        assertThat(conn.stats().skipped(Problem.BEFORE_START)).isEqualTo(1);
        user.say(1500, 1000, "what time is it");
        carrier.start();
        advanceTo(500);
        carrier.rawBinary(new byte[641]);
        carrier.raw("{\"event\":\"websocket:teleport\"}");
        carrier.raw(VonageCarrier.SAMPLES.text("in start"));
        advanceTo(6000);

        StreamStats s = call.stats();
        assertThat(s.skipped()).containsEntry(Problem.BAD_PAYLOAD, 1L)
                .containsEntry(Problem.UNKNOWN_EVENT, 1L)
                .containsEntry(Problem.OUT_OF_ORDER, 1L);
        assertThat(errors).extracting(SessionException::code).containsOnly(ErrorCode.PROVIDER_PROTOCOL);
        assertThat(turns).containsExactly("what time is it");
        assertThat(last(PlaybackEvent.Kind.FINISHED).playedText()).isEqualTo("It is noon.");
    }
}
