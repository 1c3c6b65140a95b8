package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.spi.WordTiming;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A scripted synthesizer: each word becomes a 440 Hz tone lasting {@code perChar} per
 * character plus a short gap, delivered faster than real time after {@code firstAudioLatency},
 * with exact word timings. Words are synthesized as soon as they are complete (followed by
 * whitespace) or flushed, so streamed text starts speaking early as with real providers.
 */
public final class FakeTts implements TtsProvider {

    private final String name;
    private final Clock clock;
    private final long latencyNanos;
    private final long perCharNanos;
    private final long gapNanos;
    /** A recording to speak with instead of the tone, or null. */
    private final short[] voice;
    private final List<Stream> streams = new ArrayList<>();
    private final OpenFailures openFailures = new OpenFailures();
    private int failStreams;

    private FakeTts(Builder b) {
        this.name = b.name;
        this.clock = b.clock;
        this.latencyNanos = b.firstAudioLatency.toNanos();
        this.perCharNanos = b.perChar.toNanos();
        this.gapNanos = b.gap.toNanos();
        this.voice = b.voice;
    }

    /** A builder on {@code clock}. */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** Audio duration this synthesizer produces for {@code text}. */
    public Duration durationOf(String text) {
        long total = 0;
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                total += w.length() * perCharNanos + gapNanos;
            }
        }
        return Duration.ofNanos(total);
    }

    @Override
    public String name() {
        return name;
    }

    /** The next {@code times} opens fail with {@code code}. */
    public synchronized FakeTts failOpens(int times, ErrorCode code) {
        openFailures.script(times, code);
        return this;
    }

    /** The next {@code times} streams fail with a retryable error when text first arrives. */
    public synchronized FakeTts failStreams(int times) {
        this.failStreams = times;
        return this;
    }

    /** Open attempts, failed ones included. */
    public synchronized int opens() {
        return openFailures.attempts();
    }

    /** Streams opened, oldest first. */
    public synchronized List<Stream> streams() {
        return List.copyOf(streams);
    }

    @Override
    public synchronized TtsStream open(TtsRequest request, TtsListener listener) {
        openFailures.attempt(name);
        boolean fail = failStreams > 0;
        if (fail) {
            failStreams--;
        }
        Stream s = new Stream(request.format(), listener, fail);
        streams.add(s);
        return s;
    }

    /** One synthesis stream; exposes what it was asked to do. */
    public final class Stream implements TtsStream {
        private final AudioFormat format;
        private final TtsListener listener;
        private final boolean failOnText;
        private final StringBuilder received = new StringBuilder();
        private int synthesizedChars;
        private long audioNanos;
        private long nextEmitNanos = -1;
        private boolean flushed;
        private boolean cancelled;
        private boolean closed;
        private boolean failed;
        private final Sequencer sequencer = new Sequencer(clock);

        Stream(AudioFormat format, TtsListener listener, boolean failOnText) {
            this.format = format;
            this.listener = listener;
            this.failOnText = failOnText;
        }

        @Override
        public void pushText(String chunk) {
            Objects.requireNonNull(chunk, "chunk");
            synchronized (FakeTts.this) {
                checkOpen();
                received.append(chunk);
                if (failOnText && !failed) {
                    failed = true;
                    schedule(() -> listener.onError(new SessionException(ErrorCode.PROVIDER_CONNECTION, name + ": scripted stream failure")), 0);
                    return;
                }
                int end = received.lastIndexOf(" ") + 1;
                synthesizeUpTo(end, false);
            }
        }

        @Override
        public void flush() {
            synchronized (FakeTts.this) {
                checkOpen();
                flushed = true;
                if (failed) {
                    return;
                }
                synthesizeUpTo(received.length(), true);
            }
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("stream closed");
            }
        }

        private void synthesizeUpTo(int end, boolean complete) {
            if (end > synthesizedChars) {
                String text = received.substring(synthesizedChars, end);
                synthesizedChars = end;
                List<WordTiming> timings = new ArrayList<>();
                long start = audioNanos;
                for (String w : text.trim().split("\\s+")) {
                    if (w.isEmpty()) {
                        continue;
                    }
                    long d = w.length() * perCharNanos;
                    timings.add(new WordTiming(w, Duration.ofNanos(audioNanos), Duration.ofNanos(audioNanos + d)));
                    audioNanos += d + gapNanos;
                }
                long from = start;
                long to = audioNanos;
                List<WordTiming> t = List.copyOf(timings);
                schedule(() -> emit(from, to, t), nextDelay());
            }
            if (complete) {
                schedule(listener::onComplete, nextDelay());
            }
        }

        private long nextDelay() {
            long now = clock.nanoTime();
            if (nextEmitNanos < 0) {
                nextEmitNanos = now + latencyNanos;
            }
            return Math.max(0, nextEmitNanos - now);
        }

        private void schedule(Runnable r, long delay) {
            sequencer.after(delay, () -> {
                synchronized (FakeTts.this) {
                    if (cancelled || closed) {
                        return;
                    }
                }
                r.run();
            });
        }

        private void emit(long fromNanos, long toNanos, List<WordTiming> timings) {
            long fromSample = format.samplesForNanos(fromNanos);
            long toSample = format.samplesForNanos(toNanos);
            int frame = format.samplesFor(20);
            for (long i = fromSample; i < toSample; i += frame) {
                int n = (int) Math.min(frame, toSample - i);
                short[] s = new short[n];
                for (int k = 0; k < n; k++) {
                    s[k] = voice != null ? voice[(int) ((i + k) % voice.length)]
                            : (short) (6000 * Math.sin(2 * Math.PI * 440 * (i + k) / format.sampleRate()));
                }
                listener.onAudio(new AudioFrame(format, s, clock.nanoTime()));
            }
            if (!timings.isEmpty()) {
                listener.onWordTimings(timings);
            }
        }

        @Override
        public void cancel() {
            synchronized (FakeTts.this) {
                cancelled = true;
                sequencer.cancel();
            }
        }

        @Override
        public void close() {
            synchronized (FakeTts.this) {
                closed = true;
                sequencer.cancel();
            }
        }

        /** Text received so far. */
        public String text() {
            synchronized (FakeTts.this) {
                return received.toString();
            }
        }

        /** Whether the session flushed, cancelled or closed it. */
        public boolean flushed() {
            synchronized (FakeTts.this) {
                return flushed;
            }
        }

        public boolean cancelled() {
            synchronized (FakeTts.this) {
                return cancelled;
            }
        }

        public boolean closed() {
            synchronized (FakeTts.this) {
                return closed;
            }
        }
    }

    /** Configures a {@link FakeTts}. */
    public static final class Builder {
        private final Clock clock;
        private String name = "fake-tts";
        private Duration firstAudioLatency = Duration.ofMillis(100);
        private Duration perChar = Duration.ofMillis(60);
        private Duration gap = Duration.ofMillis(40);
        private short[] voice;

        private Builder(Clock clock) {
            this.clock = Args.notNull(clock, "clock");
        }

        /** Provider name [fake-tts]. */
        public Builder name(String name) {
            this.name = Args.notNull(name, "name");
            return this;
        }

        /** Time from the first synthesizable text to the first audio [100 ms]. */
        public Builder firstAudioLatency(Duration d) {
            this.firstAudioLatency = Args.notNull(d, "firstAudioLatency");
            return this;
        }

        /** Audio per character of a word [60 ms]. */
        public Builder perChar(Duration d) {
            this.perChar = Args.notNull(d, "perChar");
            return this;
        }

        /** Silence after each word [40 ms]. */
        public Builder gap(Duration d) {
            this.gap = Args.notNull(d, "gap");
            return this;
        }

        /**
         * Speaks with a real recording (mono, at the session's output rate), looped, instead of
         * a 440 Hz tone [the tone].
         */
        public Builder voice(short[] pcm) {
            Args.notNull(pcm, "voice");
            if (pcm.length == 0) {
                throw new IllegalArgumentException("voice must not be empty");
            }
            this.voice = pcm.clone();
            return this;
        }

        /** The synthesizer. */
        public FakeTts build() {
            return new FakeTts(this);
        }
    }
}
