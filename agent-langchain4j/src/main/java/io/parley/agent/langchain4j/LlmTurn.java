package io.parley.agent.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import io.opentelemetry.api.trace.Span;
import io.parley.audio.AudioClip;
import io.parley.session.AgentContext;
import io.parley.session.BackgroundHandle;
import io.parley.session.SessionException;
import io.parley.session.TextSink;
import io.parley.spi.ExpectedAnswer;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * One reply of an {@link LlmAgent}: model calls, streamed text, tool rounds, fillers, and what
 * the chat context gets when the reply completes, fails or is cut off.
 *
 * <p>Callbacks arrive on the HTTP client's threads, tool results on the tool executor, timers
 * on the clock, cancellation from the session: all state is guarded by this object's monitor.
 * Nothing here blocks; the model call and the tools run elsewhere.
 */
final class LlmTurn {

    static final ThreadLocal<ToolContext> CURRENT_TOOL = new ThreadLocal<>();

    /** A piece of the reply that reached the sink: model text (with its message) or a filler. */
    record Said(AiMessage message, String text) {
    }

    private final LlmAgent agent;
    private final AgentContext ctx;
    private final TextSink sink;
    private final String extraInstructions;
    private final Clock clock;
    private final List<ChatMessage> messages = new ArrayList<>();
    private final List<Said> said = new ArrayList<>();
    private final StringBuilder stepText = new StringBuilder();
    final String userText;

    private int step;
    private StreamingHandle handle;
    private boolean cancelled;
    private boolean finished;
    private boolean committed;
    private boolean streaming;
    private boolean wroteAny;
    private boolean lastWasSpace = true;
    private Span span;
    private long stepStartNanos;
    private boolean firstToken;
    private long lastEventNanos;
    private Clock.Cancellable watchdog;
    private Clock.Cancellable fillerTimer;
    private int fillers;
    private BackgroundHandle thinking;
    private final List<FutureTask<?>> tools = new ArrayList<>();
    private String endCallReason;

    LlmTurn(LlmAgent agent, AgentContext ctx, String userText, TextSink sink, String extraInstructions) {
        this.agent = agent;
        this.ctx = ctx;
        this.userText = userText;
        this.sink = sink;
        this.extraInstructions = extraInstructions;
        this.clock = agent.clock();
    }

    void start() {
        synchronized (this) {
            if (userText != null && !userText.isBlank()) {
                messages.add(UserMessage.from(userText));
            }
        }
        ctx.onCancel(this::cancel);
        request();
    }

    /** What was said in this reply, in order. */
    synchronized List<Said> said() {
        return List.copyOf(said);
    }

    synchronized boolean committed() {
        return committed;
    }

    // ------------------------------------------------------------ model calls

    private void request() {
        ChatRequest request;
        StepHandler handler;
        synchronized (this) {
            if (cancelled || finished) {
                return;
            }
            AgentProfile profile = agent.profile();
            List<ToolSpecification> specs = profile.specifications();
            ChatRequest.Builder b = ChatRequest.builder()
                    .messages(agent.chatContext().forRequest(extraInstructions, messages));
            if (!specs.isEmpty()) {
                b.toolSpecifications(specs).toolChoice(step >= agent.maxToolSteps() ? ToolChoice.NONE : ToolChoice.AUTO);
            }
            request = b.build();
            handler = new StepHandler(step);
            span = agent.telemetry().start(ctx.sessionId(), ctx.turnId(), step, profile.name());
            stepStartNanos = clock.nanoTime();
            lastEventNanos = stepStartNanos;
            firstToken = false;
            streaming = true;
            stepText.setLength(0);
            armWatchdog();
        }
        try {
            agent.model().chat(request, handler);
        } catch (RuntimeException e) {
            handler.onError(e);
        }
    }

    private final class StepHandler implements StreamingChatResponseHandler {
        private final int myStep;

        StepHandler(int myStep) {
            this.myStep = myStep;
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            text(myStep, partial.text(), context.streamingHandle());
        }

        @Override
        public void onPartialToolCall(PartialToolCall partial, PartialToolCallContext context) {
            event(myStep, context.streamingHandle());
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall call) {
            event(myStep, null);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            completed(myStep, response);
        }

        @Override
        public void onError(Throwable error) {
            failed(myStep, error);
        }
    }

    /** Records stream activity; returns false if the event is stale or unwanted. */
    private boolean event(int s, StreamingHandle h) {
        synchronized (this) {
            if (h != null && handle != h) {
                handle = h;
            }
            if (cancelled || finished || s != step || !streaming) {
                if (h != null && cancelled) {
                    h.cancel();
                }
                return false;
            }
            lastEventNanos = clock.nanoTime();
            if (!firstToken) {
                firstToken = true;
                agent.telemetry().firstToken(span, (lastEventNanos - stepStartNanos) / 1e6);
            }
            return true;
        }
    }

    private void text(int s, String text, StreamingHandle h) {
        if (text == null || text.isEmpty()) {
            event(s, h);
            return;
        }
        synchronized (this) {
            if (!event(s, h)) {
                return;
            }
            stepText.append(text);
            write(text);
        }
    }

    /** Writes to the sink, keeping separate pieces (model text, fillers) apart by a space. */
    private void write(String text) {
        sink.write(text);
        wroteAny = true;
        lastWasSpace = Character.isWhitespace(text.charAt(text.length() - 1));
    }

    private void completed(int s, ChatResponse response) {
        AiMessage ai = response.aiMessage();
        boolean tools;
        synchronized (this) {
            if (cancelled || finished || s != step) {
                return;
            }
            streaming = false;
            cancelTimer(watchdog);
            TokenUsage usage = response.tokenUsage();
            if (usage != null) {
                agent.telemetry().usage(span, usage.inputTokenCount(), usage.outputTokenCount());
                agent.addUsage(usage);
                ctx.recordUsage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
            }
            String finish = response.finishReason() == null ? "none" : response.finishReason().name();
            span.setAttribute(LlmTelemetry.FINISH, finish);
            boolean hasText = stepText.length() > 0 || (ai != null && ai.text() != null && !ai.text().isEmpty());
            tools = ai != null && ai.hasToolExecutionRequests() && step < agent.maxToolSteps();
            if (response.finishReason() == null && !hasText && !tools) {
                agent.telemetry().end(span, "error", null);
                fail(LlmException.of(new IllegalStateException(
                        "the model's stream ended without a finish reason or any output")));
                return;
            }
            agent.telemetry().end(span, "ok", null);
            String text = stepText.length() > 0 ? stepText.toString() : (ai == null || ai.text() == null ? "" : ai.text());
            if (stepText.length() == 0 && !text.isEmpty()) {
                // A model that does not stream partial text still gets its words spoken.
                write(text);
            }
            if (tools) {
                AiMessage withCalls = text.isEmpty() ? AiMessage.from(ai.toolExecutionRequests())
                        : AiMessage.from(text, ai.toolExecutionRequests());
                messages.add(withCalls);
                if (!text.isEmpty()) {
                    said.add(new Said(withCalls, text));
                }
                runTools(ai.toolExecutionRequests());
                return;
            }
            AiMessage reply = AiMessage.from(text);
            if (!text.isEmpty()) {
                messages.add(reply);
                said.add(new Said(reply, text));
            }
            finished = true;
            commit();
        }
        sink.complete();
        agent.replied(this, endCallReason);
    }

    private void failed(int s, Throwable error) {
        synchronized (this) {
            if (cancelled || finished || s != step) {
                return;
            }
            agent.telemetry().end(span, "error", error);
            fail(LlmException.of(error));
        }
    }

    /** Ends the turn with an error; what was said before it stays in the context. Holds the monitor. */
    private void fail(LlmException error) {
        streaming = false;
        finished = true;
        cancelTimer(watchdog);
        cancelTimer(fillerTimer);
        stopThinking();
        keepPartialText();
        commit();
        sink.fail(error);
        agent.failed(this);
    }

    // ------------------------------------------------------------ tools

    private void runTools(List<ToolExecutionRequest> calls) {
        AgentProfile profile = agent.profile();
        List<CompletableFuture<String>> results = new ArrayList<>(calls.size());
        ToolContext toolContext = new ToolContext() {
            @Override
            public String sessionId() {
                return ctx.sessionId();
            }

            @Override
            public long turnId() {
                return ctx.turnId();
            }

            @Override
            public void endCall(String reason) {
                synchronized (LlmTurn.this) {
                    endCallReason = reason == null ? "" : reason;
                }
            }

            @Override
            public void handoff(AgentProfile next) {
                agent.handoff(next);
            }

            @Override
            public void expect(ExpectedAnswer answer) {
                ctx.expect(answer);
            }
        };
        long timeout = agent.toolTimeout().toNanos();
        for (ToolExecutionRequest call : calls) {
            CompletableFuture<String> result = new CompletableFuture<>();
            AgentTool tool = profile.tool(call.name());
            FutureTask<Void> task = new FutureTask<>(() -> {
                if (tool == null) {
                    result.complete("Error: there is no tool named '" + call.name() + "'");
                    return;
                }
                CURRENT_TOOL.set(toolContext);
                try {
                    String out = tool.handler().execute(call, toolContext);
                    result.complete(out == null ? "" : out);
                } catch (Exception | LinkageError | AssertionError e) {
                    result.complete("Error: " + describe(e));
                } finally {
                    CURRENT_TOOL.remove();
                }
            }, null);
            tools.add(task);
            Clock.Cancellable timer = clock.schedule(() -> {
                if (result.complete("Error: the tool '" + call.name() + "' did not answer within "
                        + agent.toolTimeout().toMillis() + " ms")) {
                    task.cancel(true);
                }
            }, timeout, TimeUnit.NANOSECONDS);
            result.whenComplete((v, e) -> timer.cancel());
            results.add(result);
            agent.toolExecutor().execute(task);
        }
        armFiller();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            synchronized (this) {
                cancelTimer(fillerTimer);
                stopThinking();
                tools.clear();
                if (cancelled || finished) {
                    return;
                }
                for (int i = 0; i < calls.size(); i++) {
                    messages.add(ToolExecutionResultMessage.from(calls.get(i), results.get(i).join()));
                }
                step++;
            }
            request();
        });
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.lang.reflect.InvocationTargetException || t.getMessage() == null) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private void armFiller() {
        List<String> phrases = agent.fillerPhrases();
        AudioClip sound = agent.thinkingSound();
        if (phrases.isEmpty() && sound == null) {
            return;
        }
        fillerTimer = clock.schedule(() -> {
            synchronized (this) {
                if (cancelled || finished || tools.isEmpty()) {
                    return;
                }
                if (sound != null && startThinking(sound) || phrases.isEmpty()) {
                    return;
                }
                String phrase = phrases.get(fillers++ % phrases.size());
                String text = wroteAny && !lastWasSpace ? " " + phrase + " " : phrase + " ";
                said.add(new Said(null, text));
                write(text);
            }
        }, agent.fillerDelay().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts the thinking sound; false if this context cannot play one. Holds the monitor. */
    private boolean startThinking(AudioClip sound) {
        try {
            thinking = ctx.playBackground(sound, agent.thinkingOptions());
            return true;
        } catch (UnsupportedOperationException | SessionException e) {
            // No outbound audio here (a group member, a test context, a stopping session).
            return false;
        }
    }

    /** Holds the monitor. */
    private void stopThinking() {
        if (thinking != null) {
            thinking.stop();
            thinking = null;
        }
    }

    // ------------------------------------------------------------ stalls and cancellation

    private void armWatchdog() {
        long idle = agent.idleTimeout().toNanos();
        long due = lastEventNanos + idle - clock.nanoTime();
        watchdog = clock.schedule(this::checkStall, Math.max(due, 1), TimeUnit.NANOSECONDS);
    }

    private void checkStall() {
        StreamingHandle h;
        synchronized (this) {
            if (!streaming || cancelled || finished) {
                return;
            }
            long idle = agent.idleTimeout().toNanos();
            if (clock.nanoTime() - lastEventNanos < idle) {
                armWatchdog();
                return;
            }
            h = handle;
            LlmException e = LlmException.timeout("the model sent nothing for " + agent.idleTimeout().toMillis()
                    + " ms" + (firstToken ? " in the middle of its reply" : " after the request"));
            agent.telemetry().end(span, "timeout", e);
            fail(e);
        }
        if (h != null) {
            h.cancel();
        }
    }

    /** The session no longer wants the reply: barge-in, a newer turn, or a discarded preemptive reply. */
    void cancel() {
        StreamingHandle h;
        List<FutureTask<?>> running;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            h = handle;
            running = List.copyOf(tools);
            cancelTimer(watchdog);
            cancelTimer(fillerTimer);
            stopThinking();
            if (streaming) {
                agent.telemetry().end(span, "cancelled", null);
                streaming = false;
            }
            if (ctx.preemptive()) {
                // Answered an interim transcript the user did not end up saying.
                if (committed) {
                    agent.chatContext().rollback(messages);
                }
            } else if (!committed) {
                keepPartialText();
                commit();
            }
        }
        if (h != null) {
            h.cancel();
        }
        for (FutureTask<?> t : running) {
            t.cancel(true);
        }
    }

    /** The text streamed by the current step before it stopped, as an agent message. Holds the monitor. */
    private void keepPartialText() {
        if (stepText.length() > 0 && (said.isEmpty() || !said.get(said.size() - 1).text().contentEquals(stepText))) {
            AiMessage partial = AiMessage.from(stepText.toString());
            messages.add(partial);
            said.add(new Said(partial, stepText.toString()));
            stepText.setLength(0);
        }
    }

    private void commit() {
        if (!committed) {
            committed = true;
            agent.chatContext().commit(messages);
            agent.committed(this);
        }
    }

    private static int orZero(Integer n) {
        return n == null ? 0 : n;
    }

    private static void cancelTimer(Clock.Cancellable t) {
        if (t != null) {
            t.cancel();
        }
    }
}
