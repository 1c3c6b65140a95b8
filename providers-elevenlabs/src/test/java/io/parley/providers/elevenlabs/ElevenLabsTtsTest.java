package io.parley.providers.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.audio.AudioFormat;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.VirtualClock;
import io.parley.spi.WordTiming;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ElevenLabsTtsTest {

    private static final TtsRequest REQUEST = new TtsRequest("s1", AudioFormat.PCM_24K_MONO, "");

    private FakeElevenLabs fake;
    private VirtualClock clock;
    private RecordingTtsListener listener;
    private TtsStream stream;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeElevenLabs();
        clock = new VirtualClock();
        listener = new RecordingTtsListener();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stream != null) {
            stream.close();
        }
        fake.close();
    }

    private ElevenLabsTts.Builder builder() {
        return ElevenLabsTts.builder().apiKey(FakeElevenLabs.KEY).baseUrl(fake.baseUrl()).clock(clock).voiceId("voice-1");
    }

    /** PCM the fake produces for characters [from, to) of a reply. */
    private static ByteString expectedAudio(int from, int to) {
        Buffer b = new Buffer();
        for (int i = from; i < to; i++) {
            b.write(FakeElevenLabs.pcmForChar(i, 24_000));
        }
        return b.readByteString();
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }

    @Test
    void handshakeAndFirstMessageFollowTheProtocol() throws Exception {
        stream = builder().modelId("eleven_turbo_v2_5").languageCode("en")
                .voiceSettings(new VoiceSettings(0.5, 0.8, 0.0, true, 1.0)).chunkLengthSchedule(50, 120).build()
                .open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        HttpUrl url = conn.request.getRequestUrl();
        assertThat(url.encodedPath()).isEqualTo("/v1/text-to-speech/voice-1/stream-input");
        assertThat(conn.request.getHeader("xi-api-key")).isEqualTo(FakeElevenLabs.KEY);
        assertThat(url.queryParameter("model_id")).isEqualTo("eleven_turbo_v2_5");
        assertThat(url.queryParameter("output_format")).isEqualTo("pcm_24000");
        assertThat(url.queryParameter("inactivity_timeout")).isEqualTo("20");
        assertThat(url.queryParameter("language_code")).isEqualTo("en");
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\" \",\"voice_settings\":{\"stability\":0.5,"
                + "\"similarity_boost\":0.8,\"style\":0.0,\"use_speaker_boost\":true,\"speed\":1.0},"
                + "\"generation_config\":{\"chunk_length_schedule\":[50,120]}}"));
    }

    @Test
    void streamsWordsFlushesSentencesAndDerivesWordTimingsAcrossChunks() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        assertThat(conn.next().get("text").asText()).isEqualTo(" ");
        stream.pushText("Hello wor");
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\"Hello \"}"));
        stream.pushText("ld. How are");
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\"world. \",\"flush\":true}"));
        stream.pushText(" you");
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\"How are \"}"));
        stream.flush();
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\"you \",\"flush\":true}"));
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\"\"}"));

        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        String spoken = "Hello world. How are you ";
        assertThat(listener.audioSnapshot()).isEqualTo(expectedAudio(0, spoken.length()));
        // Chunk 1 is "Hello world. " (13 chars), chunk 2 "How are you " starting 260 ms into the reply.
        assertThat(listener.words).containsExactly(
                new WordTiming("Hello", ms(0), ms(100)),
                new WordTiming("world.", ms(120), ms(240)),
                new WordTiming("How", ms(260), ms(320)),
                new WordTiming("are", ms(340), ms(400)),
                new WordTiming("you", ms(420), ms(480)));
        assertThat(conn.closedBy.poll(10, TimeUnit.SECONDS)).isEqualTo("client:1000");
        assertThat(listener.events).isEmpty();
    }

    @Test
    void acceptsTheRealChunkShapesNullAlignmentsAndTheSpecsKeyTypo() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.auto = false;
        conn.next();
        byte[] a = FakeElevenLabs.pcmForChar(0, 24_000);
        byte[] b = FakeElevenLabs.pcmForChar(1, 24_000);
        stream.pushText("Hi there");
        stream.flush();
        conn.ws.send("{\"audio\":\"" + Base64.getEncoder().encodeToString(a) + "\",\"isFinal\":null,\"normalizedAlignment\":"
                + "{\"chars\":[\"H\",\"i\",\" \"],\"charStartTimesMs\":[0,46,81],\"charDurationsMs\":[46,35,58]}}");
        conn.ws.send("{\"audio\":\"" + Base64.getEncoder().encodeToString(b) + "\",\"isFinal\":null,\"normalizedAlignment\":null}");
        conn.ws.send("{\"audio\":\"" + Base64.getEncoder().encodeToString(a) + "\",\"isFinal\":false,\"normalizedAlignment\":"
                + "{\"charStartTimesMs\":[0,3],\"charsDurationsMs\":[3,4],\"chars\":[\"t\",\"x\"]},\"alignment\":"
                + "{\"charStartTimesMs\":[0,3,7,9,11],\"charsDurationsMs\":[3,4,2,2,1],\"chars\":[\"t\",\"h\",\"e\",\"r\",\"e\"]}}");
        conn.ws.send("{\"isFinal\":true}");
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(listener.audioSnapshot()).isEqualTo(new Buffer().write(a).write(b).write(a).readByteString());
        // "there" comes from the original-text alignment, offset by the 40 ms of audio before its chunk.
        assertThat(listener.words).containsExactly(new WordTiming("Hi", ms(0), ms(81)), new WordTiming("there", ms(40), ms(52)));
    }

    @Test
    void keepsTheInputAliveBeforeTheInactivityTimeout() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.next();
        clock.advance(Duration.ofMillis(14_999));
        stream.pushText("Thinking ");
        assertThat(conn.next().get("text").asText()).as("no keep-alive while text flows").isEqualTo("Thinking ");
        clock.advance(Duration.ofSeconds(15));
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\" \"}"));
        clock.advance(Duration.ofSeconds(15));
        assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\" \"}"));
    }

    @Test
    void inputTimeoutErrorFrameIsARetryableTtsError() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.next();
        conn.inputTimeout();
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(ErrorCode.TTS_ERROR);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("input_timeout_exceeded", "1008", "Have not received a new text input");
        assertThat(listener.events).isEmpty();
    }

    @Test
    void invalidInputErrorFrameIsANonRetryableBadRequest() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.next();
        conn.auto = false;
        conn.error("invalid_input_message", "Could not parse input message, make sure it is a json and follows the schema "
                + "outlined in protocol.", null);
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_BAD_REQUEST);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("invalid_input_message");
    }

    @Test
    void closeCodesWithoutErrorFramesAreMapped() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.next();
        conn.ws.close(1009, "voice and model are incompatible");
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_BAD_REQUEST);
        assertThat(e.getMessage()).contains("1009", "incompatible");

        stream.close();
        listener = new RecordingTtsListener();
        stream = builder().build().open(REQUEST, listener);
        conn = fake.nextConnection();
        conn.next();
        conn.ws.close(1008, "We are sorry, something went wrong. You are not charged for this request.");
        assertThat(((SessionException) listener.next()).getMessage()).contains("1008", "something went wrong");
    }

    @Test
    void unusualActivityIsAnAuthFailure() {
        SessionException e = ElevenLabsErrors.fromErrorFrame("detected_unusual_activity", "Unusual activity detected.", 1008);
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_AUTH);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void handshakeRejectionsCarryTheDetail() throws Exception {
        ElevenLabsTts bad = ElevenLabsTts.builder().apiKey("wrong").baseUrl(fake.baseUrl()).clock(clock).voiceId("v").build();
        assertThatThrownBy(() -> bad.open(REQUEST, listener)).isInstanceOfSatisfying(SessionException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_AUTH);
            assertThat(e.getMessage()).contains("401", "invalid_api_key", "Invalid API key");
        });
        fake.failNextHandshake(FakeElevenLabs.detail(429, "too_many_concurrent_requests", "Too many concurrent requests.")
                .setHeader("current-concurrent-requests", "2").setHeader("maximum-concurrent-requests", "2"));
        assertThatThrownBy(() -> builder().build().open(REQUEST, listener)).isInstanceOfSatisfying(SessionException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_RATE_LIMITED);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("too_many_concurrent_requests", "concurrent requests 2 of 2");
        });
    }

    @Test
    void withoutAConfiguredVoiceThePremadeDefaultIsUsed() throws Exception {
        stream = ElevenLabsTts.builder().apiKey(FakeElevenLabs.KEY).baseUrl(fake.baseUrl()).clock(clock).build().open(REQUEST, listener);
        assertThat(fake.nextConnection().request.getRequestUrl().encodedPath())
                .isEqualTo("/v1/text-to-speech/" + Endpoints.defaultVoice() + "/stream-input");
    }

    @Test
    void configurationErrorsAreTyped() {
        assertThatThrownBy(() -> builder().build().open(new TtsRequest("s", AudioFormat.PCM_48K_MONO, ""), listener))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> ElevenLabsTts.builder().chunkLengthSchedule(40)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ElevenLabsTts.builder().inactivityTimeout(Duration.ofSeconds(181))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ElevenLabsTts.builder().apiKey("k").keepAliveInterval(Duration.ofSeconds(30)).build())
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
        assertThatThrownBy(() -> new VoiceSettings(1.5, 0.5, 0, true, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cancelClosesTheSocketWithACloseFrameAndDeliversNothingMore() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.next();
        conn.auto = false;
        stream.pushText("A long story. ");
        conn.next();
        stream.cancel();
        assertThat(conn.closedBy.poll(10, TimeUnit.SECONDS)).as("a closing handshake, not a TCP abort").isEqualTo("client:1000");
        assertThatThrownBy(() -> stream.pushText("more")).isInstanceOf(SessionException.class);
        assertThat(listener.events).isEmpty();
        assertThat(listener.audioBytes()).isZero();
    }

    @Test
    void theCloseGuardDropsOnlyASocketThatNeverAnswersTheClose() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn answering = fake.nextConnection();
        answering.next();
        stream.cancel();
        assertThat(answering.closedBy.poll(10, TimeUnit.SECONDS)).isEqualTo("client:1000");
        awaitNoTimers();

        TtsStream stuck = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn silent = fake.nextConnection();
        silent.next();
        silent.ignoreClose = true;
        stuck.cancel();
        assertThat(silent.closedBy.poll(10, TimeUnit.SECONDS)).isEqualTo("client:1000");
        assertThat(clock.pendingTimers()).as("the guard waits for the close").isEqualTo(1);
        clock.advance(Duration.ofSeconds(5));
        assertThat(clock.pendingTimers()).as("the guard fired and dropped the socket").isZero();
        assertThat(listener.events).isEmpty();
        silent.ws.close(1000, null); // let the fake server shut down
    }

    private void awaitNoTimers() throws InterruptedException {
        awaitTimers(0);
    }

    /** Waits (bounded, real time) until exactly {@code n} timers are pending on the virtual clock. */
    private void awaitTimers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (clock.pendingTimers() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " pending timer(s), have " + clock.pendingTimers());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void aReplyThatNeverCompletesFailsWithATimeoutAfterItsTextEnded() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.next();
        conn.auto = false;
        stream.pushText("Hello.");
        stream.flush();
        conn.next();
        conn.next();
        clock.advance(Duration.ofSeconds(9));
        assertThat(listener.events).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(conn.closedBy.poll(10, TimeUnit.SECONDS)).isEqualTo("client:1000");
    }

    @Test
    void audioFasterThanRealTimeReachesASlowConsumerCompleteAndInOrder() throws Exception {
        stream = builder().build().open(REQUEST, listener);
        FakeElevenLabs.Conn conn = fake.nextConnection();
        conn.next();
        conn.auto = false;
        stream.flush();
        listener.gate = new CountDownLatch(1);
        Buffer all = new Buffer();
        for (int i = 0; i < 100; i++) { // 10 s of 24 kHz audio in one burst
            Buffer chunk = new Buffer();
            for (int s = 0; s < 2400; s++) {
                chunk.writeShortLe(i * 17 + s);
            }
            byte[] bytes = chunk.readByteArray();
            all.write(bytes);
            conn.ws.send("{\"audio\":\"" + Base64.getEncoder().encodeToString(bytes) + "\",\"isFinal\":null,\"normalizedAlignment\":null}");
        }
        conn.ws.send("{\"isFinal\":true}");
        listener.gate.countDown();
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(listener.audioSnapshot()).isEqualTo(all.readByteString());
    }

    // ---- multi-context ---------------------------------------------------------------------

    private ElevenLabsTts multi() {
        return builder().mode(ElevenLabsTts.Mode.MULTI_CONTEXT).build();
    }

    @Test
    void multiContextRunsRepliesOnOneSocketAndBargesInWithoutReconnecting() throws Exception {
        try (ElevenLabsTts tts = multi()) {
            TtsStream first = tts.open(REQUEST, listener);
            FakeElevenLabs.Conn conn = fake.nextConnection();
            assertThat(conn.request.getRequestUrl().encodedPath()).isEqualTo("/v1/text-to-speech/voice-1/multi-stream-input");
            JsonNode init = conn.next();
            assertThat(init.get("text").asText()).isEqualTo(" ");
            String ctx1 = init.get("context_id").asText();
            first.pushText("First reply. ");
            assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree(
                    "{\"text\":\"First reply. \",\"flush\":true,\"context_id\":\"" + ctx1 + "\"}"));
            awaitAudio(listener, 13);

            // Barge-in: the user interrupts, the session cancels and opens the next reply.
            first.cancel();
            assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"close_context\":true,\"context_id\":\"" + ctx1 + "\"}"));
            long firstBytes = listener.audioBytes();
            RecordingTtsListener second = new RecordingTtsListener();
            TtsStream next = tts.open(REQUEST, second);
            String ctx2 = conn.next().get("context_id").asText();
            assertThat(ctx2).isNotEqualTo(ctx1);
            next.pushText("Second.");
            next.flush();
            assertThat(second.next()).isEqualTo(RecordingTtsListener.COMPLETE);
            assertThat(second.audioSnapshot()).isEqualTo(expectedAudio(0, "Second. ".length()));
            assertThat(second.words).extracting(WordTiming::word).containsExactly("Second.");
            assertThat(fake.connections).as("no second socket").isEmpty();
            assertThat(listener.audioBytes()).as("the cancelled reply got nothing more").isEqualTo(firstBytes);
            assertThat(listener.events).isEmpty();
        }
    }

    private static void awaitAudio(RecordingTtsListener l, int chars) throws InterruptedException {
        long bytes = (long) chars * 24_000 * FakeElevenLabs.CHAR_MS / 1000 * 2;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (l.audioBytes() < bytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + l.audioBytes() + " of " + bytes + " audio bytes arrived");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void multiContextAcceptsSnakeCaseSpellingsAndIgnoresFlushDone() throws Exception {
        fake.snakeCase = true;
        try (ElevenLabsTts tts = multi()) {
            stream = tts.open(REQUEST, listener);
            FakeElevenLabs.Conn conn = fake.nextConnection();
            conn.next();
            stream.pushText("Snake case works. Yes");
            stream.flush();
            assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
            assertThat(listener.audioSnapshot()).isEqualTo(expectedAudio(0, "Snake case works. Yes ".length()));
            assertThat(listener.words).extracting(WordTiming::word).containsExactly("Snake", "case", "works.", "Yes");
        }
    }

    @Test
    void multiContextKeepsIdleContextsAliveAndClosesAnIdleSocket() throws Exception {
        try (ElevenLabsTts tts = multi()) {
            stream = tts.open(REQUEST, listener);
            FakeElevenLabs.Conn conn = fake.nextConnection();
            String ctx = conn.next().get("context_id").asText();
            clock.advance(Duration.ofSeconds(15));
            assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"text\":\"\",\"context_id\":\"" + ctx + "\"}"));
            stream.flush();
            assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
            conn.next();
            awaitTimers(1); // the idle timer is armed on the socket's thread just after onComplete
            clock.advance(Duration.ofMillis(9_999));
            assertThat(conn.received).isEmpty();
            clock.advance(Duration.ofMillis(1));
            assertThat(conn.next()).isEqualTo(FakeElevenLabs.JSON.readTree("{\"close_socket\":true}"));
            assertThat(conn.closedBy.poll(10, TimeUnit.SECONDS)).isEqualTo("client:1000");
            // The next reply dials a fresh socket.
            stream = tts.open(REQUEST, listener);
            assertThat(fake.nextConnection()).isNotSameAs(conn);
        }
    }

    @Test
    void multiContextErrorsFailOnlyTheirContextUnlessSocketWide() throws Exception {
        try (ElevenLabsTts tts = multi()) {
            RecordingTtsListener a = new RecordingTtsListener();
            RecordingTtsListener b = new RecordingTtsListener();
            TtsStream sa = tts.open(REQUEST, a);
            FakeElevenLabs.Conn conn = fake.nextConnection();
            String ctxA = conn.next().get("context_id").asText();
            TtsStream sb = tts.open(REQUEST, b);
            conn.next();
            conn.auto = false;
            conn.error("invalid_input_message", "bad text", ctxA);
            assertThat(((SessionException) a.next()).code()).isEqualTo(ErrorCode.PROVIDER_BAD_REQUEST);
            assertThat(b.events).isEmpty();
            conn.inputTimeout();
            SessionException e = (SessionException) b.next();
            assertThat(e.getMessage()).contains("input_timeout_exceeded");
            assertThat(e.retryable()).isTrue();
            sa.close();
            sb.close();
            assertThat(fake.connections).isEmpty();
            conn.auto = true;
            stream = tts.open(REQUEST, listener);
            assertThat(fake.nextConnection()).as("a dead socket is replaced").isNotSameAs(conn);
        }
    }
}
