package io.parley.testing;

import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Word;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scripted recognizer. It "hears" the words of a {@link UserScript} utterance in proportion
 * to how much of that utterance's audio (matched by frame timestamp) it has received, emits
 * an interim result for each new word after {@code interimDelay}, and answers each
 * {@code finalizeUtterance} with a final result of the words heard after {@code finalDelay}.
 * Audio it never receives is never recognised, so gating bugs show up as missing words.
 * With {@link Builder#wordTimings(boolean)} it reports each word once it has received all of
 * it (the word taking its share of the utterance), with its timing on the stream's audio, and
 * each result with {@linkplain Transcript#audioEndNanos() how far into that audio it reaches},
 * as a decoder that times its words (PocketSphinx, Deepgram) reports them.
 */
public final class FakeStt implements SttProvider {

    private final String name;
    private final io.parley.time.Clock clock;
    private final UserScript script;
    private final long interimDelayNanos;
    private final long finalDelayNanos;
    private final java.util.function.UnaryOperator<String> revise;
    private final long endpointingNanos;
    private final boolean wordTimings;
    /** Clock reading from which nothing is published for {@code stallNanos}; -1: no stall. */
    private final long stallFromNanos;
    private final long stallNanos;
    private final List<Stream> streams = new ArrayList<>();
    private final OpenFailures openFailures = new OpenFailures();

    private FakeStt(Builder b) {
        this.name = b.name;
        this.clock = b.clock;
        this.script = b.script;
        this.interimDelayNanos = b.interimDelay.toNanos();
        this.finalDelayNanos = b.finalDelay.toNanos();
        this.revise = b.revise;
        this.endpointingNanos = b.endpointing == null ? -1 : b.endpointing.toNanos();
        this.wordTimings = b.wordTimings;
        this.stallFromNanos = b.stallFrom == null ? -1 : b.stallFrom.toNanos();
        this.stallNanos = b.stallFrom == null ? 0 : b.stallLength.toNanos();
    }

    /** A builder on {@code clock}, hearing {@code script}. */
    public static Builder builder(io.parley.time.Clock clock, UserScript script) {
        return new Builder(clock, script);
    }

    @Override
    public String name() {
        return name;
    }

    /** The next {@code times} opens fail with {@code code}. */
    public synchronized FakeStt failOpens(int times, ErrorCode code) {
        openFailures.script(times, code);
        return this;
    }

    /** Open attempts so far, failed ones included. */
    public synchronized int opens() {
        return openFailures.attempts();
    }

    /** Streams opened successfully, oldest first. */
    public synchronized List<Stream> streams() {
        return List.copyOf(streams);
    }

    @Override
    public synchronized SttStream open(SttRequest request, SttListener listener) {
        openFailures.attempt(name);
        Stream s = new Stream(request, listener);
        streams.add(s);
        return s;
    }

    /** One recognition stream; exposes what it received for assertions. */
    public final class Stream implements SttStream {
        private final SttRequest request;
        private final SttListener listener;
        private final int[] heard;
        private final List<Long> frameTimes = new ArrayList<>();
        /** Where each received frame begins in the stream's audio, in nanoseconds. */
        private final List<Long> framePositions = new ArrayList<>();
        private long position;
        private final Sequencer sequencer = new Sequencer(clock);
        private int finalizes;
        private boolean closed;
        private int finalizedUpTo;
        private long samples;
        private boolean inUtterance;

        Stream(SttRequest request, SttListener listener) {
            this.request = request;
            this.listener = listener;
            this.heard = new int[script.utterances().size()];
        }

        @Override
        public void write(AudioFrame frame) {
            if (!frame.format().equals(request.format())) {
                throw new IllegalArgumentException("frame format " + frame.format() + " differs from " + request.format());
            }
            Transcript interim = null;
            synchronized (FakeStt.this) {
                if (closed) {
                    throw new IllegalStateException("write after close");
                }
                samples += frame.length();
                frameTimes.add(frame.timestampNanos());
                framePositions.add(position);
                position += frame.durationNanos();
                long end = frame.timestampNanos() + frame.durationNanos() - 1;
                UserScript.Utterance u = script.at(end);
                if (u == null) {
                    u = script.at(frame.timestampNanos());
                }
                boolean endpoint = u == null && inUtterance && endpointingNanos >= 0;
                inUtterance = u != null;
                if (endpoint) {
                    // The recognizer's own endpointing: silence after words closes the utterance.
                    Transcript t = new Transcript(revise.apply(unfinalizedText()), true, true, 0.95, unfinalizedWords(), "en", reach());
                    finalizedUpTo = heardTotal();
                    later(() -> deliver(t), endpointingNanos);
                }
                if (u != null) {
                    int idx = script.indexOf(u);
                    String[] words = u.words();
                    long into = end - u.start().toNanos();
                    long length = u.duration().toNanos();
                    // A word is heard from its first audio on; a timed one once all of it is, so its
                    // timing is known when it is reported.
                    int n = (int) Math.min(words.length, wordTimings ? (into + 1) * words.length / length
                            : (long) Math.ceil(into / (double) length * words.length));
                    if (n > heard[idx]) {
                        heard[idx] = n;
                        interim = new Transcript(unfinalizedText(), false, false, Double.NaN, unfinalizedWords(), "", reach());
                    }
                }
            }
            if (interim != null && !interim.text().isEmpty()) {
                Transcript t = interim;
                later(() -> deliver(t), interimDelayNanos);
            }
        }

        /** Words heard and not yet finalized, across utterances, in order. */
        private String unfinalizedText() {
            StringBuilder sb = new StringBuilder();
            List<UserScript.Utterance> us = script.utterances();
            int skip = finalizedUpTo;
            for (int i = 0; i < heard.length; i++) {
                String[] w = us.get(i).words();
                for (int k = 0; k < heard[i]; k++) {
                    if (skip > 0) {
                        skip--;
                        continue;
                    }
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(w[k]);
                }
            }
            return sb.toString();
        }

        /**
         * The words of {@link #unfinalizedText()} with their timings on this stream's audio (none
         * without {@code wordTimings}): each word takes an equal share of its utterance.
         */
        private List<Word> unfinalizedWords() {
            if (!wordTimings) {
                return List.of();
            }
            List<Word> out = new ArrayList<>();
            List<UserScript.Utterance> us = script.utterances();
            int skip = finalizedUpTo;
            for (int i = 0; i < heard.length; i++) {
                UserScript.Utterance u = us.get(i);
                String[] w = u.words();
                long share = u.duration().toNanos() / Math.max(1, w.length);
                for (int k = 0; k < heard[i]; k++) {
                    if (skip > 0) {
                        skip--;
                        continue;
                    }
                    long start = u.start().toNanos() + k * share;
                    out.add(new Word(w[k], onTimeline(start), onTimeline(start + share), Double.NaN, -1));
                }
            }
            return out;
        }

        /** Where the audio captured at {@code nanos} lies (or will lie, as audio keeps coming) in what this stream was given. */
        private Duration onTimeline(long nanos) {
            int i = frameTimes.size() - 1;
            while (i > 0 && frameTimes.get(i) > nanos) {
                i--;
            }
            return Duration.ofNanos(Math.max(0, framePositions.get(i) + nanos - frameTimes.get(i)));
        }

        /** With word timings, how far into this stream's audio a result formed now reaches (all of it); otherwise -1. */
        private long reach() {
            return wordTimings ? position : -1;
        }

        private int heardTotal() {
            return Arrays.stream(heard).sum();
        }

        @Override
        public void finalizeUtterance() {
            Transcript t;
            synchronized (FakeStt.this) {
                if (closed) {
                    return;
                }
                finalizes++;
                t = new Transcript(revise.apply(unfinalizedText()), true, true, 0.95, unfinalizedWords(), "en", reach());
                finalizedUpTo = heardTotal();
            }
            later(() -> deliver(t), finalDelayNanos);
        }

        private void later(Runnable r, long delayNanos) {
            long due = clock.nanoTime() + delayNanos;
            if (stalled(due)) {
                // Starved of CPU: what falls due in the stall comes at its end.
                delayNanos = stallFromNanos + stallNanos - clock.nanoTime();
            }
            sequencer.after(delayNanos, r);
        }

        private boolean stalled(long atNanos) {
            return stallFromNanos >= 0 && atNanos >= stallFromNanos && atNanos < stallFromNanos + stallNanos;
        }

        /**
         * With word timings: the audio received {@code interimDelay} ago (during a stall, as
         * at its start), whose words are out; otherwise -1.
         */
        @Override
        public long publishedNanos() {
            if (!wordTimings) {
                return -1;
            }
            long now = clock.nanoTime();
            long upTo = (stalled(now) ? stallFromNanos : now) - interimDelayNanos;
            synchronized (FakeStt.this) {
                long out = -1;
                for (int i = 0; i < frameTimes.size(); i++) {
                    long end = i + 1 < framePositions.size() ? framePositions.get(i + 1) : position;
                    if (frameTimes.get(i) + end - framePositions.get(i) <= upTo) {
                        out = end;
                    }
                }
                return out;
            }
        }

        private void deliver(Transcript t) {
            synchronized (FakeStt.this) {
                if (closed) {
                    return;
                }
            }
            listener.onTranscript(t);
        }

        /** Fails this stream now, as a dropped connection would. */
        public void fail(SessionException error) {
            synchronized (FakeStt.this) {
                if (closed) {
                    return;
                }
                closed = true;
                sequencer.cancel();
            }
            listener.onError(error);
        }

        @Override
        public void close() {
            synchronized (FakeStt.this) {
                closed = true;
                sequencer.cancel();
            }
        }

        /** Whether the stream was closed. */
        public boolean closed() {
            synchronized (FakeStt.this) {
                return closed;
            }
        }

        /** Samples received. */
        public long samples() {
            synchronized (FakeStt.this) {
                return samples;
            }
        }

        /** Timestamps of the frames received, in order. */
        public List<Long> frameTimes() {
            synchronized (FakeStt.this) {
                return List.copyOf(frameTimes);
            }
        }

        /** How many times the session asked to finalize. */
        public int finalizes() {
            synchronized (FakeStt.this) {
                return finalizes;
            }
        }

        /** The request it was opened with. */
        public SttRequest request() {
            return request;
        }
    }

    /** Configures a {@link FakeStt}. */
    public static final class Builder {
        private final io.parley.time.Clock clock;
        private final UserScript script;
        private String name = "fake-stt";
        private Duration interimDelay = Duration.ofMillis(100);
        private Duration finalDelay = Duration.ofMillis(150);
        private java.util.function.UnaryOperator<String> revise = t -> t;
        private Duration endpointing;
        private boolean wordTimings;
        private Duration stallFrom;
        private Duration stallLength;

        private Builder(io.parley.time.Clock clock, UserScript script) {
            this.clock = Args.notNull(clock, "clock");
            this.script = Args.notNull(script, "script");
        }

        /** Provider name [fake-stt]. */
        public Builder name(String name) {
            this.name = Args.notNull(name, "name");
            return this;
        }

        /** Delay of interim results after the audio that produced them [100 ms]. */
        public Builder interimDelay(Duration d) {
            this.interimDelay = Args.notNull(d, "interimDelay");
            return this;
        }

        /** Delay of the final result after a finalize request [150 ms]. */
        public Builder finalDelay(Duration d) {
            this.finalDelay = Args.notNull(d, "finalDelay");
            return this;
        }

        /**
         * Rewrites final results, as a recognizer revising its hypothesis once it has the whole
         * utterance (interim results keep the script's words) [unchanged].
         */
        public Builder reviseFinal(java.util.function.UnaryOperator<String> revise) {
            this.revise = Args.notNull(revise, "revise");
            return this;
        }

        /**
         * Makes the recognizer close utterances itself, as Deepgram's endpointing does: a final
         * result with {@code speechFinal} this long after an utterance's audio ends [off].
         */
        public Builder endpointing(Duration delay) {
            this.endpointing = Args.notNull(delay, "endpointing");
            return this;
        }

        /**
         * Whether results carry word timings on the stream's audio, each word taking an equal
         * share of its utterance and reported once all of it was received, and how far into that
         * audio they reach, as the turn detector receives them from a decoder that times its
         * words [false: results without word detail, each word reported from its first audio on].
         */
        public Builder wordTimings(boolean wordTimings) {
            this.wordTimings = wordTimings;
            return this;
        }

        /**
         * Makes the recognizer publish nothing from clock reading {@code from} for {@code length},
         * as a decoder starved of CPU: results due then come at the stall's end [none].
         */
        public Builder stall(Duration from, Duration length) {
            this.stallFrom = Args.notNull(from, "from");
            this.stallLength = Args.notNull(length, "length");
            return this;
        }

        public FakeStt build() {
            return new FakeStt(this);
        }
    }
}
