package io.parley.agent.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.parley.session.SessionConfig;
import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import io.parley.session.TurnMetrics;
import io.parley.session.VoiceSession;
import io.parley.spi.ConversationTurn;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Whole voice sessions with the LLM agent on the test kit, in virtual time. */
class LlmAgentSessionTest {

    private final VirtualClock clock = new VirtualClock();
    private final UserScript user = new UserScript();
    private final List<String> states = new ArrayList<>();
    private final List<TurnMetrics> metrics = new ArrayList<>();
    private FakeTts tts;

    private OpenTelemetry otel = OpenTelemetry.noop();

    private VoiceSession session(LlmAgent agent, SessionConfig.Builder config, UnaryOperator<String> reviseFinal) {
        tts = FakeTts.builder(clock).build();
        VoiceSession s = VoiceSession.builder()
                .openTelemetry(otel)
                .clock(clock)
                .config(config.sessionId("llm").build())
                .transport(InMemoryTransport.builder(clock).script(user).build())
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, user).reviseFinal(reviseFinal).build())
                .tts(tts)
                .streamingAgent(agent)
                .listener(new SessionListener() {
                    @Override
                    public void onStateChanged(StateChange c) {
                        states.add(c.from() + "->" + c.to() + "@"
                                + Duration.between(clock.instantAt(Duration.ZERO), c.at()).toMillis());
                    }

                    @Override
                    public void onTurnMetrics(TurnMetrics m) {
                        metrics.add(m);
                    }
                })
                .build();
        s.start();
        return s;
    }

    private static List<String> words(String text) {
        List<String> tokens = new ArrayList<>();
        String[] parts = text.split(" ");
        for (int i = 0; i < parts.length; i++) {
            tokens.add(i == 0 ? parts[i] : " " + parts[i]);
        }
        return tokens;
    }

    @Test
    void aFullTurnStreamsTheModelsTokensIntoTheSynthesizer() {
        ScriptedModel model = new ScriptedModel(clock, 200, 20, r -> words("It is noon."));
        LlmAgent agent = LlmAgent.builder().model(model).instructions("You tell the time.").clock(clock).build();
        user.say(500, 1000, "what time is it");
        VoiceSession session = session(agent, SessionConfig.builder(), t -> t);

        clock.advanceTo(Duration.ofSeconds(4));

        assertThat(states).contains("LISTENING->PROCESSING@2000").last().asString().startsWith("SPEAKING->LISTENING");
        assertThat(tts.streams()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("It is noon."));
        assertThat(session.history()).containsExactly(
                new ConversationTurn(ConversationTurn.Role.USER, "what time is it", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "It is noon.", false));
        // The model's first token is the agent's first text: the adapter adds no time.
        assertThat(metrics).singleElement().satisfies(m -> assertThat(m.agentFirstText()).isEqualTo(Duration.ofMillis(200)));
        assertThat(model.calls()).singleElement().satisfies(c -> assertThat(c.request().messages()).containsExactly(
                SystemMessage.from("You tell the time."), UserMessage.from("what time is it")));
        assertThat(agent.chatContext().messages()).containsExactly(
                UserMessage.from("what time is it"), AiMessage.from("It is noon."));
        assertThat(agent.usage().outputTokenCount()).isEqualTo(3);
        session.stop();
    }

    @Test
    void firstTokenLatencyAndTokenCountsReachMetricsAndSpans() {
        InMemoryMetricReader metrics = InMemoryMetricReader.create();
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .build();
        ScriptedModel model = new ScriptedModel(clock, 200, 20, r -> words("It is noon."));
        LlmAgent agent = LlmAgent.builder().model(model).clock(clock).openTelemetry(otel).build();
        user.say(500, 1000, "what time is it");
        VoiceSession session = session(agent, SessionConfig.builder(), t -> t);
        clock.advanceTo(Duration.ofSeconds(4));
        session.stop();

        Map<String, MetricData> byName = metrics.collectAllMetrics().stream()
                .collect(Collectors.toMap(MetricData::getName, m -> m));
        assertThat(byName.get("session.agent.tokens").getLongSumData().getPoints())
                .extracting(p -> p.getAttributes().get(AttributeKey.stringKey("token.type")), p -> p.getValue())
                .containsExactlyInAnyOrder(tuple("input", 30L), tuple("output", 3L));
        assertThat(byName.get("agent.llm.first_token").getHistogramData().getPoints()).singleElement()
                .satisfies(p -> assertThat(p.getSum()).isEqualTo(200.0));
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getName().equals("voice.turn")).singleElement()
                .satisfies(s -> {
                    assertThat(s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(30L);
                    assertThat(s.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(3L);
                });
        assertThat(spans.getFinishedSpanItems()).filteredOn(s -> s.getName().equals("llm.chat")).singleElement()
                .satisfies(s -> assertThat(s.getAttributes().get(AttributeKey.doubleKey("llm.first_token_ms")))
                        .isEqualTo(200.0));
    }

    @Test
    void afterABargeInTheModelSeesOnlyTheWordsTheUserHeard() {
        String story = "Once upon a time there was a little voice agent that loved to tell very long stories "
                + "about everything it had ever seen in the whole wide world.";
        ScriptedModel model = new ScriptedModel(clock, 200, 30,
                r -> r.messages().size() <= 2 ? words(story) : words("Sure, I will stop."));
        LlmAgent agent = LlmAgent.builder().model(model).instructions("Tell stories.").clock(clock).build();
        user.say(500, 1000, "tell me a story");
        user.say(4000, 1200, "okay stop please");
        VoiceSession session = session(agent, SessionConfig.builder(), t -> t);

        clock.advanceTo(Duration.ofSeconds(9));

        List<ConversationTurn> history = session.history();
        assertThat(history).extracting(ConversationTurn::role).containsExactly(ConversationTurn.Role.USER,
                ConversationTurn.Role.AGENT, ConversationTurn.Role.USER, ConversationTurn.Role.AGENT);
        ConversationTurn cut = history.get(1);
        assertThat(cut.interrupted()).isTrue();
        assertThat(cut.text()).isNotEmpty();
        assertThat(story).startsWith(cut.text());
        assertThat(cut.text().length()).isLessThan(story.length());
        // The second model call carries the interrupted reply exactly as heard.
        List<ChatMessage> second = model.calls().get(1).request().messages();
        assertThat(second).containsExactly(SystemMessage.from("Tell stories."), UserMessage.from("tell me a story"),
                AiMessage.from(cut.text()), UserMessage.from("okay stop please"));
        assertThat(agent.chatContext().messages()).containsExactly(UserMessage.from("tell me a story"),
                AiMessage.from(cut.text()), UserMessage.from("okay stop please"), AiMessage.from("Sure, I will stop."));
        session.stop();
    }

    @Test
    void aPreemptiveCallIsCancelledWhenTheFinalTranscriptDiffers() {
        ScriptedModel model = new ScriptedModel(clock, 600, 20, r -> words("Answer to "
                + ((UserMessage) r.messages().get(r.messages().size() - 1)).singleText()));
        LlmAgent agent = LlmAgent.builder().model(model).clock(clock).build();
        user.say(500, 1000, "what time is it now");
        VoiceSession session = session(agent, SessionConfig.builder().preemptiveGeneration(true),
                t -> "what is the weather like");

        clock.advanceTo(Duration.ofSeconds(5));

        assertThat(model.calls()).hasSize(2);
        assertThat(model.calls().get(0).handle().isCancelled()).isTrue();
        assertThat(model.calls().get(1).handle().isCancelled()).isFalse();
        assertThat(tts.streams()).singleElement().satisfies(s ->
                assertThat(s.text()).isEqualTo("Answer to what is the weather like"));
        assertThat(agent.chatContext().messages()).containsExactly(UserMessage.from("what is the weather like"),
                AiMessage.from("Answer to what is the weather like"));
        session.stop();
    }

    @Test
    void aKeptPreemptiveCallIsTheOnlyCall() {
        ScriptedModel model = new ScriptedModel(clock, 100, 20, r -> Arrays.asList("Hello", " there."));
        LlmAgent agent = LlmAgent.builder().model(model).clock(clock).build();
        user.say(500, 1000, "hello agent");
        VoiceSession session = session(agent, SessionConfig.builder().preemptiveGeneration(true), t -> t);

        clock.advanceTo(Duration.ofSeconds(5));

        assertThat(model.calls()).hasSize(1);
        assertThat(agent.chatContext().messages()).containsExactly(UserMessage.from("hello agent"),
                AiMessage.from("Hello there."));
        session.stop();
    }

    @Test
    void generateReplyLetsTheAgentSpeakFirstWithInstructionsThatAreNotKept() {
        ScriptedModel model = new ScriptedModel(clock, 100, 20, r -> words("Welcome to Parley!"));
        LlmAgent agent = LlmAgent.builder().model(model).instructions("You are a receptionist.").clock(clock).build();
        VoiceSession session = session(agent, SessionConfig.builder(), t -> t);

        session.generateReply("Greet the caller.");
        clock.advanceTo(Duration.ofSeconds(3));

        assertThat(tts.streams()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Welcome to Parley!"));
        assertThat(model.calls()).singleElement().satisfies(c -> assertThat(c.request().messages()).containsExactly(
                SystemMessage.from("You are a receptionist.\n\nGreet the caller.")));
        assertThat(agent.chatContext().messages()).containsExactly(AiMessage.from("Welcome to Parley!"));
        assertThat(agent.chatContext().instructions()).isEqualTo("You are a receptionist.");
        session.stop();
    }
}
