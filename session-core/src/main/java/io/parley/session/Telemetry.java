package io.parley.session;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;

/**
 * The session's OpenTelemetry instruments. The session id goes on spans only: as a metric
 * attribute it would create one time series per session.
 */
final class Telemetry {

    static final String SCOPE = "io.parley.session";
    static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("session.id");
    static final AttributeKey<String> STATE = AttributeKey.stringKey("session.state");
    static final AttributeKey<String> STT = AttributeKey.stringKey("provider.stt");
    static final AttributeKey<String> TTS = AttributeKey.stringKey("provider.tts");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("provider");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("error.code");
    static final AttributeKey<Long> TURN_ID = AttributeKey.longKey("turn.id");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("token.type");
    static final AttributeKey<Boolean> INTERRUPTED = AttributeKey.booleanKey("turn.interrupted");

    private final Tracer tracer;
    private final LongCounter started;
    private final LongCounter stopped;
    private final LongUpDownCounter active;
    private final LongCounter errors;
    private final DoubleHistogram duration;
    private final DoubleHistogram operationLatency;
    private final DoubleHistogram endOfTurnDelay;
    private final DoubleHistogram sttFinalDelay;
    private final DoubleHistogram agentFirstText;
    private final LongCounter agentTokens;
    private final Attributes inputTokens = Attributes.of(TOKEN_TYPE, "input");
    private final Attributes outputTokens = Attributes.of(TOKEN_TYPE, "output");
    private final DoubleHistogram ttsFirstAudio;
    private final DoubleHistogram userToAgentAudio;

    Telemetry(OpenTelemetry otel) {
        Meter meter = otel.getMeter(SCOPE);
        tracer = otel.getTracer(SCOPE);
        started = meter.counterBuilder("session.started.total").setDescription("Sessions started").build();
        stopped = meter.counterBuilder("session.stopped.total").setDescription("Sessions stopped").build();
        active = meter.upDownCounterBuilder("session.active").setDescription("Sessions running").build();
        errors = meter.counterBuilder("session.errors.total").setDescription("Errors reported by sessions").build();
        duration = meter.histogramBuilder("session.duration").setUnit("s").setDescription("Session lifetime").build();
        operationLatency = meter.histogramBuilder("session.operation.latency").setUnit("ms")
                .setDescription("Latency of provider operations").build();
        endOfTurnDelay = ms(meter, "session.turn.end_of_turn_delay", "User stopped speaking to turn committed");
        sttFinalDelay = ms(meter, "session.turn.stt_final_delay", "Turn committed to final transcript");
        agentTokens = meter.counterBuilder("session.agent.tokens")
                .setDescription("Tokens the agent's model calls were billed, by type").build();
        agentFirstText = ms(meter, "session.turn.agent_first_text", "Agent invoked to first reply text");
        ttsFirstAudio = ms(meter, "session.turn.tts_first_audio", "First text to synthesizer to first audio");
        userToAgentAudio = ms(meter, "session.turn.user_to_agent_audio",
                "User stopped speaking to first agent audio handed to the transport");
    }

    private static DoubleHistogram ms(Meter meter, String name, String description) {
        return meter.histogramBuilder(name).setUnit("ms").setDescription(description).build();
    }

    Span sessionSpan(String sessionId, String stt, String tts, Instant at) {
        return tracer.spanBuilder("voice.session")
                .setNoParent()
                .setStartTimestamp(at)
                .setAttribute(SESSION_ID, sessionId)
                .setAttribute(STT, stt)
                .setAttribute(TTS, tts)
                .startSpan();
    }

    Span turnSpan(Span session, String sessionId, long turnId, Instant at) {
        return tracer.spanBuilder("voice.turn")
                .setParent(Context.root().with(session))
                .setStartTimestamp(at)
                .setAttribute(SESSION_ID, sessionId)
                .setAttribute(TURN_ID, turnId)
                .startSpan();
    }

    void sessionStarted() {
        started.add(1);
        active.add(1);
    }

    void sessionStopped(Duration lifetime) {
        stopped.add(1);
        active.add(-1);
        duration.record(lifetime.toNanos() / 1e9);
    }

    void error(SessionException e) {
        errors.add(1, Attributes.of(ERROR_CODE, e.code().name()));
    }

    static void recordError(Span span, SessionException e) {
        span.recordException(e);
        span.setStatus(StatusCode.ERROR, e.code().name());
    }

    void operation(String operation, String provider, long nanos, boolean ok) {
        operationLatency.record(nanos / 1e6,
                Attributes.of(OPERATION, operation, PROVIDER, provider, OUTCOME, ok ? "ok" : "error"));
    }

    void tokens(int input, int output) {
        agentTokens.add(input, inputTokens);
        agentTokens.add(output, outputTokens);
    }

    void turn(TurnMetrics m) {
        record(endOfTurnDelay, m.endOfTurnDelay());
        record(sttFinalDelay, m.sttFinalDelay());
        record(agentFirstText, m.agentFirstText());
        record(ttsFirstAudio, m.ttsFirstAudio());
        record(userToAgentAudio, m.userToAgentAudio());
    }

    private static void record(DoubleHistogram h, Duration d) {
        if (d != null) {
            h.record(d.toNanos() / 1e6);
        }
    }
}
