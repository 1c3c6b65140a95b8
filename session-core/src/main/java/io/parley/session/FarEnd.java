package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.EchoCanceller;
import io.parley.spi.EchoSuppressor;
import io.parley.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The far-end reference for echo cancellation and suppression: the agent's outbound audio,
 * handed over by {@link SpeechOutput} on the event loop a short lead ahead of playout, and
 * released to the {@link EchoCanceller} and the {@link EchoSuppressor} on the inbound audio
 * thread: before each microphone frame, the
 * frame's length of outbound audio ending where playout stood when the frame's capture ended
 * (nothing if playout did not move meanwhile).
 *
 * <p>Outbound audio is kept by its position in the outbound stream (the transport's
 * {@code playedSamples} count). The loop reports where playout stands and whether it is
 * moving at every pump, pause, resume and cut ({@link PlayoutTrack}), so audio held in a
 * paused transport is released when it really plays and audio dropped by a cut never is.
 * Each frame gets the reference at its own position rather than the next piece of a queue, so
 * when the estimate steps (the transport counts played audio a frame at a time, the loop
 * reports late) the reference steps with it; a queue kept every surplus as a lag of 20 to
 * 80 ms for the rest of the reply.
 * Microphone frames are placed by media time, not by arrival: {@link CaptureClock} dates each
 * from its position in the inbound stream, so frames held back and delivered in a burst each
 * meet the reference that was playing when they were captured, as they would have on time.
 * (Released by arrival, a 400 ms burst handed its first frame all 400 ms of reference and
 * the rest none, and their echo counted as the user.) The outbound ring keeps
 * at least {@value #RING_SECONDS} s: a hold of up to {@link CaptureClock#MAX_HOLD_NANOS} plus a
 * playout lead of up to a second. One writer (the loop) and one reader (the audio thread), no
 * locks on the audio thread (optimistic reads) and no allocation per frame.
 */
final class FarEnd {

    private static final int RING_SECONDS = 2;

    /** Either may be null, not both. */
    private final EchoCanceller canceller;
    private final EchoSuppressor suppressor;
    private final Clock clock;
    private final AudioFormat format;
    private final short[] ring;
    private final AudioFrame chunk;
    private final PlayoutTrack playout;
    private final CaptureClock captureClock = new CaptureClock();
    /** Outbound positions below this hold audio; written last, read first. */
    private volatile long written;
    /** Reader side: where playout stood at the end of the previous frame's capture. */
    private long lastPlaying = -1;
    /** Whether playout did not move while the previous frame was captured. */
    private boolean idle = true;
    /** Set by the loop for a new run: the audio thread resets the canceller before its next frame. */
    private volatile boolean cancellerReset;
    /** Reader side: the outbound position up to which the canceller has the reference, or -1. */
    private long handed = -1;
    /** Whether the canceller cancelled the frame being classified (audio thread). */
    private boolean cancelled;
    /** Whether the canceller was closed since the last reset, so it is closed once per run. */
    private final AtomicBoolean cancellerClosed = new AtomicBoolean();

    FarEnd(EchoCanceller canceller, EchoSuppressor suppressor, AudioFormat outputFormat, Clock clock) {
        if (canceller == null && suppressor == null) {
            throw new IllegalArgumentException("a far end needs a canceller or a suppressor");
        }
        this.canceller = canceller;
        this.suppressor = suppressor;
        this.clock = clock;
        this.format = outputFormat;
        this.ring = new short[Integer.highestOneBit(outputFormat.samplesFor(RING_SECONDS * 1000)) << 1];
        this.chunk = AudioFrame.allocate(outputFormat, outputFormat.samplesFor(20));
        this.playout = new PlayoutTrack(outputFormat);
    }

    // ---------------------------------------------------------------- event loop

    /** Outbound audio handed to the transport at outbound position {@code pos}. */
    void sent(AudioFrame frame, long pos) {
        short[] s = frame.samples();
        int mask = ring.length - 1;
        for (int i = 0; i < frame.length(); i++) {
            ring[(int) ((pos + i) & mask)] = s[i];
        }
        written = pos + frame.length();
    }

    /** Where playout stands: {@code played} samples out, advancing in real time if {@code moving}. */
    void playout(long played, boolean moving) {
        playout.report(clock.nanoTime(), played, moving);
    }

    /** Audio at {@code pos} and after was dropped (a cut) or never sent: outbound continues from there. */
    void rewind(long pos, boolean moving) {
        written = pos;
        playout(pos, moving);
    }

    /** A new run of the session. */
    void reset(long pos) {
        rewind(pos, true);
        if (suppressor != null) {
            suppressor.reset();
        }
        // The canceller is only ever called on the audio thread (native state, no locks).
        cancellerReset = canceller != null;
    }

    // ---------------------------------------------------------------- audio thread

    /** Whether inbound audio goes through an echo canceller. */
    boolean cancels() {
        return canceller != null;
    }

    /**
     * The session stopped and no audio thread is inside the canceller: let it release its
     * resources, once per run.
     */
    void closeCanceller() {
        if (canceller != null && cancellerClosed.compareAndSet(false, true)) {
            canceller.close();
        }
    }

    /** Removes the echo from {@code near} into {@code out}, after {@link #release} of the same frame. */
    void cancel(AudioFrame near, AudioFrame out) {
        canceller.cancel(near, out);
        cancelled = true;
    }

    /**
     * Asks the canceller (if it cancelled this frame) and then the suppressor whether
     * {@code near}, after {@link #release}, holds the user's voice.
     */
    boolean userSpeech(AudioFrame near, boolean voice) {
        boolean user = voice;
        if (cancelled) {
            cancelled = false;
            user = canceller.userSpeech(near, voice);
        }
        return suppressor == null ? user : suppressor.userSpeech(near, user);
    }

    /**
     * Gives the suppressor, and the canceller if {@code toCanceller}, what was playing while
     * {@code near} was captured; called once per frame, before it is cancelled or judged.
     */
    void release(AudioFrame near, boolean toCanceller) {
        cancelled = false;
        if (toCanceller && cancellerReset) {
            cancellerReset = false;
            cancellerClosed.set(false);
            canceller.reset();
            handed = -1;
        }
        long captured = captureClock.captureEnd(clock.nanoTime(), near.durationNanos());
        long playing = playingAt(captured);
        if (toCanceller) {
            handToCanceller(playing, near.timestampNanos());
        }
        if (playing != lastPlaying) {
            // Playout moved while the frame was captured: hand over the frame's length of audio
            // ending where playout stood at the end of its capture. Each frame is paired with
            // the reference by position, so when playout is re-estimated (the transport counts
            // played audio a frame at a time, a busy loop reports late) the reference steps
            // with the estimate instead of queueing behind it.
            long from = Math.max(0, playing - format.samplesForNanos(near.durationNanos()));
            if (idle) {
                // Playout stood still until this frame (paused, or nothing to play): only what
                // played since then belongs to it, not audio from before the pause.
                from = Math.max(from, lastPlaying);
            }
            if (suppressor != null) {
                hand(from, playing, near.timestampNanos(), false);
            }
            lastPlaying = playing;
            idle = false;
        } else {
            idle = true;
        }
    }

    /**
     * The canceller gets the outbound stream as it plays, each sample once and in order, up to
     * where playout stood at the end of the frame's capture. An adaptive filter follows a
     * steady delay but not a reference that steps: paired by position as the suppressor's is,
     * every re-estimate of playout skipped or repeated up to a frame of it, and AEC3 let the
     * echo through while it re-converged (offline, a 10 % chance per frame of a 10 or 20 ms
     * step turned 0 to 8 speech-like frames of residue per reply into 12 to 58). The estimate's
     * jitter only moves the canceller's own reference queue up and down.
     */
    private void handToCanceller(long playing, long nanos) {
        if (handed < 0 || written < handed || playing - handed > ring.length / 2) {
            // The first frame, a cut that rewound the stream, or a long gap: start from here.
            handed = playing;
        }
        if (playing > handed) {
            hand(handed, playing, nanos, true);
            handed = playing;
        }
    }

    /** Hands the outbound audio at positions {@code [from, to)} to the canceller or the suppressor. */
    private void hand(long from, long to, long nanos, boolean toCanceller) {
        if (written - from > ring.length) {
            return;
        }
        int mask = ring.length - 1;
        for (long p = from; p < to; p += chunk.length()) {
            int n = (int) Math.min(chunk.capacity(), to - p);
            short[] dst = chunk.samples();
            for (int i = 0; i < n; i++) {
                dst[i] = ring[(int) ((p + i) & mask)];
            }
            chunk.setLength(n);
            chunk.setTimestampNanos(nanos);
            if (toCanceller) {
                canceller.played(chunk);
            } else {
                suppressor.played(chunk);
            }
        }
    }

    /** The outbound position playing at {@code nanos}, never past what was sent. */
    private long playingAt(long nanos) {
        long limit = written;
        return Math.min(Math.max(0, playout.positionAt(nanos)), limit);
    }
}
