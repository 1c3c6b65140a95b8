package io.parley.providers.deepgram;

import io.parley.providers.http.ProviderHttp;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Deepgram live speech-to-text over the {@code /v1/listen} websocket.
 *
 * <pre>{@code
 * SttProvider stt = DeepgramStt.builder()
 *         .model("nova-3")
 *         .interimResults(true)
 *         .utteranceEnd(Duration.ofSeconds(1))
 *         .build();              // API key from DEEPGRAM_API_KEY
 * }</pre>
 *
 * <p>Each {@link #open} dials one socket and streams linear16 audio in the request's format.
 * A stream keeps the connection alive with {@code KeepAlive} text frames while no audio flows,
 * finalizes utterances with {@code Finalize}, and closes with {@code CloseStream}, delivering the
 * results Deepgram flushes before it closes. When the socket drops (close 1011 NET-0000 /
 * NET-0001, 1006, or a network failure) the stream reconnects with exponential backoff,
 * replays the audio no final result has covered yet and shifts the new connection's word
 * times by the audio that preceded it, so transcripts are neither lost nor out of order.
 *
 * <p>Thread-safe; one instance serves any number of sessions.
 */
public final class DeepgramStt implements SttProvider, AutoCloseable {

    private final String apiKey;
    private final HttpUrl baseUrl;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private volatile boolean closed;
    private final Clock clock;
    private final String model;
    private final String language;
    private final Map<String, List<String>> options;
    private final Duration handshakeTimeout;
    private final int maxReconnectAttempts;
    private final Duration reconnectBaseDelay;
    private final Duration reconnectMaxDelay;
    private final Duration replayWindow;
    private final Duration closeTimeout;

    private DeepgramStt(Builder b) {
        this.apiKey = b.apiKey;
        this.baseUrl = b.baseUrl;
        this.client = b.client != null ? b.client : ProviderHttp.client(b.handshakeTimeout);
        this.ownsClient = b.client == null;
        this.clock = b.clock;
        this.model = b.model;
        this.language = b.language;
        this.options = b.options();
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxReconnectAttempts = b.maxReconnectAttempts;
        this.reconnectBaseDelay = b.reconnectBaseDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.replayWindow = b.replayWindow;
        this.closeTimeout = b.closeTimeout;
    }

    /** A builder with Deepgram's recommended settings for voice agents. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "deepgram";
    }

    /**
     * Connects and returns once Deepgram accepted the upgrade.
     *
     * @throws SessionException {@link ErrorCode#PROVIDER_AUTH} (401/402/403),
     *         {@link ErrorCode#PROVIDER_BAD_REQUEST} (400), {@link ErrorCode#PROVIDER_RATE_LIMITED}
     *         (429, retryable), {@link ErrorCode#PROVIDER_CONNECTION} (5xx or network, retryable);
     *         the message carries Deepgram's {@code err_code} and {@code err_msg}
     */
    @Override
    public SttStream open(SttRequest request, SttListener listener) {
        if (closed) {
            throw new SessionException(ErrorCode.INVALID_STATE, "DeepgramStt is closed");
        }
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        DeepgramSttStream stream = new DeepgramSttStream(this, request, listener);
        stream.connectInitial();
        return stream;
    }

    /** The listen URL for a request: the builder's options plus the audio format. */
    HttpUrl listenUrl(SttRequest request) {
        HttpUrl.Builder u = baseUrl.newBuilder().addPathSegments("v1/listen")
                .addQueryParameter("model", model)
                .addQueryParameter("encoding", "linear16")
                .addQueryParameter("sample_rate", Integer.toString(request.format().sampleRate()))
                .addQueryParameter("channels", Integer.toString(request.format().channels()));
        String lang = request.language().isEmpty() ? language : request.language();
        if (!lang.isEmpty()) {
            u.addQueryParameter("language", lang);
        }
        options.forEach((k, vs) -> vs.forEach(v -> u.addQueryParameter(k, v)));
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

    int maxReconnectAttempts() {
        return maxReconnectAttempts;
    }

    /** Delay before reconnect attempt {@code attempt} (1-based): base doubled each time, capped. */
    long reconnectDelayNanos(int attempt) {
        long base = reconnectBaseDelay.toNanos();
        long max = reconnectMaxDelay.toNanos();
        int shift = Math.min(attempt - 1, 30);
        long d = base > (max >> shift) ? max : base << shift;
        return Math.min(d, max);
    }

    Duration replayWindow() {
        return replayWindow;
    }

    Duration closeTimeout() {
        return closeTimeout;
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

    /**
     * Configures a {@link DeepgramStt}. Boolean and numeric options map one to one onto
     * Deepgram's query parameters; anything left unset takes Deepgram's default.
     */
    public static final class Builder {
        private String apiKey;
        private HttpUrl baseUrl = ProviderHttp.parseBaseUrl(Endpoints.DEFAULT_BASE_URL);
        private OkHttpClient client;
        private Clock clock = Clock.system();
        private String model = "nova-3";
        private String language = "";
        private boolean interimResults = true;
        private String endpointing;
        private Integer utteranceEndMs;
        private boolean vadEvents = true;
        private boolean punctuate = true;
        private boolean smartFormat;
        private boolean diarize;
        private final List<String> keyterms = new ArrayList<>();
        private final List<String> keywords = new ArrayList<>();
        private final List<String> redact = new ArrayList<>();
        private final Map<String, List<String>> extra = new LinkedHashMap<>();
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int maxReconnectAttempts = 5;
        private Duration reconnectBaseDelay = Duration.ofMillis(250);
        private Duration reconnectMaxDelay = Duration.ofSeconds(8);
        private Duration replayWindow = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        /** API key, sent as {@code Authorization: Token <key>}; defaults to {@code DEEPGRAM_API_KEY}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = requireText("apiKey", apiKey);
            return this;
        }

        /** Where Deepgram lives, as ws(s):// or http(s)://; default {@code wss://api.deepgram.com}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = ProviderHttp.parseBaseUrl(baseUrl);
            return this;
        }

        /** The OkHttp client to dial with (shares its connection pool and dispatcher). */
        public Builder httpClient(OkHttpClient client) {
            this.client = ProviderHttp.notNull(client, "client");
            return this;
        }

        /** Time source for keep-alive, reconnect backoff and close timers; default {@link Clock#system()}. */
        public Builder clock(Clock clock) {
            this.clock = ProviderHttp.notNull(clock, "clock");
            return this;
        }

        /** Model, e.g. {@code nova-3} (default) or {@code nova-2-phonecall}. */
        public Builder model(String model) {
            this.model = requireText("model", model);
            return this;
        }

        /** Default BCP-47 language ({@code en}, {@code multi}, ...); a session's own language hint wins. */
        public Builder language(String language) {
            this.language = requireText("language", language);
            return this;
        }

        /** Whether to receive interim results (default true; needed for utterance-end events). */
        public Builder interimResults(boolean on) {
            this.interimResults = on;
            return this;
        }

        /** Silence after which Deepgram marks a result {@code speech_final}; unset keeps Deepgram's 10 ms. */
        public Builder endpointing(Duration silence) {
            ProviderHttp.notNull(silence, "endpointing");
            long ms = silence.toMillis();
            if (ms < 0 || ms > 60_000) {
                throw new IllegalArgumentException("endpointing must be within 0..60 s, was " + silence);
            }
            this.endpointing = Long.toString(ms);
            return this;
        }

        /** Turns endpointing off ({@code endpointing=false}): only finalize and utterance-end close utterances. */
        public Builder disableEndpointing() {
            this.endpointing = "false";
            return this;
        }

        /** Gap in words after which Deepgram sends {@code UtteranceEnd}; Deepgram recommends at least 1 s. */
        public Builder utteranceEnd(Duration gap) {
            ProviderHttp.notNull(gap, "utteranceEnd");
            long ms = gap.toMillis();
            if (ms < 1 || ms > 60_000) {
                throw new IllegalArgumentException("utteranceEnd must be within 1 ms..60 s, was " + gap);
            }
            this.utteranceEndMs = (int) ms;
            return this;
        }

        /** Whether Deepgram reports {@code SpeechStarted} (default true). */
        public Builder vadEvents(boolean on) {
            this.vadEvents = on;
            return this;
        }

        /** Punctuation and capitalisation (default true). */
        public Builder punctuate(boolean on) {
            this.punctuate = on;
            return this;
        }

        /** Smart formatting of numbers, dates and the like (default false). */
        public Builder smartFormat(boolean on) {
            this.smartFormat = on;
            return this;
        }

        /** Speaker labels on words (default false). */
        public Builder diarize(boolean on) {
            this.diarize = on;
            return this;
        }

        /** Adds a key term to boost (Nova-3 models). */
        public Builder keyterm(String term) {
            keyterms.add(requireText("keyterm", term));
            return this;
        }

        /** Adds a keyword with an intensifier (pre-Nova-3 models), sent as {@code word:intensifier}. */
        public Builder keyword(String word, double intensifier) {
            requireText("keyword", word);
            if (!Double.isFinite(intensifier)) {
                throw new IllegalArgumentException("keyword intensifier must be finite, was " + intensifier);
            }
            keywords.add(word + ":" + intensifier);
            return this;
        }

        /** Adds a redaction class: {@code pci}, {@code numbers}, {@code aggressive_numbers}, {@code ssn} or {@code true}. */
        public Builder redact(String what) {
            redact.add(requireText("redact", what));
            return this;
        }

        /**
         * Adds any other query parameter verbatim (e.g. {@code tag}, {@code numerals}); repeatable.
         * Parameters this builder manages itself are rejected so they cannot be sent twice.
         */
        public Builder queryParameter(String name, String value) {
            requireText("name", name);
            requireText("value", value);
            if (List.of("model", "language", "encoding", "sample_rate", "channels", "interim_results", "endpointing",
                    "utterance_end_ms", "vad_events", "punctuate", "smart_format", "diarize", "keyterm", "keywords",
                    "redact").contains(name)) {
                throw new IllegalArgumentException("use the builder method for query parameter " + name);
            }
            extra.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** Bound on each websocket handshake (default 10 s). */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = positive("handshakeTimeout", timeout);
            return this;
        }

        /**
         * Reconnect policy after a dropped socket: up to {@code maxAttempts} consecutive attempts,
         * the first after {@code baseDelay}, each further one after twice the previous delay,
         * never more than {@code maxDelay}. Defaults: 5, 250 ms, 8 s. Zero attempts disables reconnecting.
         */
        public Builder reconnect(int maxAttempts, Duration baseDelay, Duration maxDelay) {
            if (maxAttempts < 0 || maxAttempts > 100) {
                throw new IllegalArgumentException("maxAttempts must be within 0..100, was " + maxAttempts);
            }
            positive("baseDelay", baseDelay);
            positive("maxDelay", maxDelay);
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("maxDelay " + maxDelay + " is less than baseDelay " + baseDelay);
            }
            this.maxReconnectAttempts = maxAttempts;
            this.reconnectBaseDelay = baseDelay;
            this.reconnectMaxDelay = maxDelay;
            return this;
        }

        /**
         * How much audio not yet covered by a final result is kept for replay after a reconnect
         * (default 30 s). Older audio is released with a warning; Deepgram finalizes far sooner.
         */
        public Builder replayWindow(Duration window) {
            this.replayWindow = positive("replayWindow", window);
            return this;
        }

        /** How long {@code close()} waits for Deepgram's last results and close frame (default 5 s). */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive("closeTimeout", timeout);
            return this;
        }

        /**
         * Builds the provider.
         *
         * @throws SessionException {@link ErrorCode#INVALID_CONFIG} if no API key was given and
         *         {@code DEEPGRAM_API_KEY} is unset, or utterance-end events were asked for
         *         without interim results
         */
        public DeepgramStt build() {
            apiKey = ProviderHttp.apiKey(apiKey, "DEEPGRAM_API_KEY");
            if (apiKey == null) {
                throw new SessionException(ErrorCode.INVALID_CONFIG,
                        "no Deepgram API key: call apiKey(..) or set DEEPGRAM_API_KEY");
            }
            if (utteranceEndMs != null && !interimResults) {
                throw new SessionException(ErrorCode.INVALID_CONFIG,
                        "Deepgram sends UtteranceEnd only with interim results: enable interimResults or drop utteranceEnd");
            }
            return new DeepgramStt(this);
        }

        private Map<String, List<String>> options() {
            Map<String, List<String>> o = new LinkedHashMap<>();
            o.put("interim_results", List.of(Boolean.toString(interimResults)));
            if (endpointing != null) {
                o.put("endpointing", List.of(endpointing));
            }
            if (utteranceEndMs != null) {
                o.put("utterance_end_ms", List.of(Integer.toString(utteranceEndMs)));
            }
            o.put("vad_events", List.of(Boolean.toString(vadEvents)));
            o.put("punctuate", List.of(Boolean.toString(punctuate)));
            if (smartFormat) {
                o.put("smart_format", List.of("true"));
            }
            if (diarize) {
                o.put("diarize", List.of("true"));
            }
            if (!keyterms.isEmpty()) {
                o.put("keyterm", List.copyOf(keyterms));
            }
            if (!keywords.isEmpty()) {
                o.put("keywords", List.copyOf(keywords));
            }
            if (!redact.isEmpty()) {
                o.put("redact", List.copyOf(redact));
            }
            extra.forEach((k, v) -> o.put(k, List.copyOf(v)));
            return Collections.unmodifiableMap(o);
        }

        private static String requireText(String what, String s) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return s;
        }

        private static Duration positive(String what, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
