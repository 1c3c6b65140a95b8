package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    @Test
    void sessionAndTurnMetricsAndSpansAreEmittedWithTheSessionIdOnSpansOnly() {
        InMemoryMetricReader metrics = InMemoryMetricReader.create();
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build();
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.extra = b -> b.openTelemetry(otel);
        h.build().start();
        h.tts.failOpens(1, ErrorCode.PROVIDER_CONNECTION);
        h.advanceTo(6000);
        h.tts.failOpens(1, ErrorCode.PROVIDER_AUTH);
        h.session.say("this will not be heard");
        h.advanceTo(8000);
        h.session.stop();

        Map<String, MetricData> byName = metrics.collectAllMetrics().stream()
                .collect(Collectors.toMap(MetricData::getName, m -> m));
        assertThat(byName).containsKeys("session.started.total", "session.stopped.total", "session.active",
                "session.errors.total", "session.duration", "session.operation.latency",
                "session.turn.end_of_turn_delay", "session.turn.stt_final_delay", "session.turn.agent_first_text",
                "session.turn.tts_first_audio", "session.turn.user_to_agent_audio");
        assertThat(byName.get("session.started.total").getLongSumData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getValue()).isEqualTo(1));
        assertThat(byName.get("session.active").getLongSumData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getValue()).isZero());
        assertThat(byName.get("session.errors.total").getLongSumData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getAttributes().get(AttributeKey.stringKey("error.code"))).isEqualTo("PROVIDER_AUTH"));
        assertThat(byName.get("session.turn.end_of_turn_delay").getHistogramData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getSum()).isEqualTo(500.0));
        for (MetricData m : byName.values()) {
            assertThat(m.getData().getPoints()).allSatisfy(p ->
                    assertThat(p.getAttributes().get(AttributeKey.stringKey("session.id"))).isNull());
        }

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName).contains("voice.session", "voice.turn");
        assertThat(finished).allSatisfy(s ->
                assertThat(s.getAttributes().get(AttributeKey.stringKey("session.id"))).isEqualTo("test"));
        SpanData session = finished.stream().filter(s -> s.getName().equals("voice.session")).findFirst().orElseThrow();
        assertThat(session.getAttributes().get(AttributeKey.stringKey("provider.stt"))).isEqualTo("fake-stt");
        assertThat(session.getEvents()).extracting(e -> e.getName()).contains("state.listening", "state.processing", "state.speaking");
        SpanData turn = finished.stream().filter(s -> s.getName().equals("voice.turn")).findFirst().orElseThrow();
        assertThat(turn.getParentSpanId()).isEqualTo(session.getSpanId());
    }
}
