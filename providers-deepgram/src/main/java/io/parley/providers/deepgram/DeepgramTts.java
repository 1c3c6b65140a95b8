package io.parley.providers.deepgram;

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
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Deepgram Aura text-to-speech over the {@code /v1/speak} websocket, delivering linear16 audio
 * at the session's output rate.
 *
 * <pre>{@code
 * TtsProvider tts = DeepgramTts.builder().model("aura-2-thalia-en").build(); // key from DEEPGRAM_API_KEY
 * }</pre>
 *
 * <p>Each {@link #open} dials one socket for one reply. Text is sent as {@code Speak} messages
 * of at most 2,000 characters cut after sentences, with a {@code Flush} after each sentence so
 * audio starts early (within Deepgram's 20-flushes-per-minute allowance, one kept for the end);
 * {@link TtsStream#flush()} flushes the rest and completes on the matching {@code Flushed}.
 * {@link TtsStream#cancel()} sends {@code Clear} and drops audio still in flight. Aura sends no
 * word timings. The request's rate must be one Aura produces: 8, 16, 24, 32 or 48 kHz; audio
 * is mono, copied to every channel when the session asks for more.
 */
public final class DeepgramTts implements TtsProvider, AutoCloseable {

    /** Sample rates Aura can produce. */
    static final Set<Integer> RATES = Set.of(8000, 16000, 24000, 32000, 48000);
    /** Deepgram's limit on one Speak message. */
    static final int MAX_SPEAK_CHARS = 2000;
    /** Deepgram's flush allowance per rolling minute. */
    static final int FLUSHES_PER_MINUTE = 20;

    private final String apiKey;
    private final HttpUrl baseUrl;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private volatile boolean closed;
    private final Clock clock;
    private final String model;
    private final double speed;
    private final Duration handshakeTimeout;
    private final Duration closeTimeout;
    private final Duration completionTimeout;

    private DeepgramTts(Builder b) {
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        this.client = b.client != null ? b.client : ProviderHttp.client(b.handshakeTimeout);
        this.ownsClient = b.client == null;
        this.clock = b.clock;
        this.model = b.model;
        this.speed = b.speed;
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
        return "deepgram-aura";
    }

    /**
     * Connects and returns once Deepgram accepted the upgrade.
     *
     * @throws SessionException {@link ErrorCode#INVALID_CONFIG} for a sample rate Aura cannot
     *         produce; otherwise the mapped handshake failure (see {@link DeepgramStt#open})
     */
    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        if (closed) {
            throw new SessionException(ErrorCode.INVALID_STATE, "DeepgramTts is closed");
        }
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        if (!RATES.contains(request.format().sampleRate())) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "Deepgram Aura produces 8000, 16000, 24000, 32000 or 48000 Hz, not "
                    + request.format().sampleRate() + " Hz");
        }
        DeepgramTtsStream s = new DeepgramTtsStream(this, request, listener);
        s.connect();
        return s;
    }

    HttpUrl speakUrl(TtsRequest request) {
        HttpUrl.Builder u = baseUrl.newBuilder().addPathSegments("v1/speak")
                .addQueryParameter("model", request.voice().isEmpty() ? model : request.voice())
                .addQueryParameter("encoding", "linear16")
                .addQueryParameter("sample_rate", Integer.toString(request.format().sampleRate()));
        if (speed != 1.0) {
            u.addQueryParameter("speed", Double.toString(speed));
        }
        return u.build();
    }

    String apiKey() {
        return apiKey;
    }

    OkHttpClient client() {
        return client;
    }

    Clock clock() {
        return clock;
    }

    Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    Duration completionTimeout() {
        return completionTimeout;
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

    /** Configures a {@link DeepgramTts}. */
    public static final class Builder {
        private String apiKey;
        private HttpUrl baseUrl = ProviderHttp.parseBaseUrl(Endpoints.DEFAULT_BASE_URL);
        private OkHttpClient client;
        private Clock clock = Clock.system();
        private String model = "aura-2-thalia-en";
        private double speed = 1.0;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration completionTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** API key, sent as {@code Authorization: Token <key>}; defaults to {@code DEEPGRAM_API_KEY}. */
        public Builder apiKey(String apiKey) {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            this.apiKey = apiKey;
            return this;
        }

        /** Where Deepgram lives, as ws(s):// or http(s)://; default {@code wss://api.deepgram.com}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = ProviderHttp.parseBaseUrl(baseUrl);
            return this;
        }

        /** The OkHttp client to dial with. */
        public Builder httpClient(OkHttpClient client) {
            this.client = ProviderHttp.notNull(client, "client");
            return this;
        }

        /** Time source for the flush allowance and close timer; default {@link Clock#system()}. */
        public Builder clock(Clock clock) {
            this.clock = ProviderHttp.notNull(clock, "clock");
            return this;
        }

        /** Default voice model (a request's voice wins), e.g. {@code aura-2-thalia-en} (default). */
        public Builder model(String model) {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank");
            }
            this.model = model;
            return this;
        }

        /** Speaking rate, 0.7..1.5 (default 1). */
        public Builder speed(double speed) {
            if (!(speed >= 0.7 && speed <= 1.5)) {
                throw new IllegalArgumentException("speed must be within 0.7..1.5, was " + speed);
            }
            this.speed = speed;
            return this;
        }

        /** Bound on the websocket handshake (default 10 s). */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshakeTimeout must be positive, was " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /** How long a closed stream waits for Deepgram's close frame before dropping the socket (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, was " + timeout);
            }
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * How long a flushed reply may go without audio or Deepgram's {@code Flushed} before the
         * stream fails with {@link ErrorCode#TIMEOUT} (default 10 s), so a reply that never
         * completes cannot hold the session in SPEAKING.
         */
        public Builder completionTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("completionTimeout must be positive, was " + timeout);
            }
            this.completionTimeout = timeout;
            return this;
        }

        /**
         * Builds the provider.
         *
         * @throws SessionException {@link ErrorCode#INVALID_CONFIG} if no API key was given and
         *         {@code DEEPGRAM_API_KEY} is unset
         */
        public DeepgramTts build() {
            apiKey = ProviderHttp.apiKey(apiKey, "DEEPGRAM_API_KEY");
            if (apiKey == null) {
                throw new SessionException(ErrorCode.INVALID_CONFIG, "no Deepgram API key: call apiKey(..) or set DEEPGRAM_API_KEY");
            }
            return new DeepgramTts(this);
        }
    }
}
