package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/** Plays out in real time and measures how late each outbound frame arrived. */
final class LoadTransport implements Transport {
    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    final Clock clock;
    private final Recorder outbound;
    private final Recorder overhead;
    final RealTimePlayout playout = new RealTimePlayout(FORMAT.sampleRate(), 1);
    final AtomicLong received = new AtomicLong();
    /** Samples of replies cleared from playback (an interruption), counted when cleared. */
    final AtomicLong cleared = new AtomicLong();
    private long replySamples;
    volatile TransportListener listener;
    private long drainAt = Long.MIN_VALUE;
    private final ArrayDeque<Long> turnEnds = new ArrayDeque<>();
    private final ArrayDeque<Long> replyStarts = new ArrayDeque<>();

    /** The session decided the user's turn ended at {@code nanos}; paired with the next reply's first frame. */
    synchronized void turnEnded(long nanos) {
        turnEnds.add(nanos);
        pair();
    }

    private void pair() {
        while (!turnEnds.isEmpty() && !replyStarts.isEmpty()) {
            long end = turnEnds.peek();
            long start = replyStarts.poll();
            if (start >= end) {
                turnEnds.poll();
                overhead.add(start - end);
            }
        }
    }

    /** Records into recorders of its own (for benchmarks that only need a transport). */
    LoadTransport(Clock clock) {
        this(clock, new Recorder(), new Recorder());
    }

    /**
     * @param outbound lateness of every outbound frame
     * @param overhead end-of-turn decision to the reply's first frame
     */
    LoadTransport(Clock clock, Recorder outbound, Recorder overhead) {
        this.clock = clock;
        this.outbound = outbound;
        this.overhead = overhead;
    }

    @Override
    public AudioFormat inputFormat() {
        return FORMAT;
    }

    @Override
    public AudioFormat outputFormat() {
        return FORMAT;
    }

    @Override
    public void start(TransportListener listener) {
        this.listener = listener;
    }

    @Override
    public synchronized void send(AudioFrame f) {
        long now = clock.nanoTime();
        long late = drainAt == Long.MIN_VALUE ? Long.MAX_VALUE : now - drainAt;
        // A gap of more than 200 ms (or the first frame ever) is a new reply, not a late frame.
        if (late > 0 && late < 200_000_000L) {
            outbound.add(late);
        } else if (late <= 0) {
            outbound.add(0);
        } else {
            replyStarts.add(now);
            pair();
            replySamples = 0;
        }
        replySamples += f.length();
        drainAt = Math.max(now, drainAt) + FORMAT.nanosFor(f.length());
        playout.enqueue(f.length(), now);
        received.addAndGet(f.length());
    }

    @Override
    public synchronized void clearPlayback() {
        playout.clear(clock.nanoTime());
        drainAt = Long.MIN_VALUE;
        replyStarts.clear();
        cleared.addAndGet(replySamples);
        replySamples = 0;
    }

    @Override
    public synchronized long playedSamples() {
        return playout.played(clock.nanoTime());
    }

    @Override
    public void close() {
    }
}
