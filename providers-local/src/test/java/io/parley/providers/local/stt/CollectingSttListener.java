package io.parley.providers.local.stt;

import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.Transcript;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records everything a stream reports; finals can be awaited with a bounded wait. */
final class CollectingSttListener implements SttListener {

    final List<Transcript> interims = new CopyOnWriteArrayList<>();
    final List<SessionException> errors = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Transcript> finals = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<SessionException> errorSignal = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Transcript> interimSignal = new LinkedBlockingQueue<>();

    /** The next interim result; fails the test if none arrives within 60 s. */
    Transcript nextInterim() throws InterruptedException {
        Transcript t = interimSignal.poll(60, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no interim transcript within 60 s; errors: " + errors);
        }
        return t;
    }

    @Override
    public void onTranscript(Transcript transcript) {
        if (transcript.isFinal()) {
            finals.add(transcript);
        } else {
            interims.add(transcript);
            interimSignal.add(transcript);
        }
    }

    @Override
    public void onError(SessionException error) {
        errors.add(error);
        errorSignal.add(error);
    }

    /** The next error; fails the test if none arrives within 60 s. */
    SessionException nextError() throws InterruptedException {
        SessionException e = errorSignal.poll(60, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no error within 60 s");
        }
        return e;
    }

    /** The next final result; fails the test if none arrives within 60 s. */
    Transcript nextFinal() throws InterruptedException {
        Transcript t = finals.poll(60, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no final transcript within 60 s; errors: " + errors);
        }
        return t;
    }
}
