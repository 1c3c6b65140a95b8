package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.providers.http.ProviderHttp;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * ElevenLabs text-to-speech over plain HTTP streaming ({@code POST /v1/text-to-speech/{voice}/stream}),
 * for networks where websockets are blocked or as a fallback provider.
 *
 * <pre>{@code
 * TtsProvider fallback = ElevenLabsHttpTts.builder().voiceId("21m00Tcm4TlvDq8ikWAM").build();
 * }</pre>
 *
 * <p>A reply is synthesized sentence by sentence, one request at a time in order, each passing
 * the text already spoken as {@code previous_text} so intonation carries over; audio is read
 * from the chunked response as it arrives. This endpoint reports no word timings. Failures
 * carry ElevenLabs' {@code detail.status} and message; 429 and 5xx are retryable.
 */
public final class ElevenLabsHttpTts implements TtsProvider, AutoCloseable {

    static final MediaType JSON_TYPE = MediaType.get("application/json");
    static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final HttpUrl baseUrl;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private volatile boolean closed;
    private final Clock clock;
    private final String voiceId;
    private final String modelId;
    private final String languageCode;
    private final VoiceSettings voiceSettings;
    private final Integer optimizeStreamingLatency;

    private ElevenLabsHttpTts(Builder b) {
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        this.client = b.client != null ? b.client : ProviderHttp.client(b.timeout);
        this.ownsClient = b.client == null;
        this.clock = b.clock;
        this.voiceId = b.voiceId;
        this.modelId = b.modelId;
        this.languageCode = b.languageCode;
        this.voiceSettings = b.voiceSettings;
        this.optimizeStreamingLatency = b.optimizeStreamingLatency;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "elevenlabs-http";
    }

    /**
     * Starts a reply; no request is made until a sentence is complete or the reply is flushed.
     *
     * @throws SessionException {@link ErrorCode#INVALID_CONFIG} for a rate ElevenLabs cannot produce
     */
    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        if (closed) {
            throw new SessionException(ErrorCode.INVALID_STATE, "ElevenLabsHttpTts is closed");
        }
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        String outputFormat = Endpoints.pcmOutputFormat(request.format(), Endpoints.HTTP_PCM_RATES);
        String voice = request.voice().isEmpty() ? voiceId : request.voice();
        HttpUrl.Builder u = baseUrl.newBuilder().addPathSegments("v1/text-to-speech").addPathSegment(voice).addPathSegment("stream")
                .addQueryParameter("output_format", outputFormat);
        if (optimizeStreamingLatency != null) {
            u.addQueryParameter("optimize_streaming_latency", optimizeStreamingLatency.toString());
        }
        return new HttpReply(this, u.build(), request.format(), listener);
    }

    /** The POST for one piece of text. */
    Request speechRequest(HttpUrl url, String text, String previousText) {
        ObjectNode body = JSON.createObjectNode().put("text", text).put("model_id", modelId);
        if (languageCode != null) {
            body.put("language_code", languageCode);
        }
        if (voiceSettings != null) {
            voiceSettings.writeTo(body.putObject("voice_settings"));
        }
        if (!previousText.isEmpty()) {
            body.put("previous_text", previousText);
        }
        return new Request.Builder().url(url).header("xi-api-key", apiKey).header("Accept", "audio/*")
                .post(RequestBody.create(body.toString(), JSON_TYPE)).build();
    }

    OkHttpClient client() {
        return client;
    }

    Clock clock() {
        return clock;
    }

    /**
     * Releases the HTTP client this provider built for itself (dispatcher threads, pooled
     * connections); a client passed to the builder is left alone. Streams already open finish
     * normally; {@link #open} fails afterwards. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (ownsClient) {
                ProviderHttp.release(client);
            }
        }
    }

    /** Configures an {@link ElevenLabsHttpTts}. */
    public static final class Builder {
        private String apiKey;
        private HttpUrl baseUrl = ProviderHttp.parseBaseUrl(Endpoints.DEFAULT_BASE_URL);
        private OkHttpClient client;
        private Clock clock = Clock.system();
        private String voiceId = Endpoints.defaultVoice();
        private String modelId = "eleven_flash_v2_5";
        private String languageCode;
        private VoiceSettings voiceSettings;
        private Integer optimizeStreamingLatency;
        private Duration timeout = Duration.ofSeconds(15);

        private Builder() {
        }

        /** API key, sent as the {@code xi-api-key} header; defaults to {@code ELEVENLABS_API_KEY}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Endpoints.requireText("apiKey", apiKey);
            return this;
        }

        /** Where ElevenLabs lives; default {@code https://api.elevenlabs.io}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = ProviderHttp.parseBaseUrl(baseUrl);
            return this;
        }

        /** The OkHttp client to call with. */
        public Builder httpClient(OkHttpClient client) {
            this.client = ProviderHttp.notNull(client, "client");
            return this;
        }

        /** Time source for audio frame timestamps; default {@link Clock#system()}. */
        public Builder clock(Clock clock) {
            this.clock = ProviderHttp.notNull(clock, "clock");
            return this;
        }

        /**
         * Default voice; a request's own voice wins. Unset: {@code ELEVENLABS_VOICE_ID}, else the
         * premade "Rachel" voice ({@code 21m00Tcm4TlvDq8ikWAM}).
         */
        public Builder voiceId(String voiceId) {
            this.voiceId = Endpoints.requireText("voiceId", voiceId);
            return this;
        }

        /** Model (default {@code eleven_flash_v2_5}). */
        public Builder modelId(String modelId) {
            this.modelId = Endpoints.requireText("modelId", modelId);
            return this;
        }

        /** ISO 639-1 language to enforce, for models that support it. */
        public Builder languageCode(String languageCode) {
            this.languageCode = Endpoints.requireText("languageCode", languageCode);
            return this;
        }

        /** Voice settings sent with each request; unset keeps the voice's stored settings. */
        public Builder voiceSettings(VoiceSettings settings) {
            this.voiceSettings = ProviderHttp.notNull(settings, "settings");
            return this;
        }

        /** ElevenLabs' latency/quality trade-off, 0 (off) to 4 (fastest); unset sends none. */
        public Builder optimizeStreamingLatency(int level) {
            if (level < 0 || level > 4) {
                throw new IllegalArgumentException("optimizeStreamingLatency must be within 0..4, was " + level);
            }
            this.optimizeStreamingLatency = level;
            return this;
        }

        /** Connect, read and write timeout of each request (default 15 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Endpoints.positive("timeout", timeout);
            return this;
        }

        /**
         * Builds the provider.
         *
         * @throws SessionException {@link ErrorCode#INVALID_CONFIG} without an API key and no {@code ELEVENLABS_API_KEY}
         */
        public ElevenLabsHttpTts build() {
            apiKey = Endpoints.apiKey(apiKey);
            return new ElevenLabsHttpTts(this);
        }
    }
}
