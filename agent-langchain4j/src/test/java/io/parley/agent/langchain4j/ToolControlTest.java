package io.parley.agent.langchain4j;

import static io.parley.agent.langchain4j.FakeOpenAi.sse;
import static io.parley.agent.langchain4j.FakeOpenAi.textEvents;
import static io.parley.agent.langchain4j.FakeOpenAi.toolCallEvents;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.parley.spi.ExpectedAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tools that end the call, hand off, time out; the context budget. Against the fake server. */
class ToolControlTest {

    private FakeOpenAi api;

    @BeforeEach
    void startServer() throws Exception {
        api = new FakeOpenAi();
    }

    @AfterEach
    void stopServer() throws Exception {
        api.close();
    }

    static final class Hangup {
        @Tool(name = "end_call", value = "Ends the call when the caller says goodbye")
        String endCall() {
            ToolContext.current().orElseThrow().endCall("caller said goodbye");
            return "the call will end after your reply";
        }
    }

    @Test
    void aToolEndsTheCallAfterTheReply() throws Exception {
        api.enqueue(sse(toolCallEvents("call_1", "end_call")));
        api.enqueue(sse(textEvents(30, "Goodbye!")));
        List<String> ended = new CopyOnWriteArrayList<>();
        LlmAgent agent = LlmAgent.builder().model(api.model(Duration.ofSeconds(5))).tools(new Hangup())
                .onEndCall((user, reason) -> ended.add(user + " / " + reason)).build();
        TestTurn turn = TestTurn.of("Bye now");

        agent.respond(turn, "Bye now", turn);

        assertThat(turn.await()).isEqualTo("Goodbye!");
        TestTurn.waitFor(() -> !ended.isEmpty(), Duration.ofSeconds(5));
        assertThat(ended).containsExactly("Bye now / caller said goodbye");
        assertThat(api.takeBody()).contains("\"name\" : \"end_call\"").contains("\"properties\" : { }");
    }

    static final class PhoneNumber {
        @Tool(name = "ask_for_phone_number", value = "Call before asking the caller for their phone number")
        String ask() {
            ToolContext.current().orElseThrow().expect(ExpectedAnswer.digits(10));
            return "the caller's answer will be heard as digits";
        }
    }

    @Test
    void aToolTellsTheSessionWhatTheReplyAsksFor() throws Exception {
        api.enqueue(sse(toolCallEvents("call_1", "ask_for_phone_number")));
        api.enqueue(sse(textEvents(30, "What's", " your", " phone", " number?")));
        LlmAgent agent = LlmAgent.builder().model(api.model(Duration.ofSeconds(5))).tools(new PhoneNumber()).build();
        TestTurn turn = TestTurn.of("Please call me back");

        agent.respond(turn, "Please call me back", turn);

        assertThat(turn.await()).isEqualTo("What's your phone number?");
        assertThat(turn.expected).containsExactly(ExpectedAnswer.digits(10));
    }

    @Test
    void aHandoffSwitchesInstructionsAndToolsWithinTheTurn() throws Exception {
        AgentProfile billing = AgentProfile.builder("billing").instructions("You handle invoices.")
                .tool(ToolSpecification.builder().name("refund").description("Refunds an invoice")
                        .parameters(JsonObjectSchema.builder().addStringProperty("invoice").required("invoice").build())
                        .build(), (call, ctx) -> "refunded")
                .build();
        AgentProfile reception = AgentProfile.builder("reception").instructions("You route callers.")
                .tool(ToolSpecification.builder().name("transfer_to_billing").description("Hands over to billing").build(),
                        (call, ctx) -> {
                            ctx.handoff(billing);
                            return "transferred to billing";
                        })
                .build();
        api.enqueue(sse(toolCallEvents("call_1", "transfer_to_billing")));
        api.enqueue(sse(textEvents(30, "Billing", " here,", " how", " can", " I", " help?")));
        LlmAgent agent = LlmAgent.builder().model(api.model(Duration.ofSeconds(5))).profile(reception).build();
        TestTurn turn = TestTurn.of("I need a refund");

        agent.respond(turn, "I need a refund", turn);

        assertThat(turn.await()).isEqualTo("Billing here, how can I help?");
        String first = api.takeBody();
        assertThat(first).contains("You route callers.").contains("transfer_to_billing").doesNotContain("\"refund\"");
        String second = api.takeBody();
        assertThat(second).contains("You handle invoices.").contains("\"name\" : \"refund\"")
                .doesNotContain("You route callers.").contains("transferred to billing");
        assertThat(agent.profile().name()).isEqualTo("billing");
        assertThat(agent.chatContext().instructions()).isEqualTo("You handle invoices.");
    }

    @Test
    void aToolThatTakesTooLongIsReportedToTheModelAsTimedOut() throws Exception {
        ToolSpecification slow = ToolSpecification.builder().name("slow_lookup").description("Never answers").build();
        api.enqueue(sse(toolCallEvents("call_1", "slow_lookup")));
        api.enqueue(sse(textEvents(30, "That", " took", " too", " long.")));
        LlmAgent agent = LlmAgent.builder().model(api.model(Duration.ofSeconds(5)))
                .tool(slow, (call, ctx) -> {
                    Thread.sleep(30_000);
                    return "never";
                })
                .toolTimeout(Duration.ofMillis(200)).filler(Duration.ofSeconds(5), "Hold on.").build();
        TestTurn turn = TestTurn.of("Look it up");

        agent.respond(turn, "Look it up", turn);

        assertThat(turn.await()).isEqualTo("That took too long.");
        api.takeBody();
        assertThat(api.takeBody()).contains("did not answer within 200 ms");
    }

    @Test
    void theBudgetSummarizesTheOldestTurnsAfterAReply() throws Exception {
        List<List<ChatMessage>> summarized = new ArrayList<>();
        LlmAgent agent = LlmAgent.builder().model(api.model(Duration.ofSeconds(5)))
                .budget(ContextBudget.turns(2).withSummarizer((previous, dropped) -> {
                    summarized.add(dropped);
                    return (previous.isEmpty() ? "" : previous + " ") + "The user greeted the agent.";
                }))
                .build();
        for (String said : List.of("Hello", "How are you", "Tell me a joke")) {
            api.enqueue(sse(textEvents(10, "Reply", " to", " " + said)));
            TestTurn turn = TestTurn.of(said);
            agent.respond(turn, said, turn);
            turn.await();
            api.takeBody();
        }
        TestTurn.waitFor(() -> agent.chatContext().userTurns() == 2, Duration.ofSeconds(5));

        assertThat(summarized).singleElement().isEqualTo(List.of(UserMessage.from("Hello"), AiMessage.from("Reply to Hello")));
        assertThat(agent.chatContext().summary()).isEqualTo("The user greeted the agent.");
        api.enqueue(sse(textEvents(10, "Fine.")));
        TestTurn next = TestTurn.of("And now?");
        agent.respond(next, "And now?", next);
        next.await();
        assertThat(api.takeBody()).contains("Summary of the earlier conversation: The user greeted the agent.")
                .doesNotContain("Reply to Hello");
    }
}
