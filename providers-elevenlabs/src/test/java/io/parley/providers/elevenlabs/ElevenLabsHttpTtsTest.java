package io.parley.providers.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.audio.AudioFormat;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.VirtualClock;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ElevenLabsHttpTtsTest {

    private static final TtsRequest REQUEST = new TtsRequest("s1", AudioFormat.PCM_16K_MONO, "");

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

    private ElevenLabsHttpTts tts() {
        return ElevenLabsHttpTts.builder().apiKey(FakeElevenLabs.KEY).baseUrl(fake.baseUrl()).clock(clock).voiceId("voice-1")
                .voiceSettings(VoiceSettings.DEFAULTS).optimizeStreamingLatency(2).build();
    }

    private static Buffer pcm(int samples, int seed) {
        Buffer b = new Buffer();
        for (int i = 0; i < samples; i++) {
            b.writeShortLe(seed * 7 + i);
        }
        return b;
    }

    private static MockResponse audio(Buffer body) {
        return new MockResponse().setHeader("Content-Type", "audio/pcm").setChunkedBody(body, 777);
    }

    private RecordedRequest nextRequest() throws InterruptedException {
        RecordedRequest r = fake.requests.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("request").isNotNull();
        return r;
    }

    @Test
    void speaksSentenceBySentenceInOrderWithPreviousText() throws Exception {
        Buffer a = pcm(8000, 1);
        Buffer b = pcm(3001, 2);
        Buffer expected = new Buffer();
        a.copyTo(expected, 0, a.size());
        b.copyTo(expected, 0, b.size());
        fake.enqueueHttp(audio(a));
        fake.enqueueHttp(audio(b));
        stream = tts().open(REQUEST, listener);
        stream.pushText("Good morning. How can I");
        stream.pushText(" help?");
        stream.flush();
        assertThat(listener.next()).isEqualTo(RecordingTtsListener.COMPLETE);
        assertThat(listener.audioSnapshot()).isEqualTo(expected.readByteString());

        RecordedRequest first = nextRequest();
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getRequestUrl().encodedPath()).isEqualTo("/v1/text-to-speech/voice-1/stream");
        assertThat(first.getRequestUrl().queryParameter("output_format")).isEqualTo("pcm_16000");
        assertThat(first.getRequestUrl().queryParameter("optimize_streaming_latency")).isEqualTo("2");
        assertThat(first.getHeader("xi-api-key")).isEqualTo(FakeElevenLabs.KEY);
        JsonNode body = FakeElevenLabs.JSON.readTree(first.getBody().readUtf8());
        assertThat(body.get("text").asText()).isEqualTo("Good morning.");
        assertThat(body.get("model_id").asText()).isEqualTo("eleven_flash_v2_5");
        assertThat(body.get("voice_settings").get("similarity_boost").asDouble()).isEqualTo(0.75);
        assertThat(body.has("previous_text")).isFalse();
        JsonNode second = FakeElevenLabs.JSON.readTree(nextRequest().getBody().readUtf8());
        assertThat(second.get("text").asText()).isEqualTo("How can I help?");
        assertThat(second.get("previous_text").asText()).isEqualTo("Good morning.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "401|{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}|PROVIDER_AUTH|false|invalid_api_key",
            "401|{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"This request exceeds your quota of 40000. You have 3 credits remaining.\"}}|PROVIDER_AUTH|false|quota_exceeded",
            "404|{\"detail\":{\"status\":\"voice_not_found\",\"message\":\"A voice with the voice_id foo was not found.\"}}|PROVIDER_BAD_REQUEST|false|voice_id foo was not found",
            "422|{\"detail\":[{\"type\":\"float_type\",\"loc\":[\"body\",\"voice_settings\",\"stability\"],\"msg\":\"Input should be a valid number\",\"input\":null}]}|PROVIDER_BAD_REQUEST|false|body.voice_settings.stability: Input should be a valid number",
            "429|{\"detail\":{\"status\":\"too_many_concurrent_requests\",\"message\":\"Too many concurrent requests. Your current subscription is associated with a maximum of 2 concurrent requests (running in parallel).\"}}|PROVIDER_RATE_LIMITED|true|maximum of 2 concurrent",
            "429|{\"detail\":{\"type\":\"rate_limit_error\",\"code\":\"concurrent_limit_exceeded\",\"message\":\"Too many concurrent requests.\",\"status\":\"too_many_concurrent_requests\"}}|PROVIDER_RATE_LIMITED|true|too_many_concurrent_requests",
            "429|{\"detail\":{\"status\":\"system_busy\",\"message\":\"We are experiencing heavy traffic.\"}}|PROVIDER_RATE_LIMITED|true|system_busy",
            "500|{\"detail\":\"Internal Server Error\"}|PROVIDER_CONNECTION|true|Internal Server Error",
    })
    void errorBodiesMapToTypedErrors(int status, String body, ErrorCode code, boolean retryable, String fragment) throws Exception {
        fake.enqueueHttp(new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body));
        stream = tts().open(REQUEST, listener);
        stream.pushText("Hello.");
        stream.flush();
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.getMessage()).contains("HTTP " + status, fragment);
    }

    @Test
    void nonAudioSuccessIsAProtocolError() throws Exception {
        fake.enqueueHttp(new MockResponse().setHeader("Content-Type", "text/html").setBody("<html>captive portal</html>"));
        stream = tts().open(REQUEST, listener);
        stream.flush();
        stream = tts().open(REQUEST, listener);
        stream.pushText("Hi.");
        stream.flush();
        Object first = listener.next();
        assertThat(first).isEqualTo(RecordingTtsListener.COMPLETE); // the empty reply completes at once
        SessionException e = (SessionException) listener.next();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_PROTOCOL);
        assertThat(e.getMessage()).contains("text/html");
    }

    @Test
    void cancelStopsMidStreamWithoutCompleting() throws Exception {
        fake.enqueueHttp(audio(pcm(160_000, 3)).throttleBody(3200, 50, TimeUnit.MILLISECONDS));
        stream = tts().open(REQUEST, listener);
        stream.pushText("A very long sentence.");
        stream.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (listener.audioBytes() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertThat(listener.audioBytes()).isPositive();
        stream.cancel();
        long after = listener.audioBytes();
        assertThat(after).isLessThan(320_000);
        assertThat(listener.events.poll(300, TimeUnit.MILLISECONDS)).as("no completion or error after cancel").isNull();
        assertThat(listener.audioBytes()).isLessThanOrEqualTo(after + 3200);
    }
}
