package io.parley.session;

import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.time.SerialExecutor;
import java.util.function.Consumer;

/**
 * The session's one live recognition stream: opening it through the provider chain,
 * reopening it when it fails, moving back to a better provider once its breaker admits calls
 * again, and making sure results from a replaced stream never reach the session.
 *
 * <p>Each open gets an epoch; listener calls carry theirs and are dropped unless it is the
 * adopted stream's. Loop-confined.
 */
final class RecognizerLink {

    /** What the session does with the stream's events. Called on the event loop. */
    interface Host {
        /** Whether a stream is still wanted (the session is running or starting). */
        boolean wanted();

        void transcript(Transcript transcript);

        /** A new stream replaced the old one (or none); audio should go to it from now on. */
        void adopted(SttStream stream, String provider);

        /** The stream failed or went away; audio should wait for the next one. */
        void lost();

        void error(SessionException error);
    }

    private final ProviderChain<SttProvider> chain;
    private final SttRequest request;
    private final SerialExecutor loop;
    private final Host host;
    private SttStream stream;
    private int index = -1;
    private int epoch = -1;
    private int epochSeq;
    private int pendingEpoch = -1;
    private boolean opening;
    private SessionException lastError;

    RecognizerLink(ProviderChain<SttProvider> chain, SttRequest request, SerialExecutor loop, Host host) {
        this.chain = chain;
        this.request = request;
        this.loop = loop;
        this.host = host;
    }

    /** The adopted stream, or null while there is none. */
    SttStream stream() {
        return stream;
    }

    /** Name of the provider behind the adopted stream. */
    String provider() {
        return chain.name(Math.max(0, index));
    }

    /** Why the last open failed after all retries. */
    SessionException lastError() {
        return lastError;
    }

    /** Opens a stream with retries; {@code then} learns whether it worked. */
    void open(Consumer<Boolean> then) {
        opening = true;
        int e = ++epochSeq;
        pendingEpoch = e;
        chain.call("open", p -> p.open(request, listener(e)), loop, (res, err) -> {
            opening = false;
            if (err != null) {
                lastError = err;
                host.error(err);
                then.accept(false);
                return;
            }
            adopt(res, e);
            then.accept(true);
        });
    }

    /** Opens a new stream unless one is being opened. */
    void reopen() {
        if (!opening && host.wanted()) {
            open(ok -> {
            });
        }
    }

    /** Moves back to a better provider whose breaker admits a trial call; no retry if it fails. */
    void preferBetter() {
        if (index <= 0 || opening) {
            return;
        }
        int better = chain.betterAvailable(index);
        if (better < 0) {
            return;
        }
        int e = ++epochSeq;
        pendingEpoch = e;
        opening = true;
        chain.callOne(better, "open", p -> p.open(request, listener(e)), loop, (res, err) -> {
            opening = false;
            if (err != null) {
                if (pendingEpoch == e) {
                    pendingEpoch = -1;
                }
                host.error(err);
                return;
            }
            adopt(res, e);
        });
    }

    /** Closes the stream; its late events are dropped. */
    void close() {
        SttStream s = stream;
        stream = null;
        epoch = -1;
        if (s != null) {
            closeQuietly(s);
        }
    }

    /** Makes a newly opened stream the session's, unless a newer open or a stop superseded it. */
    private void adopt(ProviderChain.Result<SttStream> res, int e) {
        if (e != pendingEpoch || !host.wanted()) {
            closeQuietly(res.value());
            return;
        }
        pendingEpoch = -1;
        SttStream old = stream;
        stream = res.value();
        epoch = e;
        index = res.index();
        host.adopted(stream, res.provider());
        if (old != null) {
            closeQuietly(old);
        }
    }

    private void failed(SessionException error) {
        host.error(error);
        if (index >= 0) {
            chain.failed(index, error);
        }
        host.lost();
        close();
        reopen();
    }

    private SttListener listener(int e) {
        return new SttListener() {
            @Override
            public void onTranscript(Transcript transcript) {
                loop.execute(() -> {
                    if (e == epoch && host.wanted()) {
                        host.transcript(transcript);
                    }
                });
            }

            @Override
            public void onError(SessionException error) {
                loop.execute(() -> {
                    if (e == epoch && host.wanted()) {
                        failed(error);
                    }
                });
            }
        };
    }

    private void closeQuietly(SttStream s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            host.error(SessionException.wrap(ErrorCode.STT_ERROR, e));
        }
    }
}
