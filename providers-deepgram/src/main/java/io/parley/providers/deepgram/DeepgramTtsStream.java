package io.parley.providers.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.providers.http.SerialCalls;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.text.Sentences;
import io.parley.time.Clock;
import java.io.IOException;
import java.util.ArrayDeque;
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
 * One reply over one Aura socket. Listener calls go through {@link SerialCalls} (OkHttp may report
 * a failure on its writer thread while the reader delivers audio); state is guarded by
 * {@link #lock}, never held while calling the listener.
 */
final class DeepgramTtsStream implements TtsStream {

    private static final Logger log = LoggerFactory.getLogger(DeepgramTtsStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "/v1/speak";
    static final String FLUSH = "{\"type\":\"Flush\"}";
    static final String CLEAR = "{\"type\":\"Clear\"}";
    static final String CLOSE = "{\"type\":\"Close\"}";
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private enum State { CONNECTING, OPEN, ENDING, COMPLETE, CANCELLED, FAILED }

    private final DeepgramTts provider;
    private final TtsListener listener;
    private final Clock clock;
    private final AudioFormat format;
    private final Request httpRequest;

    private final SerialCalls calls = new SerialCalls();
    private final Object lock = new Object();
    private State state = State.CONNECTING;
    private WebSocket socket;
    private final StringBuilder pending = new StringBuilder();
    private final ArrayDeque<Long> recentFlushes = new ArrayDeque<>();
    private int flushesSent;
    private int flushesDone;
    private boolean closeSent;
    private boolean spokenSinceFlush;
    private long lastActivityNanos;
    private Clock.Cancellable closeTimer;
    private Clock.Cancellable completionTimer;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();

    /** Reader-thread state: the reusable output frame and a byte left over from an odd-sized message. */
    private AudioFrame frame;
    private int carry = -1;

    DeepgramTtsStream(DeepgramTts provider, TtsRequest request, TtsListener listener) {
        this.provider = provider;
        this.listener = listener;
        this.clock = provider.clock();
        this.format = request.format();
        this.httpRequest = new Request.Builder().url(provider.speakUrl(request))
                .header("Authorization", "Token " + provider.apiKey()).build();
        this.frame = AudioFrame.allocate(format, format.samplesFor(100));
    }

    void connect() {
        synchronized (lock) {
            socket = provider.client().newWebSocket(httpRequest, new Connection());
        }
        long timeoutMs = provider.handshakeTimeout().toMillis();
        try {
            opened.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw SessionException.wrap(ErrorCode.PROVIDER_CONNECTION, e.getCause());
        } catch (TimeoutException e) {
            socket.cancel();
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION,
                    "Deepgram " + ENDPOINT + " did not answer the websocket upgrade within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            socket.cancel();
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION, "interrupted while connecting to Deepgram", e);
        }
    }

    @Override
    public void pushText(String chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        synchronized (lock) {
            requireOpen("pushText");
            pending.append(chunk);
            int end = Sentences.lastSentenceEnd(pending);
            if (end > 0) {
                speak(end);
                long now = clock.nanoTime();
                while (!recentFlushes.isEmpty() && now - recentFlushes.peekFirst() >= MINUTE_NANOS) {
                    recentFlushes.removeFirst();
                }
                // Keep one flush of the allowance for the end of the reply.
                if (spokenSinceFlush && recentFlushes.size() < DeepgramTts.FLUSHES_PER_MINUTE - 1) {
                    sendFlush(now);
                }
            }
        }
    }

    @Override
    public void flush() {
        boolean complete;
        synchronized (lock) {
            requireOpen("flush");
            speak(pending.length());
            // A Flush with nothing spoken since the last one would never be answered.
            if (spokenSinceFlush) {
                sendFlush(clock.nanoTime());
            }
            state = State.ENDING;
            complete = flushesDone >= flushesSent;
            if (complete) {
                state = State.COMPLETE;
                sendClose();
            } else {
                lastActivityNanos = clock.nanoTime();
                armCompletionTimer(provider.completionTimeout().toNanos());
            }
        }
        if (complete) {
            calls.runLast(listener::onComplete);
        }
    }

    /** Fails the reply if nothing arrives for the completion timeout after its flush. */
    private void armCompletionTimer(long delayNanos) {
        completionTimer = clock.schedule(this::checkCompletion, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkCompletion() {
        long timeout = provider.completionTimeout().toNanos();
        synchronized (lock) {
            if (state != State.ENDING) {
                return;
            }
            long idle = clock.nanoTime() - lastActivityNanos;
            if (idle < timeout) {
                armCompletionTimer(timeout - idle);
                return;
            }
        }
        fail(new SessionException(ErrorCode.TIMEOUT, "Deepgram " + ENDPOINT + " sent neither audio nor Flushed for "
                + provider.completionTimeout() + " after the reply was flushed"));
    }

    private void requireOpen(String op) {
        if (state != State.OPEN) {
            throw new SessionException(ErrorCode.INVALID_STATE, op + " on a Deepgram Aura stream that is " + state.name().toLowerCase());
        }
    }

    /** Sends {@code pending[0..end)} as Speak messages within the size limit. */
    private void speak(int end) {
        int start = 0;
        while (start < end) {
            int n = Sentences.cutAtWhitespace(pending.subSequence(start, end), DeepgramTts.MAX_SPEAK_CHARS);
            String text = pending.substring(start, start + n);
            if (!text.isBlank()) {
                socket.send(JSON.createObjectNode().put("type", "Speak").put("text", text).toString());
                spokenSinceFlush = true;
            }
            start += n;
        }
        pending.delete(0, end);
    }

    private void sendFlush(long now) {
        socket.send(FLUSH);
        spokenSinceFlush = false;
        flushesSent++;
        recentFlushes.addLast(now);
    }

    @Override
    public void cancel() {
        boolean cancelled;
        synchronized (lock) {
            cancelled = state == State.OPEN || state == State.ENDING;
            if (cancelled) {
                state = State.CANCELLED;
                socket.send(CLEAR);
                sendClose();
            }
        }
        if (cancelled) {
            calls.end();
        }
    }

    @Override
    public void close() {
        boolean cancelled;
        synchronized (lock) {
            cancelled = state == State.OPEN || state == State.ENDING;
            if (cancelled) {
                state = State.CANCELLED;
            }
            if (socket != null) {
                sendClose();
            }
        }
        if (cancelled) {
            calls.end();
        }
    }

    private void sendClose() {
        if (completionTimer != null) {
            completionTimer.cancel();
            completionTimer = null;
        }
        if (!closeSent) {
            closeSent = true;
            socket.send(CLOSE);
            WebSocket ws = socket;
            closeTimer = clock.schedule(ws::cancel, provider.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    // ---- reader thread ---------------------------------------------------------------------

    private void onAudio(ByteString bytes) {
        synchronized (lock) {
            if (state != State.OPEN && state != State.ENDING) {
                return; // cancelled: audio still in flight before Cleared is discarded by design
            }
            lastActivityNanos = clock.nanoTime();
        }
        int channels = format.channels();
        int n = bytes.size();
        int i = 0;
        int samples = (n + (carry >= 0 ? 1 : 0)) / 2;
        if (frame.capacity() < samples * channels) {
            frame = AudioFrame.allocate(format, samples * channels);
        }
        short[] out = frame.samples();
        int k = 0;
        if (carry >= 0 && n > 0) {
            short s = (short) ((bytes.getByte(0) << 8) | carry);
            for (int c = 0; c < channels; c++) {
                out[k++] = s;
            }
            carry = -1;
            i = 1;
        }
        for (; i + 1 < n; i += 2) {
            short s = (short) ((bytes.getByte(i + 1) << 8) | (bytes.getByte(i) & 0xFF));
            for (int c = 0; c < channels; c++) {
                out[k++] = s;
            }
        }
        if (i < n) {
            carry = bytes.getByte(i) & 0xFF;
        }
        if (k > 0) {
            frame.setLength(k);
            frame.setTimestampNanos(clock.nanoTime());
            AudioFrame f = frame;
            calls.run(() -> listener.onAudio(f));
        }
    }

    private void onText(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (IOException e) {
            fail(new SessionException(ErrorCode.PROVIDER_PROTOCOL, "Deepgram " + ENDPOINT + " sent invalid JSON: " + text, e));
            return;
        }
        String type = msg.path("type").asText("");
        switch (type) {
            case "Flushed" -> {
                boolean complete;
                synchronized (lock) {
                    lastActivityNanos = clock.nanoTime();
                    flushesDone++;
                    complete = state == State.ENDING && flushesDone >= flushesSent;
                    if (complete) {
                        state = State.COMPLETE;
                        sendClose();
                    }
                }
                if (complete) {
                    calls.runLast(listener::onComplete);
                }
            }
            case "Metadata" -> log.debug("Deepgram Aura request {} model {} {}", msg.path("request_id").asText(),
                    msg.path("model_name").asText(), msg.path("model_version").asText());
            case "Cleared" -> log.debug("Deepgram Aura cleared (sequence {})", msg.path("sequence_id").asInt());
            case "Error" -> fail(DeepgramErrors.fromErrorMessage(ENDPOINT,
                    msg.path("err_code").asText(msg.path("description").asText("")),
                    msg.path("err_msg").asText(msg.path("message").asText("")), msg.path("variant").asText("")));
            case "Warning" -> log.warn("Deepgram Aura warning {}: {}", msg.path("warn_code").asText(msg.path("code").asText()),
                    msg.path("warn_msg").asText(msg.path("description").asText()));
            default -> log.debug("ignoring Deepgram Aura message of unknown type {}", type);
        }
    }

    private void onEnd(int code, String reason, Throwable cause, Response handshake) {
        SessionException error;
        synchronized (lock) {
            if (closeTimer != null) {
                closeTimer.cancel();
            }
            if (state == State.CONNECTING) {
                state = State.FAILED;
                opened.completeExceptionally(handshake != null && handshake.code() != 101
                        ? DeepgramErrors.fromResponse(ENDPOINT, handshake)
                        : new SessionException(ErrorCode.PROVIDER_CONNECTION, "Deepgram " + ENDPOINT + " connection failed: " + reason, cause));
                return;
            }
            if (state != State.OPEN && state != State.ENDING) {
                return;
            }
            state = State.FAILED;
            if (completionTimer != null) {
                completionTimer.cancel();
                completionTimer = null;
            }
            error = cause != null
                    ? new SessionException(ErrorCode.PROVIDER_CONNECTION, "Deepgram " + ENDPOINT + " connection lost: " + reason, cause)
                    : code == 1000
                    ? new SessionException(ErrorCode.PROVIDER_CONNECTION, "Deepgram " + ENDPOINT + " closed the socket before the reply was complete")
                    : DeepgramErrors.fromClose(ENDPOINT, code, reason, ErrorCode.TTS_ERROR);
        }
        calls.runLast(() -> listener.onError(error));
    }

    private void fail(SessionException error) {
        synchronized (lock) {
            if (state != State.OPEN && state != State.ENDING) {
                return;
            }
            state = State.FAILED;
            if (completionTimer != null) {
                completionTimer.cancel();
                completionTimer = null;
            }
            socket.cancel();
        }
        calls.runLast(() -> listener.onError(error));
    }

    private final class Connection extends WebSocketListener {
        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            synchronized (lock) {
                if (state == State.CONNECTING) {
                    state = State.OPEN;
                }
            }
            opened.complete(null);
        }

        @Override
        public void onMessage(WebSocket webSocket, ByteString bytes) {
            onAudio(bytes);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            onText(text);
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            webSocket.close(1000, null);
            onEnd(code, reason, null, null);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            onEnd(code, reason, null, null);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            onEnd(1006, t.toString(), t, response);
        }
    }
}
