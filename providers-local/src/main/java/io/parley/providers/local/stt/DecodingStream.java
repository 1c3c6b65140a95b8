package io.parley.providers.local.stt;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-process recogniser fed from a ring buffer by its own thread. {@link #write} only copies
 * samples into the ring, so the session's audio path never waits for the decoder; the decoding
 * thread pulls 20 ms chunks, publishes interim hypotheses and ends an utterance exactly at the
 * sample position where {@link #finalizeUtterance()} was called. Interim results follow every
 * interim interval of audio, and also once the input has been quiet for 100 ms mid-utterance.
 * Every result says how far into the stream's audio it reaches (the audio decoded when it was
 * taken, {@link Transcript#audioEndNanos()}). Subclasses wrap one engine
 * instance, which only the decoding thread touches. Audio at another supported rate is resampled
 * to 16 kHz in {@link #write}, without allocating per frame.
 */
abstract class DecodingStream implements SttStream {

    static final int DECODER_RATE = 16_000;
    private static final int CHUNK = DECODER_RATE / 50;
    private static final long JOIN_MILLIS = 5_000;
    /** Silence on the input after which an interim result is published early. */
    private static final long QUIET_MILLIS = 100;

    private final SttListener listener;
    private final int interimSamples;
    /** Converts the session's rate to 16 kHz on the writing thread; null when it is already 16 kHz. */
    private final Resampler resampler;
    private short[] converted;
    private final Thread worker;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final short[] ring;
    private long written;
    private long taken;
    private final ArrayDeque<Long> finalizeAt = new ArrayDeque<>();
    private boolean closed;
    private boolean overflowed;

    // Decoding-thread state.
    private final short[] chunk = new short[CHUNK];
    private boolean inUtterance;
    private long decoded;
    private long sinceInterim;
    private String lastInterim = "";
    private boolean failed;
    /** The decoded audio the latest interim check covered, in nanoseconds; -1 before any. */
    private volatile long published = -1;

    DecodingStream(String threadName, AudioFormat input, SttListener listener, Duration interimInterval,
                   Duration maxBacklog) {
        this.listener = listener;
        if (input.sampleRate() == DECODER_RATE) {
            this.resampler = null;
            this.converted = null;
        } else {
            this.resampler = Resampler.create(input.sampleRate(), DECODER_RATE, 1);
            this.converted = new short[resampler.outputCapacity(input.samplesFor(20))];
        }
        this.interimSamples = (int) Math.min(Integer.MAX_VALUE, interimInterval.toMillis() * DECODER_RATE / 1000);
        this.ring = new short[Math.toIntExact(maxBacklog.toMillis() * DECODER_RATE / 1000)];
        this.worker = new Thread(this::run, threadName);
        worker.setDaemon(true);
    }

    /** Starts the decoding thread; called once the subclass is fully constructed. */
    final void start() {
        worker.start();
    }

    /** Checks that audio is mono at 16 kHz or a rate {@link Resampler} converts from. */
    static void checkFormat(AudioFormat format, String engine) {
        if (format.channels() != 1) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, engine + " needs mono audio, got "
                    + format.channels() + " channels");
        }
        if (format.sampleRate() != DECODER_RATE && !Resampler.supports(format.sampleRate())) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, engine + " decodes 16000 Hz audio and cannot convert "
                    + format.sampleRate() + " Hz (supported: 8000, 16000, 22050, 24000, 44100, 48000)");
        }
    }

    /** Begins an utterance whose first sample is sample {@code streamOffset} of the stream. */
    abstract void beginUtterance(long streamOffset);

    /** Decodes {@code n} samples of {@code samples}. */
    abstract void process(short[] samples, int n);

    /** The current partial hypothesis, possibly empty. */
    abstract String partial();

    /**
     * The interim result for hypothesis {@code hyp} (from {@link #partial()}); by default its text
     * alone, an engine that can segment it adds the words' timings.
     */
    Transcript interim(String hyp) {
        return Transcript.interim(hyp);
    }

    /** Ends the utterance and returns its final, {@code speechFinal} result. */
    abstract Transcript endUtterance();

    /**
     * The utterance's final result as it stands once all its audio is decoded, if the engine's
     * final is already known then; null (the default) if only {@link #endUtterance()} can give
     * it. When this gives one it is delivered at once and the utterance is ended after, its
     * result dropped, so the end-of-utterance work no longer delays the final.
     */
    Transcript finalBeforeEnd() {
        return null;
    }

    /** Frees the engine; called once, on the decoding thread, after everything else. */
    abstract void release();

    @Override
    public final void write(AudioFrame frame) {
        int n = frame.length();
        short[] src = frame.samples();
        if (resampler != null) {
            int room = resampler.outputCapacity(n);
            if (converted.length < room) {
                // Only frames longer than the usual 20 ms get here; the buffer then stays at that size.
                converted = new short[room];
            }
            n = resampler.process(src, 0, n, converted, 0);
            src = converted;
        }
        lock.lock();
        try {
            if (closed || overflowed) {
                return;
            }
            if (written + n - taken > ring.length) {
                // Reported by the decoding thread, which owns the listener.
                overflowed = true;
                changed.signal();
                return;
            }
            int pos = (int) (written % ring.length);
            int first = Math.min(n, ring.length - pos);
            System.arraycopy(src, 0, ring, pos, first);
            System.arraycopy(src, first, ring, 0, n - first);
            written += n;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void finalizeUtterance() {
        lock.lock();
        try {
            if (!closed) {
                finalizeAt.addLast(written);
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Decodes what was written, delivers the last final result, then frees the engine. */
    @Override
    public final void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != worker) {
            try {
                worker.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                int n;
                boolean finalizeNow;
                boolean finished;
                boolean quiet = false;
                lock.lock();
                try {
                    while (!overflowed && !closed && written == taken && finalizeAt.isEmpty()) {
                        if (inUtterance && interimSamples > 0 && sinceInterim > 0) {
                            // Audio stopped mid-utterance (the session closed its gate at end of
                            // speech): publish what the last words were heard as, so the turn
                            // detector sees them before the turn is committed.
                            if (!changed.await(QUIET_MILLIS, TimeUnit.MILLISECONDS)
                                    && written == taken && finalizeAt.isEmpty() && !closed && !overflowed) {
                                quiet = true;
                                break;
                            }
                        } else {
                            changed.await();
                        }
                    }
                    if (quiet) {
                        n = 0;
                        finalizeNow = false;
                        finished = false;
                    } else {
                        if (overflowed) {
                            fail(new SessionException(ErrorCode.STT_ERROR, "the recogniser fell " + ring.length / DECODER_RATE
                                    + " s behind the audio it was given; the machine is too slow or overloaded for real time"));
                            return;
                        }
                        long limit = finalizeAt.isEmpty() ? written : finalizeAt.peekFirst();
                        n = (int) Math.min(CHUNK, limit - taken);
                        int pos = (int) (taken % ring.length);
                        int first = Math.min(n, ring.length - pos);
                        System.arraycopy(ring, pos, chunk, 0, first);
                        System.arraycopy(ring, 0, chunk, first, n - first);
                        taken += n;
                        finalizeNow = !finalizeAt.isEmpty() && finalizeAt.peekFirst() == taken;
                        if (finalizeNow) {
                            finalizeAt.pollFirst();
                        }
                        finished = closed && taken == written && finalizeAt.isEmpty();
                    }
                } finally {
                    lock.unlock();
                }
                if (quiet) {
                    publishInterim();
                }
                if (n > 0) {
                    decode(n);
                }
                if (finalizeNow || (finished && inUtterance)) {
                    finish();
                }
                if (finished) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(SessionException.wrap(ErrorCode.STT_ERROR, e));
        } finally {
            lock.lock();
            try {
                closed = true;
            } finally {
                lock.unlock();
            }
            release();
        }
    }

    private void decode(int n) {
        if (!inUtterance) {
            beginUtterance(decoded);
            inUtterance = true;
            sinceInterim = 0;
            lastInterim = "";
        }
        process(chunk, n);
        decoded += n;
        sinceInterim += n;
        if (interimSamples > 0 && sinceInterim >= interimSamples) {
            publishInterim();
        }
    }

    private void publishInterim() {
        sinceInterim = 0;
        String hyp = partial();
        if (!hyp.isEmpty() && !hyp.equals(lastInterim)) {
            lastInterim = hyp;
            listener.onTranscript(interim(hyp).withAudioEnd(decodedNanos()));
        }
        // Only now: audio decoded since the previous check may hold words not yet published.
        published = decodedNanos();
    }

    /** The audio decoded so far, in nanoseconds on the stream's timeline. */
    private long decodedNanos() {
        return decoded * 1_000_000_000L / DECODER_RATE;
    }

    /** Up to the latest interim check: every interim interval of decoded audio, and once the input goes quiet. */
    @Override
    public final long publishedNanos() {
        return published;
    }

    /** Answers a finalize (or the close) with the final of all the audio written before it, which is all decoded now. */
    private void finish() {
        if (!inUtterance) {
            listener.onTranscript(Transcript.fin("", true).withAudioEnd(decodedNanos()));
            return;
        }
        inUtterance = false;
        Transcript early = finalBeforeEnd();
        if (early != null) {
            listener.onTranscript(early.withAudioEnd(decodedNanos()));
            endUtterance();
        } else {
            listener.onTranscript(endUtterance().withAudioEnd(decodedNanos()));
        }
        published = decodedNanos();
    }

    /** Whether an utterance is open; for {@link #release()}. */
    /** Samples decoded so far, on the stream's 16 kHz timeline (the decoding thread's view). */
    final long decodedSamples() {
        return decoded;
    }

    final boolean inUtterance() {
        return inUtterance;
    }

    private void fail(SessionException e) {
        if (!failed) {
            failed = true;
            listener.onError(e);
        }
    }
}
