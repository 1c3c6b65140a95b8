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
    /** Samples of replies the session cut (an interruption), all that reached the transport of each. */
    final AtomicLong cleared = new AtomicLong();
    private long replySamples;
    volatile TransportListener listener;
    private long drainAt = Long.MIN_VALUE;
    /** Per committed turn: its end-of-turn decision and its commit. */
    private final ArrayDeque<long[]> turnEnds = new ArrayDeque<>();
    /** Per reply: its first frame, and when the agent was called and the synthesizer opened and flushed before it. */
    private final ArrayDeque<SlowTurns.Reply> replyStarts = new ArrayDeque<>();
    private final Recorder[] stages;
    private final SlowTurns slow;
    private volatile long agentCalledAt;
    private volatile Thread agentThread;
    private volatile long ttsOpenedAt;
    private volatile Thread ttsThread;
    private volatile long flushedAt;
    private volatile Thread flushThread;

    /**
     * The session decided the user's turn ended at {@code endNanos} and committed it (its final
     * transcript in) at {@code committedNanos}; paired with the next reply's first frame.
     */
    synchronized void turnEnded(long endNanos, long committedNanos) {
        turnEnds.add(new long[] {endNanos, committedNanos});
        pair();
    }

    /** The agent was called for a reply; the stages of the next reply's overhead are measured from here. */
    void agentCalled() {
        agentCalledAt = clock.nanoTime();
        agentThread = Thread.currentThread();
    }

    /** The synthesizer was opened for a reply. */
    void ttsOpened() {
        ttsOpenedAt = clock.nanoTime();
        ttsThread = Thread.currentThread();
    }

    /** The synthesizer was flushed: the reply's whole text and its open stream met on the session's loop. */
    void ttsFlushed() {
        flushedAt = clock.nanoTime();
        flushThread = Thread.currentThread();
    }

    private void pair() {
        while (!turnEnds.isEmpty() && !replyStarts.isEmpty()) {
            long end = turnEnds.peek()[0];
            long committed = turnEnds.peek()[1];
            SlowTurns.Reply reply = replyStarts.poll();
            if (reply.firstFrame() >= end) {
                turnEnds.poll();
                overhead.add(reply.firstFrame() - end);
                // The agent and the synthesizer's open run in parallel on the blocking pool.
                long ready = Math.max(reply.agentCalled(), reply.ttsOpened());
                boolean staged = reply.agentCalled() >= committed && reply.ttsOpened() >= committed && committed >= end
                        && reply.flushed() >= ready && reply.firstFrame() >= reply.flushed();
                if (stages != null && staged) {
                    stages[0].add(reply.agentCalled() - end);
                    stages[1].add(reply.ttsOpened() - end);
                    stages[2].add(reply.flushed() - ready);
                    stages[3].add(reply.firstFrame() - reply.flushed());
                    stages[4].add(committed - end);
                    stages[5].add(Math.min(reply.agentCalled(), reply.ttsOpened()) - committed);
                }
                if (slow != null) {
                    slow.add(reply, reply.firstFrame() - end, staged ? end : -1, committed);
                }
            }
        }
    }

    /** Records into recorders of its own (for benchmarks that only need a transport). */
    LoadTransport(Clock clock) {
        this(clock, new Recorder(), new Recorder(), null, null);
    }

    /**
     * @param outbound lateness of every outbound frame
     * @param overhead end-of-turn decision to the reply's first frame
     * @param stages   null, or six recorders for the parts of that overhead: end of turn to
     *                 agent called, end of turn to synthesizer opened (the two run in parallel),
     *                 the later of them to the synthesizer's flush (both results back on the
     *                 session's loop), the flush to the first frame (see {@link #agentCalled()},
     *                 {@link #ttsOpened()} and {@link #ttsFlushed()}), end of turn to commit
     *                 (the final transcript in), commit to the first of the two calls starting
     *                 (a blocking pool thread woken and running)
     * @param slow     null, or where turns slower than its threshold are listed
     */
    LoadTransport(Clock clock, Recorder outbound, Recorder overhead, Recorder[] stages, SlowTurns slow) {
        this.clock = clock;
        this.outbound = outbound;
        this.overhead = overhead;
        this.stages = stages;
        this.slow = slow;
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
            replyStarts.add(new SlowTurns.Reply(now, agentCalledAt, ttsOpenedAt, flushedAt, agentThread, ttsThread,
                    flushThread, Thread.currentThread()));
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
        long now = clock.nanoTime();
        playout.clear(now);
        // The session clears only the reply it still holds as playing, which it then reports
        // INTERRUPTED, not FINISHED: all of that reply that came here was cut, even when it had
        // already played out by this transport's clock. The session learns that playout ended
        // at its next look at playedSamples(), and a barge-in in between (more likely on a busy
        // loop) cuts a whole reply, whose audio, left out here, made the harness report -75
        // frames lost (one 1.5 s reply).
        cleared.addAndGet(replySamples);
        drainAt = Long.MIN_VALUE;
        replyStarts.clear();
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
