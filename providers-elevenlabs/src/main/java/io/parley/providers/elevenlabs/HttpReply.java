package io.parley.providers.elevenlabs;

import io.parley.audio.AudioFormat;
import io.parley.providers.http.SerialCalls;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsStream;
import io.parley.text.Sentences;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * A reply as a chain of streaming POSTs, one per sentence, strictly in order. Each call's
 * callback starts the next; listener calls go through {@link SerialCalls} so that nothing is
 * delivered once {@link #cancel()} has returned.
 */
final class HttpReply implements TtsStream {

    private static final String ENDPOINT = "/stream";

    private enum State { OPEN, ENDING, COMPLETE, CANCELLED, FAILED }

    private final ElevenLabsHttpTts provider;
    private final HttpUrl url;
    private final TtsListener listener;
    private final PcmAssembler pcm;
    private final SerialCalls calls = new SerialCalls();
    private final Object lock = new Object();
    private State state = State.OPEN;
    private final StringBuilder pending = new StringBuilder();
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final StringBuilder spoken = new StringBuilder();
    private Call inFlight;

    HttpReply(ElevenLabsHttpTts provider, HttpUrl url, AudioFormat format, TtsListener listener) {
        this.provider = provider;
        this.url = url;
        this.listener = listener;
        this.pcm = new PcmAssembler(format, frame -> calls.run(() -> listener.onAudio(frame)));
    }

    @Override
    public void pushText(String chunk) {
        synchronized (lock) {
            requireOpen("pushText");
            pending.append(chunk);
            int end = Sentences.lastSentenceEnd(pending);
            if (end > 0) {
                enqueue(pending.substring(0, end));
                pending.delete(0, end);
            }
        }
    }

    @Override
    public void flush() {
        boolean completeNow;
        synchronized (lock) {
            requireOpen("flush");
            enqueue(pending.toString());
            pending.setLength(0);
            state = State.ENDING;
            // Nothing left to synthesize (empty reply, or all audio already delivered): no call will complete it.
            completeNow = inFlight == null && queue.isEmpty();
            if (completeNow) {
                state = State.COMPLETE;
            }
        }
        if (completeNow) {
            calls.runLast(listener::onComplete);
        }
    }

    private void requireOpen(String op) {
        if (state != State.OPEN) {
            throw new SessionException(ErrorCode.INVALID_STATE, op + " on an ElevenLabs HTTP reply that is " + state.name().toLowerCase());
        }
    }

    private void enqueue(String text) {
        if (text.isBlank()) {
            return;
        }
        queue.addLast(text);
        if (inFlight == null) {
            startNext();
        }
    }

    /** Starts the next queued request (caller holds the lock). */
    private void startNext() {
        String text = queue.pollFirst();
        if (text == null) {
            inFlight = null;
            return;
        }
        String previous = spoken.toString();
        spoken.append(text);
        inFlight = provider.client().newCall(provider.speechRequest(url, text.strip(), previous.strip()));
        inFlight.enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                fail(call, new SessionException(ErrorCode.PROVIDER_CONNECTION, "ElevenLabs " + ENDPOINT + " request failed: " + e, e));
            }

            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    receive(call, response);
                }
            }
        });
    }

    private void receive(Call call, Response response) {
        if (!response.isSuccessful()) {
            fail(call, ElevenLabsErrors.fromResponse(ENDPOINT, response));
            return;
        }
        ResponseBody body = response.body();
        MediaType type = body == null ? null : body.contentType();
        if (body == null || type == null || !"audio".equals(type.type())) {
            fail(call, new SessionException(ErrorCode.PROVIDER_PROTOCOL, "ElevenLabs " + ENDPOINT + " answered with "
                    + (type == null ? "no content type" : type.toString()) + " instead of audio"));
            return;
        }
        byte[] buf = new byte[8192];
        try (InputStream in = body.byteStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!current(call)) {
                    return;
                }
                pcm.accept(buf, 0, n, provider.clock().nanoTime());
            }
        } catch (IOException e) {
            fail(call, new SessionException(ErrorCode.PROVIDER_CONNECTION, "ElevenLabs " + ENDPOINT + " audio stream broke: " + e, e));
            return;
        }
        boolean complete;
        synchronized (lock) {
            if (inFlight != call || (state != State.OPEN && state != State.ENDING)) {
                return;
            }
            inFlight = null;
            startNext();
            complete = state == State.ENDING && inFlight == null;
            if (complete) {
                state = State.COMPLETE;
            }
        }
        if (complete) {
            calls.runLast(listener::onComplete);
        }
    }

    private boolean current(Call call) {
        synchronized (lock) {
            return inFlight == call && (state == State.OPEN || state == State.ENDING);
        }
    }

    private void fail(Call call, SessionException e) {
        synchronized (lock) {
            if (inFlight != call || (state != State.OPEN && state != State.ENDING)) {
                return;
            }
            state = State.FAILED;
            inFlight = null;
            queue.clear();
        }
        calls.runLast(() -> listener.onError(e));
    }

    @Override
    public void cancel() {
        Call c;
        synchronized (lock) {
            if (state != State.OPEN && state != State.ENDING) {
                return;
            }
            state = State.CANCELLED;
            queue.clear();
            c = inFlight;
            inFlight = null;
        }
        calls.end();
        if (c != null) {
            c.cancel();
        }
    }

    @Override
    public void close() {
        cancel();
    }
}
