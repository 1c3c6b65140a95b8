package io.parley.session;

import io.parley.audio.AudioFormat;
import java.util.concurrent.locks.StampedLock;

/**
 * Where playout stood over the last seconds: the positions in the outbound stream that the
 * event loop reports (at every pump, pause, resume and cut), each with its time and whether
 * playout was moving, so that the inbound audio thread can ask which outbound sample was
 * playing at any recent moment, such as when a microphone frame that arrived late was
 * captured. Between reports, a moving playout is extrapolated on the clock, never past the
 * next report.
 *
 * <p>Reports closer than {@value #MERGE_MILLIS} ms replace each other, so the
 * {@value #SIZE} kept cover at least {@value #SIZE} &times; {@value #MERGE_MILLIS} ms, more
 * than {@link CaptureClock#MAX_HOLD_NANOS}; the pump's 20 ms ticks make it about five
 * seconds. One writer (the loop), one reader (the audio thread); the reader does not lock
 * unless a report is being written while it reads; no allocation.
 */
final class PlayoutTrack {

    private static final int SIZE = 256;
    private static final int MASK = SIZE - 1;
    private static final int MERGE_MILLIS = 5;
    private static final long MERGE_NANOS = MERGE_MILLIS * 1_000_000L;

    private final AudioFormat format;
    private final StampedLock lock = new StampedLock();
    private final long[] nanos = new long[SIZE];
    private final long[] played = new long[SIZE];
    private final boolean[] moving = new boolean[SIZE];
    /** Reports kept so far (the newest is at {@code count - 1}). */
    private long count;

    PlayoutTrack(AudioFormat format) {
        this.format = format;
    }

    /** On the loop: at {@code atNanos}, {@code playedSamples} had been played, and playout was {@code isMoving}. */
    void report(long atNanos, long playedSamples, boolean isMoving) {
        long stamp = lock.writeLock();
        try {
            if (count == 0 || atNanos - nanos[(int) ((count - 1) & MASK)] >= MERGE_NANOS) {
                count++;
            }
            int i = (int) ((count - 1) & MASK);
            nanos[i] = atNanos;
            played[i] = playedSamples;
            moving[i] = isMoving;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** On the audio thread: the outbound position playing at {@code atNanos}, or -1 before the first report. */
    long positionAt(long atNanos) {
        long stamp = lock.tryOptimisticRead();
        long pos = read(atNanos);
        if (!lock.validate(stamp)) {
            stamp = lock.readLock();
            try {
                pos = read(atNanos);
            } finally {
                lock.unlockRead(stamp);
            }
        }
        return pos;
    }

    private long read(long atNanos) {
        long n = count;
        if (n <= 0) {
            return -1;
        }
        long lo = Math.max(0, n - SIZE);
        long hi = n - 1;
        if (atNanos < nanos[(int) (lo & MASK)]) {
            // Older than anything kept: the oldest position is the best bound there is.
            return played[(int) (lo & MASK)];
        }
        // The newest report at or before atNanos.
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (nanos[(int) (mid & MASK)] <= atNanos) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int i = (int) (lo & MASK);
        long pos = played[i];
        if (moving[i]) {
            pos += format.samplesForNanos(atNanos - nanos[i]);
            if (lo + 1 < n) {
                // Playout does not go back, so the next report bounds it.
                pos = Math.min(pos, played[(int) ((lo + 1) & MASK)]);
            }
        }
        return pos;
    }
}
