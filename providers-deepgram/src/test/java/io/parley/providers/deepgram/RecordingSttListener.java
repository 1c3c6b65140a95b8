package io.parley.providers.deepgram;

import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.Transcript;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records listener calls in order and checks that they never overlap. */
final class RecordingSttListener implements SttListener {

    static final String SPEECH_STARTED = "speech-started";
    static final String UTTERANCE_END = "utterance-end";

    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final AtomicInteger inside = new AtomicInteger();
    volatile boolean overlapped;

    private void record(Object o) {
        if (inside.incrementAndGet() != 1) {
            overlapped = true;
        }
        events.add(o);
        inside.decrementAndGet();
    }

    @Override
    public void onTranscript(Transcript transcript) {
        record(transcript);
    }

    @Override
    public void onSpeechStarted() {
        record(SPEECH_STARTED);
    }

    @Override
    public void onUtteranceEnd() {
        record(UTTERANCE_END);
    }

    @Override
    public void onError(SessionException error) {
        record(error);
    }

    Object next() throws InterruptedException {
        Object o = events.poll(10, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("listener got nothing within 10 s");
        }
        return o;
    }

    Transcript nextTranscript() throws InterruptedException {
        Object o = next();
        if (!(o instanceof Transcript t)) {
            throw new AssertionError("expected a transcript, got " + o);
        }
        return t;
    }

    SessionException nextError() throws InterruptedException {
        Object o = next();
        if (!(o instanceof SessionException e)) {
            throw new AssertionError("expected an error, got " + o);
        }
        return e;
    }
}
