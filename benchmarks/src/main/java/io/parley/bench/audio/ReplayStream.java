package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.spi.SttListener;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Word;
import io.parley.testing.VirtualClock;
import io.parley.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A recognition stream for the virtual-time replays that publishes as PocketSphinxStt does: an
 * interim every 300 ms of audio and once the input has been quiet for 100 ms mid-utterance, each
 * only when its text changed; the final at once on a finalize; each result {@code latencyNanos}
 * after the audio it covers, after which the stream says its results reach that audio. What is
 * heard is the subclass's ({@link TurnReplay}'s PocketSphinx decoder, {@link OracleStt}'s
 * scripts). Touched only by the virtual clock's tasks (the session's writes and this stream's
 * timers).
 */
abstract class ReplayStream implements SttStream {

    private static final long INTERIM_NANOS = 300_000_000L;
    private static final long QUIET_NANOS = 100_000_000L;

    private final VirtualClock clock;
    private final long latencyNanos;
    private final SttListener listener;
    private boolean closed;
    private boolean inUtterance;
    /** Nanoseconds of audio written so far: the stream's own timeline. */
    private long written;
    private long sinceInterim;
    private String lastInterim = "";
    private volatile long published = -1;
    private Clock.Cancellable quiet;

    ReplayStream(VirtualClock clock, long latencyNanos, SttListener listener) {
        this.clock = clock;
        this.latencyNanos = latencyNanos;
        this.listener = listener;
    }

    /** An utterance begins with {@code first}, at {@code writtenNanos} of the stream's timeline. */
    abstract void begin(AudioFrame first, long writtenNanos);

    /** Hears {@code frame}. */
    abstract void feed(AudioFrame frame);

    /** What the open utterance was heard as so far. */
    abstract String text();

    /** Its words with their timings on the stream's timeline, if the recognizer gives them. */
    abstract List<Word> words();

    /** The open utterance ends (its final was taken). */
    abstract void end();

    /** The stream closes, with an utterance open or not. */
    abstract void release(boolean utteranceOpen);

    @Override
    public final synchronized void write(AudioFrame frame) {
        if (closed) {
            return;
        }
        if (!inUtterance) {
            begin(frame, written);
            inUtterance = true;
            sinceInterim = 0;
            lastInterim = "";
        }
        feed(frame);
        written += frame.durationNanos();
        sinceInterim += frame.durationNanos();
        if (sinceInterim >= INTERIM_NANOS) {
            publishInterim();
        }
        if (quiet != null) {
            quiet.cancel();
        }
        quiet = clock.schedule(this::quiet, QUIET_NANOS, TimeUnit.NANOSECONDS);
    }

    private synchronized void quiet() {
        quiet = null;
        if (!closed && inUtterance && sinceInterim > 0) {
            publishInterim();
        }
    }

    private void publishInterim() {
        sinceInterim = 0;
        String text = text();
        if (!text.isEmpty() && !text.equals(lastInterim)) {
            lastInterim = text;
            deliver(new Transcript(text, false, false, Double.NaN, words(), "en-US").withAudioEnd(written), written);
        } else {
            deliver(null, written);
        }
    }

    /** After the latency: {@code t} (null: none, the text unchanged), and then the stream says its results reach {@code reach}. */
    private void deliver(Transcript t, long reach) {
        clock.schedule(() -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            if (t != null) {
                listener.onTranscript(t);
            }
            published = Math.max(published, reach);
        }, latencyNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public final synchronized void finalizeUtterance() {
        if (closed) {
            return;
        }
        if (!inUtterance) {
            deliver(Transcript.fin("", true).withAudioEnd(written), written);
            return;
        }
        inUtterance = false;
        deliver(new Transcript(text(), true, true, Double.NaN, words(), "en-US").withAudioEnd(written), written);
        end();
    }

    @Override
    public final long publishedNanos() {
        return published;
    }

    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (quiet != null) {
            quiet.cancel();
        }
        release(inUtterance);
    }
}
