package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.providers.http.SerialCalls;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsStream;
import io.parley.spi.WordTiming;
import io.parley.text.Sentences;
import io.parley.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two websocket modes share: feeding text in word-aligned pieces with a flush at each
 * sentence end, keeping the input alive before ElevenLabs' inactivity timeout, and turning
 * audio, alignment and the final marker into listener calls. Subclasses say how messages
 * travel and how a reply ends or is abandoned.
 *
 * <p>{@link #onServerMessage} runs on the socket's reader thread; failures may also arrive from
 * OkHttp's writer thread, so every listener call goes through {@link SerialCalls}.
 */
abstract class ReplyStream implements TtsStream {

    private static final Logger log = LoggerFactory.getLogger(ReplyStream.class);
    static final ObjectMapper JSON = new ObjectMapper();

    enum State { OPEN, ENDING, COMPLETE, CANCELLED, FAILED }

    private final SerialCalls calls = new SerialCalls();
    protected final Object lock = new Object();
    protected State state = State.OPEN;
    protected final TtsListener listener;
    protected final Clock clock;
    private final long keepAliveNanos;
    private final long completionNanos;
    private final StringBuilder pending = new StringBuilder();
    private long lastSentNanos;
    private long lastHeardNanos;
    private Clock.Cancellable keepAliveTimer;
    private Clock.Cancellable completionTimer;

    /** Reader-thread state. */
    private final PcmAssembler pcm;
    private final WordAligner aligner = new WordAligner();

    ReplyStream(TtsListener listener, Clock clock, long keepAliveNanos, long completionNanos, io.parley.audio.AudioFormat format) {
        this.listener = listener;
        this.clock = clock;
        this.keepAliveNanos = keepAliveNanos;
        this.completionNanos = completionNanos;
        this.pcm = new PcmAssembler(format, frame -> calls.run(() -> listener.onAudio(frame)));
    }

    /** Sends one JSON message for this reply (adding the context id in multi-context mode). */
    abstract void send(ObjectNode message);

    /** The message that resets the inactivity timer without adding text. */
    abstract ObjectNode keepAliveMessage();

    /** Sends what marks the end of this reply's text. */
    abstract void sendEndOfInput();

    /** Stops synthesis of this reply at once (caller holds {@link #lock}). */
    abstract void abort();

    /** Called once the reply is complete, failed or cancelled, outside the lock. */
    abstract void released();

    /** Sends the first message and starts the keep-alive timer. */
    void start(ObjectNode firstMessage) {
        synchronized (lock) {
            send(firstMessage);
            lastSentNanos = clock.nanoTime();
            scheduleKeepAlive();
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
            int sentenceEnd = Sentences.lastSentenceEnd(pending);
            if (sentenceEnd > 0) {
                sendText(sentenceEnd, true);
                return;
            }
            // Whole words only, each piece ending in a space as ElevenLabs asks.
            for (int i = pending.length() - 1; i >= 0; i--) {
                if (Character.isWhitespace(pending.charAt(i))) {
                    if (i > 0) {
                        sendText(i + 1, false);
                    }
                    return;
                }
            }
        }
    }

    private void sendText(int end, boolean flush) {
        String text = pending.substring(0, end);
        pending.delete(0, end);
        if (text.isBlank()) {
            return;
        }
        ObjectNode m = JSON.createObjectNode().put("text", text);
        if (flush) {
            m.put("flush", true);
        }
        send(m);
        lastSentNanos = clock.nanoTime();
    }

    @Override
    public void flush() {
        synchronized (lock) {
            requireOpen("flush");
            if (!pending.toString().isBlank()) {
                if (!Character.isWhitespace(pending.charAt(pending.length() - 1))) {
                    pending.append(' ');
                }
                sendText(pending.length(), true);
            }
            pending.setLength(0);
            cancelKeepAlive();
            sendEndOfInput();
            state = State.ENDING;
            lastHeardNanos = clock.nanoTime();
            completionTimer = clock.schedule(this::checkCompletion, completionNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Fails the reply if neither audio nor the final marker arrived for the completion timeout. */
    private void checkCompletion() {
        synchronized (lock) {
            completionTimer = null;
            if (state != State.ENDING) {
                return;
            }
            long idle = clock.nanoTime() - lastHeardNanos;
            if (idle < completionNanos) {
                completionTimer = clock.schedule(this::checkCompletion, completionNanos - idle, TimeUnit.NANOSECONDS);
                return;
            }
            // The reply fails before the socket is closed: the close's echo must find it over,
            // or it would report a lost connection instead of the timeout.
            state = State.FAILED;
            cancelTimers();
            abort();
        }
        SessionException e = new SessionException(ErrorCode.TIMEOUT, "ElevenLabs sent neither audio nor its final marker for "
                + java.time.Duration.ofNanos(completionNanos) + " after the reply's text ended");
        calls.runLast(() -> listener.onError(e));
        released();
    }

    @Override
    public void cancel() {
        boolean release;
        synchronized (lock) {
            release = state == State.OPEN || state == State.ENDING;
            if (release) {
                state = State.CANCELLED;
                cancelTimers();
                abort();
            }
        }
        if (release) {
            calls.end();
            released();
        }
    }

    private void requireOpen(String op) {
        if (state != State.OPEN) {
            throw new SessionException(ErrorCode.INVALID_STATE, op + " on an ElevenLabs reply that is " + state.name().toLowerCase());
        }
    }

    private void keepAliveTick() {
        synchronized (lock) {
            if (state != State.OPEN) {
                return;
            }
            long now = clock.nanoTime();
            if (now - lastSentNanos >= keepAliveNanos) {
                send(keepAliveMessage());
                lastSentNanos = now;
            }
            scheduleKeepAlive();
        }
    }

    private void scheduleKeepAlive() {
        cancelKeepAlive();
        long due = Math.max(0, lastSentNanos + keepAliveNanos - clock.nanoTime());
        keepAliveTimer = clock.schedule(this::keepAliveTick, due, TimeUnit.NANOSECONDS);
    }

    private void cancelKeepAlive() {
        if (keepAliveTimer != null) {
            keepAliveTimer.cancel();
            keepAliveTimer = null;
        }
    }

    private void cancelTimers() {
        cancelKeepAlive();
        if (completionTimer != null) {
            completionTimer.cancel();
            completionTimer = null;
        }
    }

    boolean active() {
        synchronized (lock) {
            return state == State.OPEN || state == State.ENDING;
        }
    }

    // ---- reader thread ---------------------------------------------------------------------

    void onServerMessage(ServerMessage m) {
        if (m.error != null) {
            fail(ElevenLabsErrors.fromErrorFrame(m.error, m.message, m.code));
            return;
        }
        if (!active()) {
            return; // cancelled: audio already in flight is discarded by design
        }
        if (m.hasAudio) {
            synchronized (lock) {
                lastHeardNanos = clock.nanoTime();
            }
            ServerMessage.Alignment a = m.bestAlignment();
            if (a != null) {
                List<WordTiming> words = aligner.add(a, pcm.nanosDelivered());
                if (!words.isEmpty()) {
                    calls.run(() -> listener.onWordTimings(words));
                }
            }
            pcm.accept(m.audio.buf, 0, m.audio.len, clock.nanoTime());
        }
        if (m.isFinal) {
            boolean complete;
            synchronized (lock) {
                complete = state == State.ENDING;
                if (complete) {
                    state = State.COMPLETE;
                    cancelTimers();
                }
            }
            if (complete) {
                List<WordTiming> last = aligner.finish();
                if (!last.isEmpty()) {
                    calls.run(() -> listener.onWordTimings(last));
                }
                calls.runLast(listener::onComplete);
                released();
            } else {
                log.debug("ignoring isFinal before end of input");
            }
        }
    }

    /** The socket carrying this reply ended; an error unless the reply was already over. */
    void onSocketEnd(int code, String reason, Throwable cause) {
        if (!active()) {
            return;
        }
        SessionException e = cause != null
                ? new SessionException(ErrorCode.PROVIDER_CONNECTION, "ElevenLabs connection lost: " + cause, cause)
                : code == 1000
                ? new SessionException(ErrorCode.PROVIDER_CONNECTION, "ElevenLabs closed the socket before the reply was complete"
                        + (reason == null || reason.isBlank() ? "" : ": " + reason))
                : ElevenLabsErrors.fromClose(code, reason);
        fail(e);
    }

    /** Fails the reply and tells the listener, unless it is already over. */
    void fail(SessionException e) {
        synchronized (lock) {
            if (state != State.OPEN && state != State.ENDING) {
                return;
            }
            state = State.FAILED;
            cancelTimers();
        }
        calls.runLast(() -> listener.onError(e));
        released();
    }
}
