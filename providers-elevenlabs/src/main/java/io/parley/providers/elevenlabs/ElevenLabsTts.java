package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * ElevenLabs streaming text-to-speech over its websocket input-streaming endpoints, delivering
 * raw PCM at the session's output rate together with word timings derived from ElevenLabs'
 * character alignment (so an interrupted reply can be cut to the words actually heard).
 *
 * <pre>{@code
 * TtsProvider tts = ElevenLabsTts.builder()
 *         .voiceId("21m00Tcm4TlvDq8ikWAM")             // default: ELEVENLABS_VOICE_ID, else this one
 *         .mode(ElevenLabsTts.Mode.MULTI_CONTEXT)   // barge-in without reconnecting
 *         .build();                                  // API key from ELEVENLABS_API_KEY
 * }</pre>
 *
 * <p>Text is sent in whole words, each piece ending in a space, with {@code flush} at sentence
 * ends; the input is kept alive before the inactivity timeout while the agent is thinking.
 * {@link Mode#STREAM_INPUT} uses one socket per reply and ends it with {@code {"text":""}};
 * {@link Mode#MULTI_CONTEXT} keeps one socket per voice and format, runs each reply as a
 * context and cancels with {@code close_context}. PCM rates: 8000, 16000, 22050, 24000 or
 * 44100 Hz; the mono audio is copied to every channel the session asks for.
 *
 * <p>Thread-safe. {@link #close()} closes shared multi-context sockets.
 */
public final class ElevenLabsTts implements TtsProvider, AutoCloseable {

    /** Which websocket endpoint carries replies. */
    public enum Mode {
        /** {@code /stream-input}: a socket per reply; cancel drops the socket. */
        STREAM_INPUT,
        /** {@code /multi-stream-input}: a shared socket, a context per reply; cancel closes the context. */
        MULTI_CONTEXT
    }

    private final String apiKey;
    private final HttpUrl baseUrl;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private volatile boolean closed;
    private final Clock clock;
    private final Mode mode;
    private final String voiceId;
    private final String modelId;
    private final String languageCode;
    private final VoiceSettings voiceSettings;
    private final List<Integer> chunkLengthSchedule;
    private final Duration inactivityTimeout;
    private final Duration keepAliveInterval;
    private final Duration idleSocketTimeout;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final Duration completionTimeout;
    private final Map<String, MultiContextSocket> sockets = new HashMap<>();

    private ElevenLabsTts(Builder b) {
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        this.client = b.client != null ? b.client : ProviderHttp.client(b.handshakeTimeout);
        this.ownsClient = b.client == null;
        this.clock = b.clock;
        this.mode = b.mode;
        this.voiceId = b.voiceId;
        this.modelId = b.modelId;
        this.languageCode = b.languageCode;
        this.voiceSettings = b.voiceSettings;
        this.chunkLengthSchedule = b.chunkLengthSchedule;
        this.inactivityTimeout = b.inactivityTimeout;
        this.keepAliveInterval = b.keepAliveInterval != null ? b.keepAliveInterval
                : Duration.ofMillis(b.inactivityTimeout.toMillis() * 3 / 4);
        this.idleSocketTimeout = b.idleSocketTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.closeTimeout = b.closeTimeout;
        this.completionTimeout = b.completionTimeout;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "elevenlabs";
    }

    /**
     * Opens a reply. In {@link Mode#STREAM_INPUT} this dials a socket; in
     * {@link Mode#MULTI_CONTEXT} it reuses the socket for the voice and format, dialing one if needed.
     *
     * @throws SessionException {@link ErrorCode#INVALID_CONFIG} for a rate ElevenLabs cannot
     *         produce; otherwise the mapped handshake failure
     *         ({@link ErrorCode#PROVIDER_AUTH}, {@link ErrorCode#PROVIDER_RATE_LIMITED}, ...)
     */
    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        if (closed) {
            throw new SessionException(ErrorCode.INVALID_STATE, "ElevenLabsTts is closed");
        }
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        String outputFormat = Endpoints.pcmOutputFormat(request.format(), Endpoints.WS_PCM_RATES);
        String voice = voiceFor(request);
        if (mode == Mode.STREAM_INPUT) {
            StreamInputReply reply = new StreamInputReply(this, request, listener);
            reply.connect(firstMessage());
            return reply;
        }
        String key = voice + "|" + outputFormat;
        MultiContextSocket socket;
        synchronized (sockets) {
            socket = sockets.get(key);
            if (socket == null || !socket.usable()) {
                socket = new MultiContextSocket(this, key, request);
                sockets.put(key, socket);
            }
        }
        socket.awaitOpen();
        return socket.openContext(request, listener, firstMessage());
    }

    private String voiceFor(TtsRequest request) {
        return request.voice().isEmpty() ? voiceId : request.voice();
    }

    /**
     * Closes the shared multi-context sockets (replies still running on them are cancelled) and
     * releases the HTTP client this provider built for itself; a client passed to the builder is
     * left alone. {@link #open} fails afterwards. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        List<MultiContextSocket> all;
        synchronized (sockets) {
            all = new ArrayList<>(sockets.values());
            sockets.clear();
        }
        for (MultiContextSocket s : all) {
            s.shutdown();
        }
        if (ownsClient) {
            ProviderHttp.release(client);
        }
    }

    void forget(MultiContextSocket socket) {
        synchronized (sockets) {
            sockets.remove(socket.key(), socket);
        }
    }

    /** The upgrade request for {@code endpoint} ({@code stream-input} or {@code multi-stream-input}). */
    Request socketRequest(TtsRequest request, String endpoint) {
        HttpUrl.Builder u = baseUrl.newBuilder().addPathSegments("v1/text-to-speech").addPathSegment(voiceFor(request))
                .addPathSegment(endpoint)
                .addQueryParameter("model_id", modelId)
                .addQueryParameter("output_format", Endpoints.pcmOutputFormat(request.format(), Endpoints.WS_PCM_RATES))
                .addQueryParameter("inactivity_timeout", Long.toString(inactivityTimeout.toSeconds()));
        if (languageCode != null) {
            u.addQueryParameter("language_code", languageCode);
        }
        return new Request.Builder().url(u.build()).header("xi-api-key", apiKey).build();
    }

    /** The first message: a single space, plus voice settings and generation config when configured. */
    ObjectNode firstMessage() {
        ObjectNode m = ReplyStream.JSON.createObjectNode().put("text", " ");
        if (voiceSettings != null) {
            voiceSettings.writeTo(m.putObject("voice_settings"));
        }
        if (chunkLengthSchedule != null) {
            ArrayNode a = m.putObject("generation_config").putArray("chunk_length_schedule");
            chunkLengthSchedule.forEach(a::add);
        }
        return m;
    }

    OkHttpClient client() {
        return client;
    }

    Clock clock() {
        return clock;
    }

    long completionNanos() {
        return completionTimeout.toNanos();
    }

    long keepAliveNanos() {
        return keepAliveInterval.toNanos();
    }

    Duration idleSocketTimeout() {
        return idleSocketTimeout;
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    /** Configures an {@link ElevenLabsTts}. */
    public static final class Builder {
        private String apiKey;
        private HttpUrl baseUrl = ProviderHttp.parseBaseUrl(Endpoints.DEFAULT_BASE_URL);
        private OkHttpClient client;
        private Clock clock = Clock.system();
        private Mode mode = Mode.STREAM_INPUT;
        private String voiceId = Endpoints.defaultVoice();
        private String modelId = "eleven_flash_v2_5";
        private String languageCode;
        private VoiceSettings voiceSettings;
        private List<Integer> chunkLengthSchedule;
        private Duration inactivityTimeout = Duration.ofSeconds(20);
        private Duration keepAliveInterval;
        private Duration idleSocketTimeout = Duration.ofSeconds(10);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration completionTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** API key, sent as the {@code xi-api-key} header; defaults to {@code ELEVENLABS_API_KEY}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Endpoints.requireText("apiKey", apiKey);
            return this;
        }

        /** Where ElevenLabs lives, as http(s):// or ws(s)://; default {@code https://api.elevenlabs.io}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = ProviderHttp.parseBaseUrl(baseUrl);
            return this;
        }

        /** The OkHttp client to dial with. */
        public Builder httpClient(OkHttpClient client) {
            this.client = ProviderHttp.notNull(client, "client");
            return this;
        }

        /** Time source for keep-alive, idle and close timers; default {@link Clock#system()}. */
        public Builder clock(Clock clock) {
            this.clock = ProviderHttp.notNull(clock, "clock");
            return this;
        }

        /** Which endpoint to use (default {@link Mode#STREAM_INPUT}). */
        public Builder mode(Mode mode) {
            this.mode = ProviderHttp.notNull(mode, "mode");
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

        /** Model (default {@code eleven_flash_v2_5}, ElevenLabs' low-latency model). */
        public Builder modelId(String modelId) {
            this.modelId = Endpoints.requireText("modelId", modelId);
            return this;
        }

        /** ISO 639-1 language to enforce, for models that support it. */
        public Builder languageCode(String languageCode) {
            this.languageCode = Endpoints.requireText("languageCode", languageCode);
            return this;
        }

        /** Voice settings sent with the first message; unset keeps the voice's stored settings. */
        public Builder voiceSettings(VoiceSettings settings) {
            this.voiceSettings = ProviderHttp.notNull(settings, "settings");
            return this;
        }

        /**
         * Characters buffered before each successive generation ({@code chunk_length_schedule},
         * each 50..500); lower starts audio sooner at some cost in prosody. Unset keeps
         * ElevenLabs' default [120, 160, 250, 290].
         */
        public Builder chunkLengthSchedule(int... schedule) {
            if (ProviderHttp.notNull(schedule, "chunkLengthSchedule").length == 0) {
                throw new IllegalArgumentException("chunkLengthSchedule must not be empty");
            }
            List<Integer> l = new ArrayList<>();
            for (int v : schedule) {
                if (v < 50 || v > 500) {
                    throw new IllegalArgumentException("chunkLengthSchedule values must be within 50..500, was " + v);
                }
                l.add(v);
            }
            this.chunkLengthSchedule = List.copyOf(l);
            return this;
        }

        /** Seconds of input silence after which ElevenLabs closes the socket, 1..180 (default 20 s). */
        public Builder inactivityTimeout(Duration timeout) {
            long s = ProviderHttp.notNull(timeout, "inactivityTimeout").toSeconds();
            if (s < 1 || s > 180 || timeout.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("inactivityTimeout must be whole seconds within 1..180, was " + timeout);
            }
            this.inactivityTimeout = timeout;
            return this;
        }

        /** How long input may pause before a keep-alive is sent; default three quarters of the inactivity timeout. */
        public Builder keepAliveInterval(Duration interval) {
            this.keepAliveInterval = Endpoints.positive("keepAliveInterval", interval);
            return this;
        }

        /** How long a multi-context socket without contexts stays open for the next reply (default 10 s). */
        public Builder idleSocketTimeout(Duration timeout) {
            this.idleSocketTimeout = Endpoints.positive("idleSocketTimeout", timeout);
            return this;
        }

        /** Bound on each websocket handshake (default 10 s). */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = Endpoints.positive("handshakeTimeout", timeout);
            return this;
        }

        /** How long a closing socket waits for ElevenLabs' close frame before it is dropped (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Endpoints.positive("closeTimeout", timeout);
            return this;
        }

        /**
         * How long a reply whose text has ended may go without audio or its final marker before
         * it fails with {@link io.parley.session.ErrorCode#TIMEOUT} (default 10 s), so a reply that
         * never completes cannot hold the session in SPEAKING.
         */
        public Builder completionTimeout(Duration timeout) {
            this.completionTimeout = Endpoints.positive("completionTimeout", timeout);
            return this;
        }

        /**
         * Builds the provider.
         *
         * @throws SessionException {@link ErrorCode#INVALID_CONFIG} without an API key (and no
         *         {@code ELEVENLABS_API_KEY}), or when the keep-alive interval is not shorter
         *         than the inactivity timeout
         */
        public ElevenLabsTts build() {
            apiKey = Endpoints.apiKey(apiKey);
            if (keepAliveInterval != null && keepAliveInterval.compareTo(inactivityTimeout) >= 0) {
                throw new SessionException(ErrorCode.INVALID_CONFIG, "keepAliveInterval " + keepAliveInterval
                        + " must be shorter than inactivityTimeout " + inactivityTimeout);
            }
            return new ElevenLabsTts(this);
        }
    }
}
