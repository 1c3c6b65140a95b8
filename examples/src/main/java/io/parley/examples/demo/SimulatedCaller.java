package io.parley.examples.demo;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.examples.demo.CallerLine.Cue;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionListener;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A phone line with a scripted caller on the other end: 20 ms frames of 16 kHz audio at real-time
 * pace on a fixed grid, the caller's lines when it speaks and a faint line hiss otherwise; the
 * agent's audio is "played" at real-time rate, so {@link #playedSamples()} is honest.
 *
 * <p>The caller listens to the session (register {@link #cues()}): it speaks its next line a
 * short gap after the agent finishes, or, for a barge-in, a set time after the agent starts its
 * reply. If the agent stays silent for {@link #PATIENCE} the caller goes on anyway, so the demo
 * cannot hang on a misrecognised line.
 */
final class SimulatedCaller implements Transport {

    /** How long the caller waits for an agent reply before it goes on. */
    static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int FRAME_MILLIS = 20;
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(FRAME_MILLIS);
    /** Peak of the background hiss; real lines are never digitally silent and VADs expect that. */
    private static final int HISS = 24;

    private final Clock clock;
    private final List<CallerLine> lines;
    private final Consumer<String> narrator;
    private final AudioFrame frame = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 320);
    private final RealTimePlayout playout = new RealTimePlayout(16_000, 1);
    private final SplittableRandom noise = new SplittableRandom(7);
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    private TransportListener listener;
    private Clock.Cancellable tick;
    private Clock.Cancellable pending;
    private long nextFrameNanos;
    private boolean closed;

    /** Index of the line being spoken or next to speak. */
    private int next;
    /** Samples of line {@code next} already sent; -1 while waiting for its cue. */
    private int position = -1;
    /** Whether the previous line is done and line {@code next} waits for its cue. */
    private boolean armed;
    private boolean agentSpeaking;

    /**
     * @param narrator told when each line starts and why, for the console
     */
    SimulatedCaller(Clock clock, List<CallerLine> lines, Consumer<String> narrator) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lines = List.copyOf(lines);
        this.narrator = Objects.requireNonNull(narrator, "narrator");
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("the caller needs at least one line");
        }
    }

    /** Completes once the last line was spoken and the agent answered it (or stayed silent too long). */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** The session events the caller reacts to. */
    SessionListener cues() {
        return new SessionListener() {
            @Override
            public void onPlayback(PlaybackEvent event) {
                switch (event.kind()) {
                    case STARTED, RESUMED -> agentStarted();
                    case FINISHED, INTERRUPTED -> agentStopped();
                    default -> { }
                }
            }
        };
    }

    @Override
    public AudioFormat inputFormat() {
        return AudioFormat.PCM_16K_MONO;
    }

    @Override
    public AudioFormat outputFormat() {
        return AudioFormat.PCM_16K_MONO;
    }

    @Override
    public synchronized void start(TransportListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        closed = false;
        long now = clock.nanoTime();
        nextFrameNanos = now + FRAME_NANOS;
        armed = true;
        // The agent greets first; if it does not, the caller opens after its patience runs out.
        armFallback();
        tick = clock.schedule(this::deliver, FRAME_NANOS, TimeUnit.NANOSECONDS);
    }

    private void deliver() {
        TransportListener l;
        synchronized (this) {
            if (closed) {
                return;
            }
            fill();
            l = listener;
        }
        l.onAudio(frame);
        synchronized (this) {
            if (!closed) {
                nextFrameNanos += FRAME_NANOS;
                tick = clock.schedule(this::deliver, Math.max(0, nextFrameNanos - clock.nanoTime()), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Caller audio or hiss for the frame due at {@code nextFrameNanos}; called with the lock held. */
    private void fill() {
        short[] s = frame.samples();
        int n = 0;
        if (position >= 0) {
            short[] audio = lines.get(next).audio();
            n = Math.min(s.length, audio.length - position);
            System.arraycopy(audio, position, s, 0, n);
            position += n;
            if (position >= audio.length) {
                lineDone();
            }
        }
        for (int i = n; i < s.length; i++) {
            s[i] = (short) (noise.nextInt(2 * HISS + 1) - HISS);
        }
        frame.setLength(s.length);
        frame.setTimestampNanos(nextFrameNanos - FRAME_NANOS);
    }

    private void lineDone() {
        position = -1;
        next++;
        armed = true;
        armFallback();
    }

    private synchronized void agentStarted() {
        agentSpeaking = true;
        if (armed && !done() && lines.get(next).cue() == Cue.WHILE_AGENT_SPEAKS) {
            speakAfter(lines.get(next).delay(), "barges in while the agent speaks");
        }
    }

    private synchronized void agentStopped() {
        agentSpeaking = false;
        if (!armed) {
            return;
        }
        if (done()) {
            finish();
        } else if (lines.get(next).cue() == Cue.AFTER_AGENT) {
            speakAfter(lines.get(next).delay(), null);
        }
    }

    /** Called with the lock held. */
    private void speakAfter(Duration delay, String why) {
        cancelPending();
        int line = next;
        pending = clock.schedule(() -> begin(line, why), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void begin(int line, String why) {
        if (closed || !armed || line != next || done()) {
            return;
        }
        if (why == null && agentSpeaking) {
            // The agent started again (a second reply) during the gap: wait for it to finish.
            return;
        }
        armed = false;
        cancelPending();
        position = 0;
        CallerLine l = lines.get(line);
        narrator.accept("caller line " + (line + 1) + "/" + lines.size() + " (" + l.label() + ")"
                + (why == null ? "" : ", " + why) + ": \"" + l.text() + "\"");
    }

    /** If nothing cues the armed line within the caller's patience, speak it (or finish) anyway. */
    private void armFallback() {
        cancelPending();
        int line = next;
        pending = clock.schedule(() -> {
            synchronized (this) {
                if (closed || !armed || line != next) {
                    return;
                }
                if (done()) {
                    narrator.accept("no reply to the last line within " + PATIENCE.toSeconds() + " s");
                    finish();
                } else {
                    pending = null;
                    begin(line, "no reply within " + PATIENCE.toSeconds() + " s, so the caller goes on");
                }
            }
        }, PATIENCE.toNanos(), TimeUnit.NANOSECONDS);
    }

    private boolean done() {
        return next >= lines.size();
    }

    private void finish() {
        cancelPending();
        finished.complete(null);
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    @Override
    public synchronized void send(AudioFrame frame) {
        if (!frame.format().equals(AudioFormat.PCM_16K_MONO)) {
            throw new IllegalArgumentException("the simulated line plays 16 kHz mono, got " + frame.format());
        }
        playout.enqueue(frame.length(), clock.nanoTime());
    }

    @Override
    public synchronized void clearPlayback() {
        playout.clear(clock.nanoTime());
    }

    @Override
    public synchronized long playedSamples() {
        return playout.played(clock.nanoTime());
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        cancelPending();
        playout.clear(clock.nanoTime());
    }
}
