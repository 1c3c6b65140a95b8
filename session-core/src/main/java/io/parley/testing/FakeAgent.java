package io.parley.testing;

import io.parley.session.AgentContext;
import io.parley.session.StreamingAgent;
import io.parley.session.TextSink;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A scripted streaming agent: answers with {@code reply.apply(transcript)}, word by word,
 * the first word after {@code firstTextLatency} and each next one {@code interval} later.
 * Records every call and whether it was cancelled.
 */
public final class FakeAgent implements StreamingAgent {

    /**
     * One invocation.
     *
     * @param transcript what the agent was asked to answer
     * @param preemptive whether it started on an interim transcript
     * @param context    its context (for {@link AgentContext#cancelled()})
     * @param at         when, since virtual time zero
     */
    public record Call(String transcript, boolean preemptive, AgentContext context, Duration at) {
    }

    private final Clock clock;
    private final Function<String, String> reply;
    private final long latencyNanos;
    private final long intervalNanos;
    private final List<Call> calls = new ArrayList<>();
    private int failures;

    private FakeAgent(Builder b) {
        this.clock = b.clock;
        this.reply = b.reply;
        this.latencyNanos = b.firstTextLatency.toNanos();
        this.intervalNanos = b.interval.toNanos();
    }

    /** A builder on {@code clock}. */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** The next {@code times} calls fail after their latency. */
    public synchronized FakeAgent failNext(int times) {
        this.failures = times;
        return this;
    }

    /** Every call so far, oldest first. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void respond(AgentContext context, String transcript, TextSink sink) {
        boolean fail;
        synchronized (this) {
            calls.add(new Call(transcript, context.preemptive(), context, Duration.ofNanos(clock.nanoTime())));
            fail = failures > 0;
            if (fail) {
                failures--;
            }
        }
        if (fail) {
            new Sequencer(clock).after(latencyNanos, () -> sink.fail(new IllegalStateException("scripted agent failure")));
            return;
        }
        String text = reply.apply(transcript);
        String[] words = text.isBlank() ? new String[0] : text.trim().split("\\s+");
        Sequencer seq = new Sequencer(clock);
        for (int i = 0; i < words.length; i++) {
            String chunk = i == 0 ? words[i] : " " + words[i];
            seq.after(latencyNanos + i * intervalNanos, () -> sink.write(chunk));
        }
        seq.after(latencyNanos + Math.max(0, words.length - 1) * intervalNanos, sink::complete);
        // A real agent stops generating when cancelled; so does this one.
        context.onCancel(seq::cancel);
    }

    /** Configures a {@link FakeAgent}. */
    public static final class Builder {
        private final Clock clock;
        private Function<String, String> reply = t -> "You said: " + t;
        private Duration firstTextLatency = Duration.ofMillis(200);
        private Duration interval = Duration.ofMillis(20);

        private Builder(Clock clock) {
            this.clock = Args.notNull(clock, "clock");
        }

        /** How to answer a transcript [echo it]. */
        public Builder reply(Function<String, String> reply) {
            this.reply = Args.notNull(reply, "reply");
            return this;
        }

        /** Always answer {@code text}. */
        public Builder reply(String text) {
            Args.notNull(text, "text");
            this.reply = t -> text;
            return this;
        }

        /** Delay to the first word [200 ms]. */
        public Builder firstTextLatency(Duration d) {
            this.firstTextLatency = Args.notNull(d, "firstTextLatency");
            return this;
        }

        /** Delay between words [20 ms]. */
        public Builder interval(Duration d) {
            this.interval = Args.notNull(d, "interval");
            return this;
        }

        public FakeAgent build() {
            return new FakeAgent(this);
        }
    }
}
