package io.parley.session;

import io.parley.spi.ExpectedAnswer;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The session's one live recognition stream: opening it through the provider chain,
 * reopening it when it fails, moving back to a better provider once its breaker admits calls
 * again, and making sure results from a replaced stream never reach the session.
 *
 * <p>Each open gets an epoch; listener calls carry theirs and are dropped unless it is the
 * adopted stream's. Loop-confined; opens (through the chain) and closes run on the blocking
 * executor.
 *
 * <p>While a stream is wanted and every reopen has failed, another is tried after a backoff
 * that doubles from the retry delay up to {@link #MAX_RECOVERY}: a session without a VAD
 * (no speech onsets to trigger a reopen) is never left deaf.
 *
 * <p>It is the {@link UserTurn.Recognizer} of the session's user turn: the turn's finalize
 * requests and its reads of how far results reach go to whichever stream is adopted.
 */
final class RecognizerLink implements UserTurn.Recognizer {

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

    static final Duration MAX_RECOVERY = Duration.ofSeconds(30);

    private final ProviderChain<SttProvider> chain;
    private final SttRequest request;
    private final SerialExecutor loop;
    private final Clock clock;
    private final Duration firstRecovery;
    private final Host host;
    private final Executor blocking;
    private final LoopTimer recoveryTimer;
    private int recoveries;
    private SttStream stream;
    private int index = -1;
    private int epoch = -1;
    private int epochSeq;
    private int pendingEpoch = -1;
    private boolean opening;
    private SessionException lastError;
    /** What the user is expected to say, told to every stream adopted while it holds. */
    private ExpectedAnswer expected = ExpectedAnswer.ANY;

    RecognizerLink(ProviderChain<SttProvider> chain, SttRequest request, SerialExecutor loop, Clock clock,
                   SessionConfig config, Host host, Executor blocking) {
        this.chain = chain;
        this.request = request;
        this.loop = loop;
        this.clock = clock;
        this.recoveryTimer = new LoopTimer(clock, loop);
        this.firstRecovery = config.retryDelay();
        this.host = host;
        this.blocking = blocking;
    }

    /** The adopted stream, or null while there is none. */
    SttStream stream() {
        return stream;
    }

    /** Asks the adopted stream to finalize what it heard; false if there is none to ask. */
    @Override
    public boolean finalizeUtterance() {
        if (stream == null) {
            return false;
        }
        stream.finalizeUtterance();
        return true;
    }

    /** The adopted stream's {@link SttStream#publishedNanos()}; -1 while there is none. */
    @Override
    public long publishedNanos() {
        return stream == null ? -1 : stream.publishedNanos();
    }

    /** Tells the adopted stream, and any adopted later, what the user is expected to say. */
    void expect(ExpectedAnswer answer) {
        if (answer.equals(expected)) {
            return;
        }
        expected = answer;
        if (stream != null) {
            expectQuietly(stream, answer);
        }
    }

    /** A hint the stream cannot take is reported, not fatal: the turn detector still has it. */
    private void expectQuietly(SttStream s, ExpectedAnswer answer) {
        try {
            s.expect(answer);
        } catch (RuntimeException e) {
            host.error(SessionException.wrap(ErrorCode.STT_ERROR, e));
        }
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
                if (host.wanted()) {
                    // After stop() the abandoned open is no error of the session's.
                    host.error(err);
                }
                then.accept(false);
                return;
            }
            adopt(res, e);
            then.accept(true);
        });
    }

    /** Opens a new stream unless one is open or being opened; keeps trying while it fails. */
    void reopen() {
        if (opening || stream != null || !host.wanted()) {
            return;
        }
        cancelRecovery();
        open(ok -> {
            if (ok) {
                recoveries = 0;
            } else if (host.wanted() && stream == null) {
                long delay = Math.min(MAX_RECOVERY.toNanos(), firstRecovery.toNanos() << Math.min(recoveries++, 16));
                recoveryTimer.arm(Math.max(1, delay), this::reopen);
            }
        });
    }

    private void cancelRecovery() {
        recoveryTimer.cancel();
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
                if (host.wanted()) {
                    host.error(err);
                }
                return;
            }
            adopt(res, e);
        });
    }

    /** Closes the stream; its late events are dropped; no reopen is pending afterwards. */
    void close() {
        cancelRecovery();
        recoveries = 0;
        pendingEpoch = -1;
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
        if (!expected.equals(ExpectedAnswer.ANY)) {
            expectQuietly(stream, expected);
        }
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
        blocking.execute(() -> {
            try {
                s.close();
            } catch (RuntimeException e) {
                loop.execute(() -> host.error(SessionException.wrap(ErrorCode.STT_ERROR, e)));
            }
        });
    }
}
