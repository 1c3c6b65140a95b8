package io.parley.agent.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A streaming model that answers in virtual time: the first token after {@code firstToken} ms,
 * the others {@code interval} ms apart, each reply chosen from the request. Honours
 * cancellation like LangChain4j's HTTP models: no callbacks after {@link StreamingHandle#cancel()}.
 */
final class ScriptedModel implements StreamingChatModel {

    /** One model call as it was made. */
    record Call(ChatRequest request, Handle handle) {
    }

    private final Clock clock;
    private final long firstToken;
    private final long interval;
    private final Function<ChatRequest, List<String>> reply;
    private final List<Call> calls = new ArrayList<>();
    private String firstTool;

    ScriptedModel(Clock clock, long firstTokenMillis, long intervalMillis, Function<ChatRequest, List<String>> reply) {
        this.clock = clock;
        this.firstToken = firstTokenMillis;
        this.interval = intervalMillis;
        this.reply = reply;
    }

    /** Makes the first step of every reply call {@code toolName} (with no arguments) instead of answering. */
    ScriptedModel callsTool(String toolName) {
        this.firstTool = toolName;
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        Handle handle = new Handle();
        synchronized (this) {
            calls.add(new Call(request, handle));
        }
        if (firstTool != null && !(request.messages().get(request.messages().size() - 1)
                instanceof ToolExecutionResultMessage)) {
            ToolExecutionRequest call = ToolExecutionRequest.builder().id("call_1").name(firstTool).arguments("{}").build();
            clock.schedule(() -> {
                if (!handle.isCancelled()) {
                    handler.onCompleteResponse(ChatResponse.builder()
                            .aiMessage(AiMessage.from(List.of(call)))
                            .tokenUsage(new TokenUsage(30, 5))
                            .finishReason(FinishReason.TOOL_EXECUTION)
                            .build());
                }
            }, firstToken, TimeUnit.MILLISECONDS);
            return;
        }
        List<String> tokens = reply.apply(request);
        PartialResponseContext context = new PartialResponseContext(handle);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            clock.schedule(() -> {
                if (!handle.isCancelled()) {
                    handler.onPartialResponse(new PartialResponse(token), context);
                }
            }, firstToken + i * interval, TimeUnit.MILLISECONDS);
        }
        clock.schedule(() -> {
            if (!handle.isCancelled()) {
                handler.onCompleteResponse(ChatResponse.builder()
                        .aiMessage(AiMessage.from(String.join("", tokens)))
                        .tokenUsage(new TokenUsage(30, tokens.size()))
                        .finishReason(FinishReason.STOP)
                        .build());
            }
        }, firstToken + Math.max(0, tokens.size() - 1) * interval, TimeUnit.MILLISECONDS);
    }

    static final class Handle implements StreamingHandle {
        private volatile boolean cancelled;

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
