package io.parley.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.audio.AudioFormat;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import okhttp3.HttpUrl;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeepgramTtsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Captured from a live /v1/speak socket (see the providers reference). */
    private static final String METADATA = "{\"type\":\"Metadata\",\"request_id\":\"01a01a7f-f079-74c3-bfc5-ac08f549baae\","
            + "\"model_name\":\"aura-asteria-en\",\"model_version\":\"2024-11-19.0\",\"model_uuid\":\"ecb76e9d-f2db-4127-8060-79b05590d22f\","
            + "\"additional_model_uuids\":[]}";

    private FakeDeepgram fake;
    private VirtualClock clock;
    private RecordingTtsListener listener;
    private TtsStream stream;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeDeepgram();
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

    private DeepgramTts tts() {
        return DeepgramTts.builder().apiKey(FakeDeepgram.KEY).baseUrl(fake.baseUrl()).clock(clock).build();
    }

    private FakeDeepgram.Conn open(AudioFormat format, String voice) throws InterruptedException {
        stream = tts().open(new TtsRequest("s1", format, voice), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        conn.send(METADATA);
        return conn;
    }

    private static JsonNode json(Object frame) throws Exception {
        return JSON.readTree((String) frame);
    }

    private static ByteString pcm(int samples, int seed) {
        Buffer b = new Buffer();
        for (int i = 0; i < samples; i++) {
            b.writeShortLe(seed * 31 + i * 3);
        }
        return b.readByteString();
    }

    @Test
    void handshakeNamesModelEncodingAndRate() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        HttpUrl url = conn.request.getRequestUrl();
        assertThat(url.encodedPath()).isEqualTo("/v1/speak");
        assertThat(conn.request.getHeader("Authorization")).isEqualTo("Token test-key");
        assertThat(url.queryParameter("model")).isEqualTo("aura-2-thalia-en");
        assertThat(url.queryParameter("encoding")).isEqualTo("linear16");
        assertThat(url.queryParameter("sample_rate")).isEqualTo("24000");
        stream.close();
        stream = tts().open(new TtsRequest("s1", AudioFormat.PCM_16K_MONO, "aura-2-andromeda-en"), listener);
        assertThat(fake.nextConnection().request.getRequestUrl().queryParameter("model")).isEqualTo("aura-2-andromeda-en");
    }

    @Test
    void ratesAuraCannotProduceAreRejected() {
        assertThatThrownBy(() -> tts().open(new TtsRequest("s1", new AudioFormat(44_100, 1), ""), listener))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }

    @Test
    void badKeyIsAnAuthError() {
        DeepgramTts bad = DeepgramTts.builder().apiKey("nope").baseUrl(fake.baseUrl()).clock(clock).build();
        assertThatThrownBy(() -> bad.open(new TtsRequest("s1", AudioFormat.PCM_24K_MONO, ""), listener))
                .isInstanceOfSatisfying(SessionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_AUTH);
                    assertThat(e.getMessage()).contains("INVALID_AUTH");
                });
    }

    @Test
    void speaksSentencesFlushesAndCompletesOnTheLastFlushed() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("Hello there. How");
        assertThat(json(conn.next())).isEqualTo(JSON.readTree("{\"type\":\"Speak\",\"text\":\"Hello there. \"}"));
        assertThat(conn.next()).isEqualTo("{\"type\":\"Flush\"}");
        stream.pushText(" are you?");
        stream.flush();
        assertThat(json(conn.next())).isEqualTo(JSON.readTree("{\"type\":\"Speak\",\"text\":\"How are you?\"}"));
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.FLUSH);
        assertThatThrownBy(() -> stream.pushText("more")).isInstanceOf(SessionException.class);

        ByteString first = pcm(2400, 1);
        ByteString second = pcm(4800, 2);
        // Odd-sized binary messages split samples across frames; none may be lost or garbled.
        conn.ws.send(first.substring(0, 1001));
        conn.ws.send(first.substring(1001));
        conn.send("{\"type\":\"Flushed\",\"sequence_id\":0}");
        conn.ws.send(second.substring(0, 3));
        conn.ws.send(second.substring(3));
        conn.send("{\"type\":\"Warning\",\"warn_code\":\"EXCESSIVE_FLUSH\",\"warn_msg\":\"Rate limit exceeded for flushes. Please try again later.\"}");
        conn.send("{\"type\":\"Flushed\",\"sequence_id\":1}");
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(listener.audioSnapshot()).isEqualTo(new Buffer().write(first).write(second).readByteString());
        assertThat(conn.next()).isEqualTo("{\"type\":\"Close\"}");
        conn.close(1000, null);
    }

    @Test
    void splitsTextAboveTheSpeakLimitAtWordBoundaries() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        String word = "abcdefghi ";
        String text = word.repeat(450); // 4,500 characters, no sentence end
        stream.pushText(text);
        stream.flush();
        List<String> spoken = new ArrayList<>();
        while (true) {
            Object o = conn.next();
            if (DeepgramTtsStream.FLUSH.equals(o)) {
                break;
            }
            spoken.add(json(o).get("text").asText());
        }
        assertThat(spoken).hasSize(3).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(2000));
        assertThat(spoken.get(0)).endsWith(" ");
        assertThat(String.join("", spoken)).isEqualTo(text);
    }

    @Test
    void intermediateFlushesStayWithinDeepgramsAllowance() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        for (int i = 0; i < 25; i++) {
            stream.pushText("Sentence " + i + ". ");
        }
        int flushes = 0;
        for (int i = 0; i < 25; i++) {
            assertThat(json(conn.next()).get("type").asText()).isEqualTo("Speak");
            if (i < 19) {
                assertThat(conn.next()).isEqualTo(DeepgramTtsStream.FLUSH);
                flushes++;
            }
        }
        assertThat(flushes).isEqualTo(19);
        clock.advance(Duration.ofSeconds(60)); // the rolling minute has passed
        stream.pushText("Again. ");
        assertThat(json(conn.next()).get("text").asText()).isEqualTo("Again. ");
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.FLUSH);
        stream.pushText("The end");
        stream.flush();
        assertThat(json(conn.next()).get("text").asText()).isEqualTo("The end");
        assertThat(conn.next()).as("the end of the reply always flushes what is left").isEqualTo(DeepgramTtsStream.FLUSH);
    }

    @Test
    void cancelClearsAndDropsAudioStillInFlight() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("A long reply. ");
        conn.next();
        conn.next();
        conn.ws.send(pcm(480, 1));
        conn.send("{\"type\":\"Metadata\",\"request_id\":\"x\"}"); // a text frame after the audio: once delivered, so was the audio
        awaitAudio(960);
        stream.cancel();
        assertThat(conn.next()).isEqualTo("{\"type\":\"Clear\"}");
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.CLOSE);
        conn.ws.send(pcm(480, 2));
        conn.send("{\"type\":\"Cleared\",\"sequence_id\":0}");
        conn.send("{\"type\":\"Flushed\",\"sequence_id\":0}");
        conn.close(1000, null);
        assertThat(conn.closedBy.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("client:1000");
        assertThat(listener.audioBytes()).isEqualTo(960);
        assertThat(listener.events).isEmpty();
    }

    private void awaitAudio(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (listener.audioBytes() < bytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + listener.audioBytes() + " of " + bytes + " audio bytes arrived");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "1008, DATA-0001, PROVIDER_BAD_REQUEST, false",
            "1008, DATA-0000, PROVIDER_BAD_REQUEST, false",
            "1009, BIG-0001, PROVIDER_BAD_REQUEST, false",
            "1003, MESSAGE-0000, PROVIDER_PROTOCOL, false",
            "1011, NET-0000, PROVIDER_CONNECTION, true",
            "1011, NET-0003, PROVIDER_CONNECTION, true",
    })
    void serverClosesMidReplyMapToTypedErrors(int code, String payload, ErrorCode expected, boolean retryable) throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("Hi. ");
        conn.close(code, payload);
        Object e = listener.next();
        assertThat(e).isInstanceOfSatisfying(SessionException.class, se -> {
            assertThat(se.code()).isEqualTo(expected);
            assertThat(se.retryable()).isEqualTo(retryable);
            assertThat(se.getMessage()).contains(Integer.toString(code), payload);
        });
    }

    @Test
    void audioFasterThanRealTimeReachesASlowConsumerCompleteAndInOrder() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("Tell me a long story.");
        stream.flush();
        conn.next();
        conn.next();
        listener.gate = new CountDownLatch(1);
        Buffer all = new Buffer();
        for (int i = 0; i < 100; i++) { // 10 s of audio sent in one burst
            ByteString chunk = pcm(2400, i);
            all.write(chunk);
            conn.ws.send(chunk);
        }
        conn.send("{\"type\":\"Flushed\",\"sequence_id\":0}");
        listener.gate.countDown();
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(listener.audioSnapshot()).isEqualTo(all.readByteString());
    }

    @Test
    void monoAudioIsCopiedToEveryRequestedChannel() throws Exception {
        FakeDeepgram.Conn conn = open(new AudioFormat(16_000, 2), "");
        stream.pushText("Hi");
        stream.flush();
        conn.next();
        conn.next();
        conn.ws.send(new Buffer().writeShortLe(100).writeShortLe(-200).readByteString());
        conn.send("{\"type\":\"Flushed\",\"sequence_id\":0}");
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(listener.audioSnapshot()).isEqualTo(new Buffer().writeShortLe(100).writeShortLe(100)
                .writeShortLe(-200).writeShortLe(-200).readByteString());
    }

    @Test
    void closeTimerDropsASocketDeepgramNeverCloses() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.close();
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.CLOSE);
        clock.advance(Duration.ofSeconds(5));
        assertThat(conn.closedBy.poll(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("failure:");
        assertThat(listener.events).isEmpty();
    }

    @Test
    void neverSendsAFlushWithNothingSpokenSinceTheLastOne() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("Hello there. ");
        assertThat(json(conn.next()).get("text").asText()).isEqualTo("Hello there. ");
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.FLUSH);
        stream.flush();
        conn.ws.send(pcm(480, 1));
        conn.send("{\"type\":\"Flushed\",\"sequence_id\":0}");
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(conn.next()).as("no second, empty Flush before Close").isEqualTo(DeepgramTtsStream.CLOSE);
    }

    @Test
    void aReplyWithNoTextCompletesAtOnce() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.flush();
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.CLOSE);
    }

    @Test
    void aFlushedReplyThatNeverCompletesFailsWithATimeout() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("Hi");
        stream.flush();
        assertThat(json(conn.next()).get("text").asText()).isEqualTo("Hi");
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.FLUSH);
        clock.advance(Duration.ofSeconds(9));
        assertThat(listener.events).as("still within the completion timeout").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(conn.closedBy.poll(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("failure:");
        assertThat(clock.pendingTimers()).isZero();
    }

    @Test
    void anErrorMessageIsATypedError() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("Hi");
        conn.send("{\"type\":\"Error\",\"err_code\":\"INTERNAL\",\"err_msg\":\"synthesis failed\"}");
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(ErrorCode.TTS_ERROR);
        assertThat(e.getMessage()).contains("INTERNAL", "synthesis failed");
    }

    @Test
    void chineseSentencesAreSpokenWithoutWaitingForTheFlush() throws Exception {
        FakeDeepgram.Conn conn = open(AudioFormat.PCM_24K_MONO, "");
        stream.pushText("你好。今天");
        assertThat(json(conn.next()).get("text").asText()).isEqualTo("你好。");
        assertThat(conn.next()).isEqualTo(DeepgramTtsStream.FLUSH);
    }
}
