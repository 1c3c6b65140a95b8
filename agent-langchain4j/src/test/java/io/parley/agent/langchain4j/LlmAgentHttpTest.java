package io.parley.agent.langchain4j;

import static io.parley.agent.langchain4j.FakeOpenAi.chunk;
import static io.parley.agent.langchain4j.FakeOpenAi.sse;
import static io.parley.agent.langchain4j.FakeOpenAi.textEvents;
import static io.parley.agent.langchain4j.FakeOpenAi.toolCallEvents;
import static io.parley.agent.langchain4j.TestTurn.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent against a protocol-exact OpenAI-compatible server, through LangChain4j's own OpenAI model. */
class LlmAgentHttpTest {

    private FakeOpenAi api;

    @BeforeEach
    void startServer() throws Exception {
        api = new FakeOpenAi();
    }

    @AfterEach
    void stopServer() throws Exception {
        api.close();
    }

    private LlmAgent.Builder agent() {
        return LlmAgent.builder().model(api.model(Duration.ofSeconds(5))).instructions("Be brief.");
    }

    @Test
    void tokensReachTheSinkBeforeTheStreamEnds() throws Exception {
        List<String> events = textEvents(21, "It", " is", " sunny", " in", " Oslo", ".");
        // One event per 150 ms: the stream takes about a second.
        api.enqueue(sse(events).throttleBody(events.get(1).length() + 8, 150, TimeUnit.MILLISECONDS));
        LlmAgent agent = agent().build();
        TestTurn turn = TestTurn.of("Weather in Oslo?");

        agent.respond(turn, "Weather in Oslo?", turn);

        waitFor(() -> !turn.text().isEmpty(), Duration.ofSeconds(5));
        assertThat(turn.done).isNotDone();
        assertThat(turn.await()).isEqualTo("It is sunny in Oslo.");
        assertThat(turn.chunks).hasSizeGreaterThan(3);
        String body = api.takeBody();
        assertThat(body).contains("\"stream\" : true").contains("\"include_usage\" : true")
                .contains("Be brief.").contains("Weather in Oslo?");
        assertThat(agent.usage().inputTokenCount()).isEqualTo(21);
        assertThat(agent.usage().outputTokenCount()).isEqualTo(6);
        assertThat(agent.chatContext().messages()).containsExactly(
                UserMessage.from("Weather in Oslo?"), AiMessage.from("It is sunny in Oslo."));
    }

    /** A weather tool that blocks until the test lets it answer. */
    static final class Weather {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> cities = new ArrayList<>();

        @Tool(name = "get_weather", value = "Current weather in a city")
        String weather(@P("the city") String city) throws InterruptedException {
            synchronized (cities) {
                cities.add(city);
            }
            if (!release.await(10, TimeUnit.SECONDS)) {
                return "unknown";
            }
            return "sunny, 21 degrees";
        }
    }

    @Test
    void twoStepToolCallSpeaksAFillerWhileTheToolIsSlow() throws Exception {
        api.enqueue(sse(toolCallEvents("call_1", "get_weather", "{\"", "city", "\":\"", "Ed", "inburgh", "\"}")));
        api.enqueue(sse(textEvents(60, "Sunny", " and", " 21", " degrees", ".")));
        Weather weather = new Weather();
        LlmAgent agent = agent().tools(weather).filler(Duration.ofMillis(100), "Let me check.").build();
        TestTurn turn = TestTurn.of("Weather in Edinburgh?");

        agent.respond(turn, "Weather in Edinburgh?", turn);

        waitFor(() -> turn.text().contains("Let me check."), Duration.ofSeconds(5));
        assertThat(weather.cities).containsExactly("Edinburgh");
        weather.release.countDown();
        assertThat(turn.await()).isEqualTo("Let me check. Sunny and 21 degrees.");

        String first = api.takeBody();
        assertThat(first).contains("\"name\" : \"get_weather\"").contains("\"tool_choice\" : \"auto\"");
        String second = api.takeBody();
        assertThat(second).contains("\"tool_call_id\" : \"call_1\"").contains("sunny, 21 degrees")
                .contains("\"id\" : \"call_1\"").contains("{\\\"city\\\":\\\"Edinburgh\\\"}");
        List<ChatMessage> messages = agent.chatContext().messages();
        assertThat(messages).hasSize(4);
        assertThat(messages.get(1)).isInstanceOfSatisfying(AiMessage.class, ai -> {
            assertThat(ai.toolExecutionRequests()).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo("call_1");
                assertThat(r.name()).isEqualTo("get_weather");
            });
        });
        assertThat(messages.get(2)).isInstanceOfSatisfying(ToolExecutionResultMessage.class,
                r -> assertThat(r.text()).isEqualTo("sunny, 21 degrees"));
        assertThat(messages.get(3)).isEqualTo(AiMessage.from("Sunny and 21 degrees."));
    }

    static final class Broken {
        @Tool(name = "lookup", value = "Looks up an order")
        String lookup(String order) {
            throw new IllegalStateException("order database unreachable");
        }
    }

    @Test
    void aToolErrorGoesToTheModelNotTheSession() throws Exception {
        api.enqueue(sse(toolCallEvents("call_9", "lookup", "{\"order\":\"A1\"}")));
        api.enqueue(sse(textEvents(50, "Sorry,", " I", " cannot", " check", " that", " now.")));
        LlmAgent agent = agent().tools(new Broken()).build();
        TestTurn turn = TestTurn.of("Where is order A1?");

        agent.respond(turn, "Where is order A1?", turn);

        assertThat(turn.await()).isEqualTo("Sorry, I cannot check that now.");
        api.takeBody();
        assertThat(api.takeBody()).contains("order database unreachable");
    }

    @Test
    void theLastAllowedStepMustAnswerWithoutTools() throws Exception {
        api.enqueue(sse(toolCallEvents("call_1", "lookup", "{\"order\":\"A1\"}")));
        api.enqueue(sse(textEvents(50, "Done.")));
        LlmAgent agent = agent().tools(new Broken()).maxToolSteps(1).build();
        TestTurn turn = TestTurn.of("Check A1");

        agent.respond(turn, "Check A1", turn);

        assertThat(turn.await()).isEqualTo("Done.");
        assertThat(api.takeBody()).contains("\"tool_choice\" : \"auto\"");
        assertThat(api.takeBody()).contains("\"tool_choice\" : \"none\"");
    }

    @Test
    void bargeInClosesTheHttpStreamAndNothingMoreIsWritten() throws Exception {
        List<String> events = new ArrayList<>(List.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)));
        for (int i = 0; i < 200; i++) {
            events.add(chunk("{\"content\":\" word" + i + "\"}", null));
        }
        events.add(chunk("{}", "stop"));
        api.enqueue(sse(events).throttleBody(events.get(1).length() + 8, 50, TimeUnit.MILLISECONDS));
        LlmAgent agent = agent().build();
        TestTurn turn = TestTurn.of("Tell me a long story");

        agent.respond(turn, "Tell me a long story", turn);
        waitFor(() -> turn.text().contains("word1 "), Duration.ofSeconds(5));
        turn.cancel();

        waitFor(() -> api.brokenWrites.get() > 0, Duration.ofSeconds(5));
        assertThat(turn.done).isNotDone();
        assertThat(turn.writesAfterCancel()).isZero();
        // The user turn and the words streamed before the barge-in stay in the context.
        assertThat(agent.chatContext().messages()).hasSize(2).first().isEqualTo(UserMessage.from("Tell me a long story"));
    }

    @Test
    void httpErrorsBecomeTypedFailuresAfterOneRequest() throws Exception {
        record Case(int status, String type, LlmException.Reason reason) {
        }
        for (Case c : List.of(new Case(401, "invalid_request_error", LlmException.Reason.AUTHENTICATION),
                new Case(429, "rate_limit_exceeded", LlmException.Reason.RATE_LIMITED),
                new Case(500, "server_error", LlmException.Reason.SERVER_ERROR))) {
            api.enqueue(FakeOpenAi.error(c.status(), c.type(), null, "failure " + c.status()));
            LlmAgent agent = agent().build();
            TestTurn turn = TestTurn.of("Hello");

            agent.respond(turn, "Hello", turn);

            assertThatThrownBy(turn::await).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOfSatisfying(LlmException.class, e -> {
                        assertThat(e.reason()).isEqualTo(c.reason());
                        assertThat(e.statusCode()).isEqualTo(c.status());
                        assertThat(e.getMessage()).contains("failure " + c.status());
                    });
            api.takeBody();
            // The user's words stay in the context for the next attempt.
            assertThat(agent.chatContext().messages()).containsExactly(UserMessage.from("Hello"));
        }
        assertThat(api.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void aStalledStreamFailsAsATimeout() throws Exception {
        List<String> events = textEvents(10, "Well,", " let", " me", " think", " about", " that", " for", " a", " while");
        String head = "data: " + events.get(0) + "\n\n" + "data: " + events.get(1) + "\n\n"
                + "data: " + events.get(2) + "\n\n";
        // The first three events, then nothing for three seconds.
        api.enqueue(sse(events).throttleBody(head.length(), 3, TimeUnit.SECONDS));
        LlmAgent agent = agent().idleTimeout(Duration.ofMillis(400)).build();
        TestTurn turn = TestTurn.of("Hmm?");

        agent.respond(turn, "Hmm?", turn);

        assertThatThrownBy(turn::await).cause().isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.reason()).isEqualTo(LlmException.Reason.TIMEOUT));
        assertThat(turn.done.isCompletedExceptionally()).isTrue();
    }

    @Test
    void aSlowFirstTokenIsAlsoATimeout() throws Exception {
        api.enqueue(sse(textEvents(10, "Late.")).setHeadersDelay(3, TimeUnit.SECONDS));
        LlmAgent agent = agent().idleTimeout(Duration.ofMillis(300)).build();
        TestTurn turn = TestTurn.of("Hi");

        agent.respond(turn, "Hi", turn);

        assertThatThrownBy(turn::await).cause().isInstanceOfSatisfying(LlmException.class,
                e -> assertThat(e.reason()).isEqualTo(LlmException.Reason.TIMEOUT));
    }

    @Test
    void anErrorObjectInsideA200StreamIsAFailureNotAnEmptyReply() throws Exception {
        api.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
                .setBody("data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
        LlmAgent agent = agent().build();
        TestTurn turn = TestTurn.of("Hi");

        agent.respond(turn, "Hi", turn);

        assertThatThrownBy(turn::await).cause().isInstanceOf(LlmException.class);
    }
}
