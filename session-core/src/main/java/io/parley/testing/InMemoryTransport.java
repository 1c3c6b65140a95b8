package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.time.Duration;
import java.util.ArrayDeque;
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
 *
 * <p><b>Echo.</b> With {@link Builder#echo}, it is a speakerphone: what it plays comes back
 * into the microphone audio, late and attenuated, on top of the user.
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
    /** The speakerphone's echo, or null. */
    private final Speaker speaker;
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
        this.speaker = b.echoDelay == null ? null : new Speaker(output, Math.pow(10, b.echoDb / 20), b.echoDelay.toNanos());
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
            if (speaker != null) {
                long now = clock.nanoTime();
                speaker.played(now, playout.played(now));
                speaker.echo(inFrame, now);
            }
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
        if (speaker != null) {
            speaker.queue(frame);
        }
        sent.add(new SentFrame(Duration.ofNanos(now), java.util.Arrays.copyOf(frame.samples(), frame.length())));
    }

    @Override
    public synchronized void clearPlayback() {
        long dropped = playout.clear(clock.nanoTime());
        if (speaker != null) {
            speaker.drop(dropped);
        }
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
        private double echoDb;
        private Duration echoDelay;

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

        /**
         * Makes it a speakerphone [no echo]: the microphone also hears what was played,
         * {@code delay} later (at least one frame) and {@code levelDb} louder (negative: quieter).
         */
        public Builder echo(double levelDb, Duration delay) {
            Args.notNull(delay, "delay");
            if (delay.toMillis() < frameMillis || delay.toMillis() > 1_000) {
                throw new IllegalArgumentException("echo delay must be within one frame and 1 s, was " + delay);
            }
            this.echoDb = levelDb;
            this.echoDelay = delay;
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

    /**
     * What the loudspeaker played and when, for the echo: audio handed over waits in a queue,
     * comes out as the playout advances (silence while paused or idle) and is heard again by the
     * microphone {@code delayNanos} later. Guarded by the transport's lock.
     */
    private static final class Speaker {
        private final AudioFormat format;
        private final float gain;
        private final long delayNanos;
        private final ArrayDeque<Short> queued = new ArrayDeque<>();
        /** The last two seconds the speaker played, by output sample position. */
        private final short[] history;
        private long position;
        private long endNanos = -1;
        private long lastPlayed;

        Speaker(AudioFormat format, double gain, long delayNanos) {
            this.format = format;
            this.gain = (float) gain;
            this.delayNanos = delayNanos;
            this.history = new short[format.samplesFor(2_000)];
        }

        void queue(AudioFrame frame) {
            for (int i = 0; i < frame.length(); i += format.channels()) {
                queued.add(frame.samples()[i]);
            }
        }

        void drop(long samples) {
            for (long i = 0; i < samples / format.channels() && !queued.isEmpty(); i++) {
                queued.pollLast();
            }
        }

        /** The playout stands at {@code played} samples at {@code now}: the speaker plays up to now. */
        void played(long now, long played) {
            if (endNanos < 0) {
                endNanos = now;
                lastPlayed = played;
                return;
            }
            int n = (int) (format.samplesForNanos(now - endNanos) / format.channels());
            endNanos += format.nanosFor((long) n * format.channels());
            long k = Math.min(n, (played - lastPlayed) / format.channels());
            lastPlayed = played;
            for (int i = 0; i < n; i++) {
                // Silence first (paused or idle part of the interval), then what played.
                Short v = i < n - k ? null : queued.poll();
                history[(int) (position++ % history.length)] = v == null ? 0 : v;
            }
        }

        /** Adds to {@code mic}, captured from {@code now}, what the speaker played {@code delayNanos} before. */
        void echo(AudioFrame mic, long now) {
            AudioFormat in = mic.format();
            int channels = in.channels();
            for (int i = 0; i < mic.length(); i += channels) {
                long t = now + in.nanosFor(i) - delayNanos;
                long p = position - format.samplesForNanos(endNanos - t) / format.channels();
                if (p < 0 || p >= position || position - p > history.length) {
                    continue;
                }
                int e = Math.round(gain * history[(int) (p % history.length)]);
                for (int c = 0; c < channels; c++) {
                    int v = mic.samples()[i + c] + e;
                    mic.samples()[i + c] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
                }
            }
        }
    }
}
