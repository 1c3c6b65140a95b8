package io.parley.agent.langchain4j;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/** The agent's instruments: one span per model call, first-token latency and token counts. */
final class LlmTelemetry {

    static final String SCOPE = "io.parley.agent.langchain4j";
    static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("session.id");
    static final AttributeKey<Long> TURN_ID = AttributeKey.longKey("turn.id");
    static final AttributeKey<Long> STEP = AttributeKey.longKey("llm.step");
    static final AttributeKey<String> PROFILE = AttributeKey.stringKey("llm.agent");
    static final AttributeKey<Double> FIRST_TOKEN = AttributeKey.doubleKey("llm.first_token_ms");
    static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    static final AttributeKey<String> FINISH = AttributeKey.stringKey("llm.finish_reason");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("token.type");

    private final Tracer tracer;
    private final DoubleHistogram firstToken;
    private final LongCounter tokens;
    private final LongCounter calls;
    private final Attributes inputType = Attributes.of(TOKEN_TYPE, "input");
    private final Attributes outputType = Attributes.of(TOKEN_TYPE, "output");

    LlmTelemetry(OpenTelemetry otel) {
        var meter = otel.getMeter(SCOPE);
        tracer = otel.getTracer(SCOPE);
        firstToken = meter.histogramBuilder("agent.llm.first_token").setUnit("ms")
                .setDescription("Model call sent to first streamed token").build();
        tokens = meter.counterBuilder("agent.llm.tokens").setDescription("Tokens billed, by type").build();
        calls = meter.counterBuilder("agent.llm.calls").setDescription("Model calls, by outcome").build();
    }

    Span start(String sessionId, long turnId, int step, String profile) {
        return tracer.spanBuilder("llm.chat")
                .setAttribute(SESSION_ID, sessionId)
                .setAttribute(TURN_ID, turnId)
                .setAttribute(STEP, (long) step)
                .setAttribute(PROFILE, profile)
                .startSpan();
    }

    void firstToken(Span span, double ms) {
        firstToken.record(ms);
        span.setAttribute(FIRST_TOKEN, ms);
    }

    void usage(Span span, Integer input, Integer output) {
        if (input != null) {
            tokens.add(input, inputType);
            span.setAttribute(INPUT_TOKENS, (long) input);
        }
        if (output != null) {
            tokens.add(output, outputType);
            span.setAttribute(OUTPUT_TOKENS, (long) output);
        }
    }

    void end(Span span, String outcome, Throwable error) {
        calls.add(1, Attributes.of(OUTCOME, outcome));
        span.setAttribute(OUTCOME, outcome);
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, outcome);
        }
        span.end();
    }
}
