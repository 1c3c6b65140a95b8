package io.parley.testing;

import io.parley.session.AgentContext;
import io.parley.session.StreamingAgent;
import io.parley.session.TextSink;

import java.time.Duration;
import java.util.Random;

/**
 * An agent for chaos runs: answers after a random delay with 1 to 12 words streamed 30 ms
 * apart, or fails (asynchronously, or by throwing) with {@link ChaosSettings#agentFailure()}.
 * Stops generating when cancelled, as a real agent does.
 */
final class ChaosAgent implements StreamingAgent {

    private static final long WORD_INTERVAL_NANOS = Duration.ofMillis(30).toNanos();

    private final SessionProbe probe;
    private final ChaosSettings settings;
    private final Random random;

    ChaosAgent(SessionProbe probe, ChaosSettings settings, Random random) {
        this.probe = probe;
        this.settings = settings;
        this.random = random;
    }

    @Override
    public void respond(AgentContext context, String transcript, TextSink sink) {
        probe.opened("agent.respond");
        probe.agentCalled(context.turnId(), context.preemptive(), context.history());
        double r = random.nextDouble();
        if (r < settings.agentFailure()) {
            probe.note("agent " + (r < settings.agentFailure() / 2 ? "throws" : "fails") + " for turn " + context.turnId());
        }
        if (r < settings.agentFailure() / 2) {
            throw new IllegalStateException("chaos: agent threw");
        }
        Sequencer seq = new Sequencer(probe.providerClock());
        long latency = settings.agentFirstText().sampleNanos(random);
        if (r < settings.agentFailure()) {
            seq.after(latency, () -> probe.callEngine("TextSink.fail",
                    () -> sink.fail(new IllegalStateException("chaos: agent failed"))));
        } else {
            int words = 1 + random.nextInt(12);
            for (int i = 0; i < words; i++) {
                String chunk = (i == 0 ? "" : " ") + "reply" + context.turnId() + "w" + i;
                seq.after(latency + i * WORD_INTERVAL_NANOS, () -> probe.callEngine("TextSink.write", () -> sink.write(chunk)));
            }
            seq.after(0, () -> probe.callEngine("TextSink.complete", sink::complete));
        }
        context.onCancel(seq::cancel);
    }
}
