package io.parley.recording.playback;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.audio.AudioTrack;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Transport;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Replays a recording's audio and events into a {@link PlaybackSink} (or a {@link Transport})
 * at real or faster pace, on a {@link Clock}: play, pause, seek, resume, stop. Events are
 * delivered when the audio reaches their position, so they stay in step with it whatever the
 * speed. Pacing follows the clock, not a count of ticks, so it does not drift.
 *
 * <p>Control methods are thread-safe; the sink is called from the clock's threads, one call at a
 * time, never while a lock is held.
 */
public final class RecordingPlayer implements AutoCloseable {

    private static final AudioFormat STEREO_FALLBACK = new AudioFormat(16_000, 2);

    private final Clock clock;
    private final PlaybackSink sink;
    private final TransportSink transportSink;
    private final Optional<AudioTrack> audio;
    private final AudioFormat format;
    private final List<Timed> events;
    private final long endNanos;
    private final long tickNanos;
    private final double speed;

    private PlayerState state = PlayerState.STOPPED;
    private long positionNanos;
    private int nextEvent;
    private long startClockNanos;
    private long startPositionNanos;
    private long generation;
    private Clock.Cancellable timer;
    private final AudioFrame frame;

    private record Timed(RecordingEvent event, long nanos) {
    }

    private RecordingPlayer(Builder b) {
        this.clock = b.clock;
        this.speed = b.speed;
        this.tickNanos = b.tick.toNanos();
        if (b.transport != null) {
            transportSink = new TransportSink(b.transport, b.sink);
            transportSink.speed(speed);
            sink = transportSink;
        } else {
            transportSink = null;
            sink = b.sink;
        }
        Recording r = b.recording;
        audio = r.audio();
        format = audio.map(a -> new AudioFormat(a.sampleRate(), 2)).orElse(STEREO_FALLBACK);
        List<Timed> ev = new ArrayList<>();
        long last = 0;
        for (RecordingEvent e : r.events()) {
            long n = r.audioOffset(e).toNanos();
            ev.add(new Timed(e, n));
            last = Math.max(last, n);
        }
        ev.sort(Comparator.comparingLong(Timed::nanos));
        events = List.copyOf(ev);
        long audioNanos = audio.map(a -> a.frames() * 1_000_000_000L / a.sampleRate()).orElse(0L);
        endNanos = Math.max(audioNanos, last);
        int maxFrames = (int) Math.ceil(format.sampleRate() * (tickNanos * speed / 1e9)) + 1;
        frame = AudioFrame.allocate(format, 2 * maxFrames);
    }

    /** A player for {@code recording}; give it a sink or a transport. */
    public static Builder builder(Recording recording) {
        return new Builder(recording);
    }

    /** Starts from the current position (the beginning, or where {@link #seek} put it). */
    public synchronized void play() {
        if (state == PlayerState.PLAYING) {
            return;
        }
        if (state == PlayerState.FINISHED) {
            positionNanos = 0;
            nextEvent = 0;
        }
        begin();
    }

    /** Pauses where it is. */
    public synchronized void pause() {
        if (state != PlayerState.PLAYING) {
            throw new IllegalStateException("cannot pause a player that is " + state);
        }
        positionNanos = currentTarget();
        halt(PlayerState.PAUSED);
    }

    /** Continues after {@link #pause()}. */
    public synchronized void resume() {
        if (state != PlayerState.PAUSED) {
            throw new IllegalStateException("cannot resume a player that is " + state);
        }
        begin();
    }

    /**
     * Moves to {@code position} (clamped to the recording), keeping the playing or paused state.
     * Events before it are skipped; the next one delivered is the first at or after it.
     *
     * @throws IllegalArgumentException for a negative position
     */
    public synchronized void seek(Duration position) {
        if (position.isNegative()) {
            throw new IllegalArgumentException("seek position must not be negative, was " + position);
        }
        positionNanos = Math.min(position.toNanos(), endNanos);
        nextEvent = 0;
        while (nextEvent < events.size() && events.get(nextEvent).nanos() < positionNanos) {
            nextEvent++;
        }
        if (state == PlayerState.PLAYING) {
            halt(PlayerState.PLAYING);
            begin();
        } else if (state == PlayerState.FINISHED) {
            state = PlayerState.PAUSED;
        }
    }

    /** Stops and rewinds to the beginning. */
    public synchronized void stop() {
        halt(PlayerState.STOPPED);
        positionNanos = 0;
        nextEvent = 0;
    }

    /** Where the replay is. */
    public synchronized Duration position() {
        return Duration.ofNanos(state == PlayerState.PLAYING ? Math.min(currentTarget(), endNanos) : positionNanos);
    }

    /** Length of the recording's timeline. */
    public Duration length() {
        return Duration.ofNanos(endNanos);
    }

    public synchronized PlayerState state() {
        return state;
    }

    /** Stops and closes the transport, if one was given. */
    @Override
    public void close() {
        stop();
        if (transportSink != null) {
            transportSink.close();
        }
    }

    private void begin() {
        state = PlayerState.PLAYING;
        startClockNanos = clock.nanoTime();
        startPositionNanos = positionNanos;
        long gen = ++generation;
        timer = clock.schedule(() -> tick(gen), 0, TimeUnit.NANOSECONDS);
    }

    private void halt(PlayerState to) {
        generation++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        state = to;
    }

    private long currentTarget() {
        return startPositionNanos + (long) ((clock.nanoTime() - startClockNanos) * speed);
    }

    private void tick(long gen) {
        long from;
        long to;
        List<Timed> due = new ArrayList<>();
        boolean finished;
        synchronized (this) {
            if (gen != generation || state != PlayerState.PLAYING) {
                return;
            }
            from = positionNanos;
            to = Math.min(currentTarget(), endNanos);
            while (nextEvent < events.size() && events.get(nextEvent).nanos() <= to) {
                due.add(events.get(nextEvent++));
            }
            positionNanos = to;
            finished = to >= endNanos;
        }
        try {
            long at = from;
            for (Timed t : due) {
                emitAudio(at, Math.max(at, t.nanos()));
                at = Math.max(at, t.nanos());
                sink.onEvent(t.event(), Duration.ofNanos(t.nanos()));
            }
            emitAudio(at, to);
        } catch (RuntimeException e) {
            synchronized (this) {
                if (gen == generation) {
                    halt(PlayerState.STOPPED);
                }
            }
            sink.onError(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
            return;
        }
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            if (finished) {
                halt(PlayerState.FINISHED);
            } else {
                timer = clock.schedule(() -> tick(gen), tickNanos, TimeUnit.NANOSECONDS);
                return;
            }
        }
        sink.onFinished();
    }

    private void emitAudio(long fromNanos, long toNanos) {
        if (audio.isEmpty() || toNanos <= fromNanos) {
            return;
        }
        AudioTrack track = audio.get();
        long start = fromNanos * track.sampleRate() / 1_000_000_000L;
        long end = Math.min(track.frames(), toNanos * track.sampleRate() / 1_000_000_000L);
        int cap = frame.capacity() / 2;
        while (start < end) {
            int n = track.read(start, frame.samples(), (int) Math.min(cap, end - start));
            if (n == 0) {
                return;
            }
            frame.setLength(2 * n);
            long posNanos = start * 1_000_000_000L / track.sampleRate();
            frame.setTimestampNanos(clock.nanoTime());
            sink.onAudio(frame, Duration.ofNanos(posNanos));
            start += n;
        }
    }

    /** Options for a {@link RecordingPlayer}. */
    public static final class Builder {
        /** Refuses null with an IllegalArgumentException naming the parameter, as every Parley builder does. */
        private static <T> T arg(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private final Recording recording;
        private Clock clock = Clock.system();
        private PlaybackSink sink;
        private Transport transport;
        private double speed = 1;
        private Duration tick = Duration.ofMillis(20);

        private Builder(Recording recording) {
            this.recording = arg(recording, "recording");
        }

        /** The clock that paces the replay [Clock.system()]. */
        public Builder clock(Clock v) {
            clock = arg(v, "clock");
            return this;
        }

        /** Where audio and events go. */
        public Builder sink(PlaybackSink v) {
            sink = arg(v, "sink");
            return this;
        }

        /** Play the audio through this transport (mixed to its format); events still go to the sink. */
        public Builder transport(Transport v) {
            transport = arg(v, "transport");
            return this;
        }

        /** Pace: 1 = real time, 2 = twice as fast, up to 32 [1]. */
        public Builder speed(double v) {
            if (!(v >= 1 && v <= 32)) {
                throw new IllegalArgumentException("speed must be within 1..32, was " + v);
            }
            speed = v;
            return this;
        }

        /** How often audio is handed on [20 ms]. */
        public Builder tick(Duration v) {
            if (v == null || v.toMillis() < 1 || v.toMillis() > 1000) {
                throw new IllegalArgumentException("tick must be within 1..1000 ms, was " + v);
            }
            tick = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException without a sink
         */
        public RecordingPlayer build() {
            if (sink == null) {
                throw new IllegalArgumentException("a player needs a sink (it may discard events if a transport plays the audio)");
            }
            return new RecordingPlayer(this);
        }
    }
}
