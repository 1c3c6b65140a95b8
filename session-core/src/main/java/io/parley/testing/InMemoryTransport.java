package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A transport for tests: plays a {@link UserScript} into the session as audio at real-time
 * pace on the clock (a tone while the user speaks, silence otherwise, or PCM you supply),
 * plays the agent's audio out at real-time pace, and records with timestamps everything the
 * agent sent and every clear, pause and resume.
 *
 * <p><b>Clock.</b> Everything it does is scheduled on the {@link Clock} it is built with, and all
 * its times ({@link Event#at()}, {@link SentFrame#at()}) count from that clock's zero. With a
 * {@link VirtualClock} nothing happens until the test advances the clock, which is what makes
 * a minute of conversation run in milliseconds and every time exact; give the session the same
 * clock. With {@link Clock#system()} it runs in real time, but its times then count from the
 * system clock's arbitrary origin: subtract the start yourself. To feed real recordings into a
 * real-time session, {@link io.parley.session.io.AudioFeed} is the simpler tool.
 */
public final class InMemoryTransport implements Transport {

    /** Something the session did to the output. */
    public enum Action { CLEAR, PAUSE, RESUME }

    /**
     * A recorded output action.
     *
     * @param action what
     * @param at     when, since virtual time zero
     */
    public record Event(Action action, Duration at) {
    }

    /**
     * A recorded outbound frame.
     *
     * @param at      when it was handed over, since virtual time zero
     * @param samples its samples
     */
    public record SentFrame(Duration at, short[] samples) {
    }

    private final Clock clock;
    private final AudioFormat input;
    private final AudioFormat output;
    private final UserScript script;
    private final boolean canPause;
    private final int frameMillis;
    private final short[] userPcm;
    private final long userPcmStartNanos;
    private final RealTimePlayout playout;
    private final List<SentFrame> sent = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final AudioFrame inFrame;
    private TransportListener listener;
    private Clock.Cancellable tick;
    private long nextFrameNanos;
    private boolean closed;
    private int starts;

    private InMemoryTransport(Builder b) {
        this.clock = b.clock;
        this.input = b.input;
        this.output = b.output;
        this.script = b.script;
        this.canPause = b.canPause;
        this.frameMillis = b.frameMillis;
        this.userPcm = b.userPcm;
        this.userPcmStartNanos = b.userPcmStart.toNanos();
        this.playout = new RealTimePlayout(output.sampleRate(), output.channels());
        this.inFrame = AudioFrame.allocate(input, input.samplesFor(frameMillis));
    }

    /** A builder on {@code clock}. */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    @Override
    public AudioFormat inputFormat() {
        return input;
    }

    @Override
    public AudioFormat outputFormat() {
        return output;
    }

    @Override
    public synchronized void start(TransportListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        closed = false;
        starts++;
        long now = clock.nanoTime();
        long frame = TimeUnit.MILLISECONDS.toNanos(frameMillis);
        // Frames sit on a fixed grid from virtual time zero, like a sound card's.
        nextFrameNanos = (now + frame - 1) / frame * frame;
        scheduleTick(now);
    }

    private void scheduleTick(long now) {
        tick = clock.schedule(this::deliver, Math.max(0, nextFrameNanos - now), TimeUnit.NANOSECONDS);
    }

    private void deliver() {
        TransportListener l;
        synchronized (this) {
            if (closed) {
                return;
            }
            fill(inFrame, nextFrameNanos);
            nextFrameNanos += TimeUnit.MILLISECONDS.toNanos(frameMillis);
            l = listener;
        }
        l.onAudio(inFrame);
        synchronized (this) {
            if (!closed) {
                scheduleTick(clock.nanoTime());
            }
        }
    }

    private void fill(AudioFrame f, long t0) {
        short[] s = f.samples();
        int channels = input.channels();
        int n = f.capacity() / channels;
        double rate = input.sampleRate();
        for (int i = 0; i < n; i++) {
            long t = t0 + (long) (i * 1e9 / rate);
            short v = 0;
            if (userPcm != null) {
                long idx = (t - userPcmStartNanos) * input.sampleRate() / 1_000_000_000L;
                if (idx >= 0 && idx < userPcm.length) {
                    v = userPcm[(int) idx];
                }
            } else if (script.at(t) != null) {
                v = (short) (8000 * Math.sin(2 * Math.PI * 220 * t / 1e9));
            }
            for (int c = 0; c < channels; c++) {
                s[i * channels + c] = v;
            }
        }
        f.setLength(n * channels);
        f.setTimestampNanos(t0);
    }

    @Override
    public synchronized void send(AudioFrame frame) {
        if (!frame.format().equals(output)) {
            throw new IllegalArgumentException("frame format " + frame.format() + " is not the output format " + output);
        }
        long now = clock.nanoTime();
        playout.enqueue(frame.length(), now);
        sent.add(new SentFrame(Duration.ofNanos(now), java.util.Arrays.copyOf(frame.samples(), frame.length())));
    }

    @Override
    public synchronized void clearPlayback() {
        playout.clear(clock.nanoTime());
        events.add(new Event(Action.CLEAR, Duration.ofNanos(clock.nanoTime())));
    }

    @Override
    public boolean canPause() {
        return canPause;
    }

    @Override
    public synchronized void pausePlayback() {
        if (!canPause) {
            throw new IllegalStateException("this InMemoryTransport was built without pause support");
        }
        playout.pause(clock.nanoTime());
        events.add(new Event(Action.PAUSE, Duration.ofNanos(clock.nanoTime())));
    }

    @Override
    public synchronized void resumePlayback() {
        if (!canPause) {
            throw new IllegalStateException("this InMemoryTransport was built without pause support");
        }
        playout.resume(clock.nanoTime());
        events.add(new Event(Action.RESUME, Duration.ofNanos(clock.nanoTime())));
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
        playout.clear(clock.nanoTime());
    }

    /** Tells the session the peer went away, as a network drop would. */
    public void disconnect(String reason) {
        TransportListener l;
        synchronized (this) {
            l = listener;
        }
        l.onDisconnected(reason);
    }

    /** Tells the session the caller pressed {@code digit}, held for {@code duration}. */
    public void dtmf(char digit, Duration duration) {
        TransportListener l;
        synchronized (this) {
            l = listener;
        }
        l.onDtmf(digit, duration);
    }

    /** Tells the session the peer is back. */
    public void reconnect() {
        TransportListener l;
        synchronized (this) {
            l = listener;
        }
        l.onConnected();
    }

    /** Whether {@link #close()} was called since the last start. */
    public synchronized boolean closed() {
        return closed;
    }

    /** How many times the transport was started. */
    public synchronized int starts() {
        return starts;
    }

    /** Every outbound frame, in order. */
    public synchronized List<SentFrame> sent() {
        return List.copyOf(sent);
    }

    /** Every clear, pause and resume, in order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Total outbound audio handed over. */
    public synchronized Duration sentDuration() {
        long samples = 0;
        for (SentFrame f : sent) {
            samples += f.samples().length;
        }
        return Duration.ofNanos(output.nanosFor(samples));
    }

    /** Outbound audio played so far. */
    public synchronized Duration playedDuration() {
        return Duration.ofNanos(output.nanosFor(playout.played(clock.nanoTime())));
    }

    /** When the first outbound frame at or after {@code from} was handed over, or null. */
    public synchronized Duration firstSentAfter(Duration from) {
        for (SentFrame f : sent) {
            if (f.at().compareTo(from) >= 0) {
                return f.at();
            }
        }
        return null;
    }

    /** When the last outbound frame was handed over, or null if none. */
    public synchronized Duration lastSent() {
        return sent.isEmpty() ? null : sent.get(sent.size() - 1).at();
    }

    /** Configures an {@link InMemoryTransport}. */
    public static final class Builder {
        private final Clock clock;
        private AudioFormat input = AudioFormat.PCM_16K_MONO;
        private AudioFormat output = AudioFormat.PCM_16K_MONO;
        private UserScript script = new UserScript();
        private boolean canPause;
        private int frameMillis = 20;
        private short[] userPcm;
        private Duration userPcmStart = Duration.ZERO;

        private Builder(Clock clock) {
            this.clock = Args.notNull(clock, "clock");
        }

        /** Inbound format [16 kHz mono]. */
        public Builder inputFormat(AudioFormat f) {
            this.input = Args.notNull(f, "input");
            return this;
        }

        /** Outbound format [16 kHz mono]. */
        public Builder outputFormat(AudioFormat f) {
            this.output = Args.notNull(f, "output");
            return this;
        }

        /** What the user says; rendered as a 220 Hz tone during each utterance. */
        public Builder script(UserScript script) {
            this.script = Args.notNull(script, "script");
            return this;
        }

        /** Real user audio (mono, input rate) played from {@code start} instead of the script's tones. */
        public Builder userAudio(short[] pcm, Duration start) {
            this.userPcm = pcm.clone();
            this.userPcmStart = Args.notNull(start, "userPcmStart");
            return this;
        }

        /** Whether playback can be paused and resumed [false]. */
        public Builder canPause(boolean canPause) {
            this.canPause = canPause;
            return this;
        }

        /** Inbound frame length in milliseconds [20]. */
        public Builder frameMillis(int millis) {
            if (millis < 1 || millis > 100) {
                throw new IllegalArgumentException("frameMillis must be within 1..100");
            }
            this.frameMillis = millis;
            return this;
        }

        public InMemoryTransport build() {
            return new InMemoryTransport(this);
        }
    }
}
