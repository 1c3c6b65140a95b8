package io.parley.time;

/**
 * Models an audio sink that plays queued samples at real-time rate: how much has been
 * played, how much is still queued, with pause, resume and clear. Transports that cannot
 * observe their device (tests, callbacks into a host) use it to report
 * {@code playedSamples()} honestly. Not thread-safe; callers synchronize.
 */
public final class RealTimePlayout {

    private final int samplesPerSecond;
    private long played;
    private long queued;
    private long lastNanos;
    private boolean paused;
    private boolean started;

    /**
     * @param sampleRate samples per second per channel
     * @param channels   interleaved channels
     */
    public RealTimePlayout(int sampleRate, int channels) {
        if (sampleRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("sampleRate and channels must be positive");
        }
        this.samplesPerSecond = sampleRate * channels;
    }

    /** Adds {@code samples} interleaved samples to the queue at time {@code nowNanos}. */
    public void enqueue(long samples, long nowNanos) {
        advance(nowNanos);
        queued += samples;
    }

    /** Samples played up to {@code nowNanos}. */
    public long played(long nowNanos) {
        advance(nowNanos);
        return played;
    }

    /** Samples queued and not yet played at {@code nowNanos}. */
    public long queued(long nowNanos) {
        advance(nowNanos);
        return queued;
    }

    /** Drops everything queued; returns how many samples were dropped. */
    public long clear(long nowNanos) {
        advance(nowNanos);
        long dropped = queued;
        queued = 0;
        return dropped;
    }

    /** Stops the playhead. */
    public void pause(long nowNanos) {
        advance(nowNanos);
        paused = true;
    }

    /** Restarts the playhead. */
    public void resume(long nowNanos) {
        advance(nowNanos);
        paused = false;
    }

    /** Whether the playhead is stopped. */
    public boolean paused() {
        return paused;
    }

    /** Nanoseconds until the queue runs dry at {@code nowNanos}, or -1 if paused or empty. */
    public long nanosUntilDrained(long nowNanos) {
        advance(nowNanos);
        if (paused || queued == 0) {
            return -1;
        }
        return (queued * 1_000_000_000L + samplesPerSecond - 1) / samplesPerSecond;
    }

    private void advance(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        if (paused || queued == 0) {
            lastNanos = nowNanos;
            return;
        }
        long playable = elapsed * samplesPerSecond / 1_000_000_000L;
        if (playable >= queued) {
            played += queued;
            queued = 0;
            lastNanos = nowNanos;
        } else if (playable > 0) {
            played += playable;
            queued -= playable;
            // Keep the fractional sample time so rounding never drifts.
            lastNanos += playable * 1_000_000_000L / samplesPerSecond;
        }
    }
}
