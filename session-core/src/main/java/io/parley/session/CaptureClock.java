package io.parley.session;

import java.util.Arrays;

/**
 * When each inbound frame was captured, judged from its position in the inbound stream rather
 * than from when it arrived: microphone audio comes at the pace it is captured, but a busy
 * audio thread, a jitter buffer or a telephony gateway may hold frames back and deliver them
 * together, and a frame that arrives late was still captured right after the one before it.
 *
 * <p>Each frame's arrival time minus its end position in the stream is how late the stream
 * is running at that frame; the least of these over the last {@value #WINDOW_MILLIS} ms of
 * stream is the delay of frames that arrived on time, and a frame's capture time is its end
 * position plus that delay (never later than its arrival). Holds up to {@link #MAX_HOLD_NANOS}
 * are recognized as such; a frame later than that starts a new timeline (the stream had a gap,
 * or the source was restarted), as does a source whose clock runs slower than the session's,
 * within the window. Audio fed faster than real time has every frame on time. Arrival times
 * come from the session clock, so the estimate does not depend on how a transport stamps its
 * frames. One thread (the inbound audio thread); no allocation.
 */
final class CaptureClock {

    /** The longest hold of inbound audio that is still placed at its capture time: 1 s. */
    static final long MAX_HOLD_NANOS = 1_000_000_000L;
    /** How much of the stream the on-time delay is taken from: more than the longest hold. */
    static final int WINDOW_MILLIS = 1_250;
    private static final int BUCKETS = 5;
    private static final long BUCKET_NANOS = WINDOW_MILLIS * 1_000_000L / BUCKETS;

    /** The least delay seen in each of the last {@value #BUCKETS} stretches of stream. */
    private final long[] least = new long[BUCKETS];
    /** The stretch the newest frame ended in, or -1 before the first frame. */
    private long newest = -1;
    /** The stream's length so far, in nanoseconds. */
    private long position;

    /**
     * The capture time (session clock nanos) of the end of the next frame, which lasts
     * {@code durationNanos} and arrived at {@code arrivalNanos}.
     */
    long captureEnd(long arrivalNanos, long durationNanos) {
        position += durationNanos;
        long delay = arrivalNanos - position;
        long stretch = position / BUCKET_NANOS;
        if (newest < 0 || delay - onTimeDelay() > MAX_HOLD_NANOS || stretch - newest >= BUCKETS) {
            Arrays.fill(least, Long.MAX_VALUE);
            newest = stretch;
        }
        while (newest < stretch) {
            newest++;
            least[(int) (newest % BUCKETS)] = Long.MAX_VALUE;
        }
        int slot = (int) (stretch % BUCKETS);
        least[slot] = Math.min(least[slot], delay);
        return position + onTimeDelay();
    }

    private long onTimeDelay() {
        long d = Long.MAX_VALUE;
        for (long l : least) {
            d = Math.min(d, l);
        }
        return d;
    }
}
