package io.parley.providers.deepgram;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.providers.deepgram.wire.ListenEvent;
import io.parley.providers.deepgram.wire.ListenEventParser;
import io.parley.providers.http.SerialCalls;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Word;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live transcription stream, possibly spanning several sockets after reconnects.
 *
 * <p>Listener calls go through {@link SerialCalls}, so they never overlap even when OkHttp's
 * writer thread reports a failure while the reader thread delivers a result; an error is the
 * last call. State lives under {@link #lock}, which is never held while calling the listener.
 */
final class DeepgramSttStream implements SttStream {

    private static final Logger log = LoggerFactory.getLogger(DeepgramSttStream.class);
    private static final ListenEventParser PARSER = new ListenEventParser();
    static final String KEEP_ALIVE = "{\"type\":\"KeepAlive\"}";
    static final String FINALIZE = "{\"type\":\"Finalize\"}";
    static final String CLOSE_STREAM = "{\"type\":\"CloseStream\"}";
    private static final String ENDPOINT = "/v1/listen";
    private static final long MAX_KEEP_ALIVE_NANOS = 8_000_000_000L;

    private enum State { CONNECTING, OPEN, RECONNECTING, CLOSING, CLOSED, FAILED }

    private final DeepgramStt provider;
    private final SttListener listener;
    private final Clock clock;
    private final AudioFormat format;
    private final Request httpRequest;
    private final long keepAliveNanos;

    private final SerialCalls calls = new SerialCalls();
    private final Object lock = new Object();
    private State state = State.CONNECTING;
    private WebSocket socket;
    private int generation;
    /** Audio already sent (or waiting to be) that no final result covers yet. */
    private final ReplayBuffer replay;
    private int untypedMessages;
    private long writtenFrames;
    private long connBaseFrame;
    private boolean finalizePending;
    private boolean closeRequested;
    private boolean closeTimedOut;
    private int reconnectAttempts;
    private long lastSendNanos;
    private Clock.Cancellable keepAliveTimer;
    private Clock.Cancellable closeTimer;
    private Clock.Cancellable reconnectTimer;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();

    /** PCM encoding buffer; only the (single) writing thread touches it. */
    private byte[] scratch = new byte[0];

    DeepgramSttStream(DeepgramStt provider, SttRequest request, SttListener listener) {
        this.provider = provider;
        this.listener = listener;
        this.clock = provider.clock();
        this.format = request.format();
        this.httpRequest = new Request.Builder()
                .url(provider.listenUrl(request))
                .header("Authorization", "Token " + provider.apiKey())
                .build();
        // Deepgram closes a socket after about 10 s without audio or a text message (NET-0001), so
        // a session's longer keep-alive interval is shortened to stay safely inside that window.
        this.keepAliveNanos = Math.min(request.keepAliveInterval().toNanos(), MAX_KEEP_ALIVE_NANOS);
        this.replay = new ReplayBuffer(format, provider.replayWindow().toNanos() * format.sampleRate() / 1_000_000_000L);
    }

    /** Dials the first socket and blocks until Deepgram accepted or refused it. */
    void connectInitial() {
        synchronized (lock) {
            int gen = ++generation;
            socket = provider.client().newWebSocket(httpRequest, new Connection(gen));
        }
        long timeoutMs = provider.handshakeTimeout().toMillis();
        try {
            opened.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw SessionException.wrap(ErrorCode.PROVIDER_CONNECTION, e.getCause());
        } catch (TimeoutException e) {
            abandon();
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION,
                    "Deepgram " + ENDPOINT + " did not answer the websocket upgrade within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION, "interrupted while connecting to Deepgram", e);
        }
    }

    private void abandon() {
        synchronized (lock) {
            terminate();
        }
    }

    @Override
    public void write(AudioFrame frame) {
        if (!frame.format().equals(format)) {
            throw new SessionException(ErrorCode.INVALID_AUDIO,
                    "frame format " + frame.format() + " differs from the stream's " + format);
        }
        int samples = frame.length();
        if (samples == 0) {
            // An empty binary frame is Deepgram's legacy end-of-stream signal: never send one.
            return;
        }
        int bytes = samples * AudioFormat.BYTES_PER_SAMPLE;
        if (scratch.length < bytes) {
            scratch = new byte[bytes];
        }
        frame.writePcm16le(scratch, 0);
        // OkHttp needs an immutable message per send; the same object is kept for replay.
        ByteString message = ByteString.of(scratch, 0, bytes);
        int frames = frame.samplesPerChannel();
        synchronized (lock) {
            requireUsable("write");
            replay.add(message, writtenFrames, writtenFrames + frames);
            writtenFrames += frames;
            if (state == State.OPEN) {
                socket.send(message);
                lastSendNanos = clock.nanoTime();
            }
        }
    }

    @Override
    public void finalizeUtterance() {
        synchronized (lock) {
            if (state == State.CLOSING) {
                return; // CloseStream already flushes everything.
            }
            requireUsable("finalizeUtterance");
            finalizePending = true;
            if (state == State.OPEN) {
                socket.send(FINALIZE);
                lastSendNanos = clock.nanoTime();
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            switch (state) {
                case OPEN -> {
                    socket.send(CLOSE_STREAM);
                    state = State.CLOSING;
                    cancel(keepAliveTimer);
                    closeTimer = clock.schedule(this::closeTimeout, provider.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
                }
                case RECONNECTING -> {
                    if (!closeRequested) {
                        closeRequested = true;
                        closeTimer = clock.schedule(this::closeTimeout, provider.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
                    }
                }
                case CONNECTING -> terminate();
                default -> {
                    // CLOSING, CLOSED, FAILED: close is idempotent.
                }
            }
        }
    }

    /** Writes and finalizes are refused once the stream failed or its close was asked for. */
    private void requireUsable(String op) {
        if (state == State.FAILED || state == State.CLOSED || state == State.CLOSING || closeRequested) {
            throw new SessionException(ErrorCode.INVALID_STATE, op + " on a Deepgram stream that is "
                    + (closeRequested ? "closing" : state.name().toLowerCase()));
        }
    }

    private void closeTimeout() {
        SessionException deliver = null;
        synchronized (lock) {
            if (state == State.CLOSING) {
                // Cancelling makes OkHttp report the failure on the socket, which delivers the timeout.
                closeTimedOut = true;
                socket.cancel();
            } else if (state == State.RECONNECTING) {
                deliver = terminateWith(new SessionException(ErrorCode.TIMEOUT,
                        "Deepgram stream closed while reconnecting; no connection within "
                                + provider.closeTimeout().toMillis() + " ms, results for the last "
                                + nanosOf(writtenFrames - firstUnfinalizedFrame()) / 1_000_000 + " ms of audio are missing", null, false));
            }
        }
        if (deliver != null) {
            SessionException last = deliver;
            calls.runLast(() -> listener.onError(last));
        }
    }

    private long firstUnfinalizedFrame() {
        return replay.firstUnfinalizedFrame(writtenFrames);
    }

    private void keepAliveTick() {
        synchronized (lock) {
            if (state != State.OPEN) {
                return;
            }
            long now = clock.nanoTime();
            if (now - lastSendNanos >= keepAliveNanos) {
                socket.send(KEEP_ALIVE);
                lastSendNanos = now;
            }
            scheduleKeepAlive();
        }
    }

    /** Arms the keep-alive timer for the moment the socket will have been idle for a full interval. */
    private void scheduleKeepAlive() {
        if (keepAliveNanos <= 0) {
            return;
        }
        cancel(keepAliveTimer);
        long due = Math.max(0, lastSendNanos + keepAliveNanos - clock.nanoTime());
        keepAliveTimer = clock.schedule(this::keepAliveTick, due, TimeUnit.NANOSECONDS);
    }

    // ---- socket events -------------------------------------------------------------------

    private void onOpen(int gen, WebSocket ws) {
        synchronized (lock) {
            if (gen != generation) {
                ws.cancel();
                return;
            }
            socket = ws;
            lastSendNanos = clock.nanoTime();
            if (state == State.CONNECTING) {
                state = State.OPEN;
                connBaseFrame = 0;
                scheduleKeepAlive();
                opened.complete(null);
                return;
            }
            if (state != State.RECONNECTING) {
                return;
            }
            connBaseFrame = firstUnfinalizedFrame();
            replay.replayTo(ws);
            if (finalizePending) {
                ws.send(FINALIZE);
            }
            long evicted = replay.takeEvicted();
            if (evicted > 0) {
                log.warn("Deepgram stream reconnected; {} ms of audio older than the replay window was not replayed",
                        nanosOf(evicted) / 1_000_000);
            }
            log.info("Deepgram stream reconnected after {} attempt(s); replayed {} ms of audio",
                    reconnectAttempts, nanosOf(writtenFrames - connBaseFrame) / 1_000_000);
            reconnectAttempts = 0;
            if (closeRequested) {
                ws.send(CLOSE_STREAM);
                state = State.CLOSING;
            } else {
                state = State.OPEN;
                scheduleKeepAlive();
            }
        }
    }

    private void onText(int gen, String text) {
        ListenEvent event;
        try {
            event = PARSER.parse(text);
        } catch (SessionException e) {
            fail(gen, e);
            return;
        }
        if (event instanceof ListenEvent.Results r) {
            Transcript t;
            synchronized (lock) {
                if (!delivering(gen)) {
                    return;
                }
                long offsetNanos = nanosOf(connBaseFrame);
                if (r.isFinal()) {
                    markFinal(r);
                }
                t = toTranscript(r, offsetNanos);
            }
            calls.run(() -> listener.onTranscript(t));
        } else if (event instanceof ListenEvent.SpeechStarted) {
            if (isDelivering(gen)) {
                calls.run(listener::onSpeechStarted);
            }
        } else if (event instanceof ListenEvent.UtteranceEnd) {
            if (isDelivering(gen)) {
                calls.run(listener::onUtteranceEnd);
            }
        } else if (event instanceof ListenEvent.Metadata m) {
            log.debug("Deepgram metadata: request_id {} duration {} s", m.requestId(), m.duration());
        } else if (event instanceof ListenEvent.Error e) {
            fail(gen, DeepgramErrors.fromErrorMessage(ENDPOINT, e.description(), e.message(), e.variant()));
        } else if (event instanceof ListenEvent.Untyped u) {
            int n;
            synchronized (lock) {
                n = ++untypedMessages;
            }
            // Nothing to act on: the stream, its results and its replay audio are unaffected.
            if (n == 1) {
                log.warn("skipping a Deepgram message without a \"type\" (further ones are counted): {}", u.excerpt());
            } else {
                log.debug("skipping Deepgram message #{} without a \"type\": {}", n, u.excerpt());
            }
        } else if (event instanceof ListenEvent.Unknown u) {
            log.debug("ignoring Deepgram message of unknown type {}", u.type());
        }
    }

    /** Records that a channel's audio up to the result's end is final and drops replay audio all channels finalized. */
    private void markFinal(ListenEvent.Results r) {
        if (r.fromFinalize()) {
            finalizePending = false;
        }
        replay.finalized(r.channel(), r.channels(), connBaseFrame + Math.round(r.end() * format.sampleRate()));
    }

    private boolean isDelivering(int gen) {
        synchronized (lock) {
            return delivering(gen);
        }
    }

    private boolean delivering(int gen) {
        return gen == generation && (state == State.OPEN || state == State.CLOSING);
    }

    private void onHandshakeFailure(int gen, SessionException error) {
        SessionException deliver = null;
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
            if (state == State.CONNECTING) {
                state = State.FAILED;
                opened.completeExceptionally(error);
                return;
            }
            if (state == State.RECONNECTING) {
                deliver = error.retryable() ? scheduleReconnect(error) : terminateWith(error);
            }
        }
        if (deliver != null) {
            SessionException last = deliver;
            calls.runLast(() -> listener.onError(last));
        }
    }

    private void onDrop(int gen, int code, String reason, Throwable cause) {
        SessionException deliver = null;
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
            cancel(keepAliveTimer);
            switch (state) {
                case CONNECTING -> {
                    state = State.FAILED;
                    opened.completeExceptionally(new SessionException(ErrorCode.PROVIDER_CONNECTION,
                            "Deepgram " + ENDPOINT + " connection failed: " + reason, cause));
                }
                case CLOSING -> {
                    state = State.CLOSED;
                    socket = null;
                    cancel(closeTimer);
                    if (closeTimedOut) {
                        deliver = new SessionException(ErrorCode.TIMEOUT, "Deepgram did not close the stream within "
                                + provider.closeTimeout().toMillis() + " ms of CloseStream; later results are missing", null, false);
                    } else if (code != 1000) {
                        deliver = DeepgramErrors.fromClose(ENDPOINT, code, reason, ErrorCode.STT_ERROR);
                    }
                }
                case OPEN, RECONNECTING -> {
                    SessionException why = DeepgramErrors.fromClose(ENDPOINT, code, reason, ErrorCode.STT_ERROR);
                    deliver = isTransient(code) ? scheduleReconnect(why) : terminateWith(why);
                }
                default -> {
                    // CLOSED, FAILED: nothing left to do.
                }
            }
        }
        if (deliver != null) {
            SessionException last = deliver;
            calls.runLast(() -> listener.onError(last));
        }
    }

    /** Server hiccups worth a new socket: NET-000x (1011), abnormal drop (1006), going away, restarts, and an unasked-for normal close. */
    private static boolean isTransient(int code) {
        return code == 1000 || code == 1001 || code == 1006 || code == 1011 || code == 1012 || code == 1013 || code == 1014;
    }

    /** Arms the next reconnect attempt, or gives up; returns the error to deliver when giving up. */
    private SessionException scheduleReconnect(SessionException why) {
        state = State.RECONNECTING;
        socket = null;
        reconnectAttempts++;
        if (reconnectAttempts > provider.maxReconnectAttempts()) {
            return terminateWith(new SessionException(why.code(), "gave up reconnecting to Deepgram after "
                    + provider.maxReconnectAttempts() + " attempt(s); last failure: " + why.getMessage(), why, why.retryable()));
        }
        long delay = provider.reconnectDelayNanos(reconnectAttempts);
        int gen = ++generation;
        log.info("Deepgram stream lost ({}); reconnect attempt {} in {} ms", why.getMessage(), reconnectAttempts, delay / 1_000_000);
        reconnectTimer = clock.schedule(() -> dial(gen), delay, TimeUnit.NANOSECONDS);
        return null;
    }

    private void dial(int gen) {
        synchronized (lock) {
            if (gen != generation || state != State.RECONNECTING) {
                return;
            }
            socket = provider.client().newWebSocket(httpRequest, new Connection(gen));
        }
    }

    private void fail(int gen, SessionException error) {
        synchronized (lock) {
            if (gen != generation || state == State.FAILED || state == State.CLOSED) {
                return;
            }
            terminate();
        }
        calls.runLast(() -> listener.onError(error));
    }

    private SessionException terminateWith(SessionException error) {
        terminate();
        return error;
    }

    private void terminate() {
        state = State.FAILED;
        generation++;
        cancel(keepAliveTimer);
        cancel(closeTimer);
        cancel(reconnectTimer);
        if (socket != null) {
            socket.cancel();
            socket = null;
        }
        replay.clear();
    }

    /** Messages without a {@code type} skipped so far. */
    int untypedMessages() {
        synchronized (lock) {
            return untypedMessages;
        }
    }

    private static void cancel(Clock.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    private long nanosOf(long frames) {
        return frames * 1_000_000_000L / format.sampleRate();
    }

    /** Maps a Results message to the SPI, shifting times by the audio that preceded this connection. */
    static Transcript toTranscript(ListenEvent.Results r, long offsetNanos) {
        List<Word> words = new ArrayList<>(r.words().size());
        for (ListenEvent.ResultWord w : r.words()) {
            String text = w.punctuatedWord().isEmpty() ? w.word() : w.punctuatedWord();
            words.add(new Word(text, Duration.ofNanos(offsetNanos + secondsToNanos(w.start())),
                    Duration.ofNanos(offsetNanos + secondsToNanos(w.end())), w.confidence(), w.speaker()));
        }
        boolean speechFinal = r.isFinal() && (r.speechFinal() || r.fromFinalize());
        // The result's audio range ends where it reaches: an endpointing final of an earlier pause ends there.
        return new Transcript(r.transcript(), r.isFinal(), speechFinal, r.confidence(), words, r.language(),
                offsetNanos + secondsToNanos(r.end()));
    }

    private static long secondsToNanos(double s) {
        return Math.round(s * 1e9);
    }

    /** Callbacks of one socket; {@code gen} tells stale sockets apart from the current one. */
    private final class Connection extends WebSocketListener {
        private final int gen;

        Connection(int gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            DeepgramSttStream.this.onOpen(gen, webSocket);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            onText(gen, text);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            log.warn("ignoring unexpected {}-byte binary frame from Deepgram {}", bytes.size(), ENDPOINT);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            onDrop(gen, code, reason, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            onDrop(gen, code, reason, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            if (response != null && response.code() != 101) {
                onHandshakeFailure(gen, DeepgramErrors.fromResponse(ENDPOINT, response));
            } else {
                onDrop(gen, 1006, t.toString(), t);
            }
        }
    }
}
