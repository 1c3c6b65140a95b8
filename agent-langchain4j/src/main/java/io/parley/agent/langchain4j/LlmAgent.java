package io.parley.agent.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.opentelemetry.api.OpenTelemetry;
import io.parley.audio.AudioClip;
import io.parley.session.AgentContext;
import io.parley.session.BackgroundOptions;
import io.parley.session.StreamingAgent;
import io.parley.session.TextSink;
import io.parley.spi.ConversationTurn;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StreamingAgent} backed by any LangChain4j {@link StreamingChatModel}: tokens go to
 * the session's synthesizer as they arrive, a barge-in cancels the model call, tools run off the
 * audio path, and the {@link ChatContext} remembers the conversation as the user heard it.
 *
 * <pre>{@code
 * LlmAgent agent = LlmAgent.builder()
 *         .model(OpenAiStreamingChatModel.builder().apiKey(key).modelName("gpt-4o-mini").build())
 *         .instructions("You are a friendly receptionist. Answer in one or two sentences.")
 *         .tools(new CalendarTools())
 *         .build();
 * VoiceSession session = VoiceSession.builder().streamingAgent(agent) ... .build();
 * }</pre>
 *
 * <p>One agent serves one session at a time: it holds that conversation's context.
 * Thread-safe.
 */
public final class LlmAgent implements StreamingAgent {

    private static final Logger log = LoggerFactory.getLogger(LlmAgent.class);
    private static final ExecutorService SHARED_TOOLS = Executors.newCachedThreadPool(new ToolThreads());

    private final StreamingChatModel model;
    private final ChatContext context;
    private final int maxToolSteps;
    private final Duration toolTimeout;
    private final Duration idleTimeout;
    private final Duration fillerDelay;
    private final List<String> fillerPhrases;
    private final AudioClip thinkingSound;
    private final BackgroundOptions thinkingOptions;
    private final BiConsumer<String, String> onEndCall;
    private final Clock clock;
    private final Executor toolExecutor;
    private final LlmTelemetry telemetry;
    private volatile AgentProfile profile;
    private LlmTurn lastTurn;
    private TokenUsage usage = new TokenUsage(0, 0, 0);

    private LlmAgent(Builder b) {
        this.model = b.model;
        this.profile = b.profile();
        this.context = new ChatContext(profile.instructions(), b.budget);
        this.maxToolSteps = b.maxToolSteps;
        this.toolTimeout = b.toolTimeout;
        this.idleTimeout = b.idleTimeout;
        this.fillerDelay = b.fillerDelay;
        this.fillerPhrases = List.copyOf(b.fillerPhrases);
        this.thinkingSound = b.thinkingSound;
        this.thinkingOptions = b.thinkingOptions;
        this.onEndCall = b.onEndCall;
        this.clock = b.clock;
        this.toolExecutor = b.toolExecutor;
        this.telemetry = new LlmTelemetry(b.openTelemetry);
    }

    /** A builder; a model is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Answers {@code transcript}. The context's {@link AgentContext#instructions() instructions}
     * (from {@code VoiceSession.generateReply}) steer this reply only and are not kept; a blank
     * transcript (a reply the agent starts) adds no user message.
     */
    @Override
    public void respond(AgentContext ctx, String transcript, TextSink sink) {
        reconcile(ctx.history(), ctx.preemptive());
        new LlmTurn(this, ctx, transcript, sink, ctx.instructions()).start();
    }

    /** The conversation as the model sees it; readable and editable. */
    public ChatContext chatContext() {
        return context;
    }

    /** The profile in charge now (it changes on a handoff). */
    public AgentProfile profile() {
        return profile;
    }

    /** Tokens billed by all model calls so far. */
    public synchronized TokenUsage usage() {
        return usage;
    }

    /**
     * Hands the conversation to {@code next}: its instructions replace the context's, its tools
     * replace the current ones, from the next model call on.
     */
    public void handoff(AgentProfile next) {
        Args.notNull(next, "next");
        AgentProfile from = profile;
        profile = next;
        context.setInstructions(next.instructions());
        log.info("agent handoff {} -> {}", from.name(), next.name());
    }

    // ------------------------------------------------------------ the reply's view of the agent

    StreamingChatModel model() {
        return model;
    }

    int maxToolSteps() {
        return maxToolSteps;
    }

    Duration toolTimeout() {
        return toolTimeout;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration fillerDelay() {
        return fillerDelay;
    }

    List<String> fillerPhrases() {
        return fillerPhrases;
    }

    /** The clip mixed in while tools run past the filler delay, or null for filler phrases. */
    AudioClip thinkingSound() {
        return thinkingSound;
    }

    BackgroundOptions thinkingOptions() {
        return thinkingOptions;
    }

    Clock clock() {
        return clock;
    }

    Executor toolExecutor() {
        return toolExecutor;
    }

    LlmTelemetry telemetry() {
        return telemetry;
    }

    synchronized void addUsage(TokenUsage more) {
        usage = usage.add(more);
    }

    synchronized void committed(LlmTurn turn) {
        lastTurn = turn;
    }

    void replied(LlmTurn turn, String endCallReason) {
        toolExecutor.execute(() -> {
            try {
                context.enforceBudget();
            } catch (RuntimeException e) {
                log.warn("chat context budget not enforced: {}", e.getMessage(), e);
            }
        });
        if (endCallReason != null && onEndCall != null) {
            onEndCall.accept(turn.userText == null ? "" : turn.userText, endCallReason);
        }
    }

    void failed(LlmTurn turn) {
        log.debug("reply to '{}' failed", turn.userText);
    }

    /**
     * Cuts the previous reply in the context to what the session says the user heard: the
     * agent turns after the user turn it answered, interrupted or not spoken at all.
     */
    private void reconcile(List<ConversationTurn> history, boolean preemptive) {
        LlmTurn turn;
        synchronized (this) {
            turn = lastTurn;
        }
        if (turn == null || !turn.committed() || turn.userText == null) {
            return;
        }
        int end = history.size();
        if (!preemptive && end > 0 && history.get(end - 1).role() == ConversationTurn.Role.USER) {
            end--;
        }
        int userIndex = -1;
        for (int i = end - 1; i >= 0; i--) {
            if (history.get(i).role() == ConversationTurn.Role.USER) {
                userIndex = i;
                break;
            }
        }
        if (userIndex < 0 || !history.get(userIndex).text().equals(turn.userText.trim())) {
            return;
        }
        StringBuilder heard = new StringBuilder();
        boolean interrupted = false;
        for (int i = userIndex + 1; i < end; i++) {
            ConversationTurn t = history.get(i);
            if (heard.length() > 0) {
                heard.append(' ');
            }
            heard.append(t.text());
            interrupted |= t.interrupted();
        }
        if (heard.length() > 0 && !interrupted) {
            return;
        }
        cutTo(turn, heard.length());
        synchronized (this) {
            if (lastTurn == turn) {
                lastTurn = null;
            }
        }
    }

    /** Keeps the first {@code heardChars} characters of what {@code turn} said, cut at a word. */
    private void cutTo(LlmTurn turn, int heardChars) {
        int left = heardChars;
        for (LlmTurn.Said s : turn.said()) {
            String text = s.text().strip();
            String kept;
            if (left >= text.length()) {
                kept = text;
                left -= text.length() + 1;
            } else {
                kept = wordPrefix(text, Math.max(left, 0));
                left = 0;
            }
            if (s.message() == null || kept.equals(text)) {
                continue;
            }
            AiMessage old = s.message();
            AiMessage replacement;
            if (old.hasToolExecutionRequests()) {
                replacement = kept.isEmpty() ? AiMessage.from(old.toolExecutionRequests())
                        : AiMessage.from(kept, old.toolExecutionRequests());
            } else {
                replacement = kept.isEmpty() ? null : AiMessage.from(kept);
            }
            context.replace(old, replacement);
        }
    }

    private static String wordPrefix(String text, int chars) {
        if (chars >= text.length()) {
            return text;
        }
        int end = chars;
        while (end > 0 && !Character.isWhitespace(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end).strip();
    }

    /** Builds an {@link LlmAgent}. */
    public static final class Builder {
        private StreamingChatModel model;
        private AgentProfile profile;
        private final AgentProfile.Builder assistant = AgentProfile.builder("assistant");
        private ContextBudget budget = ContextBudget.UNLIMITED;
        private int maxToolSteps = 3;
        private Duration toolTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(15);
        private Duration fillerDelay = Duration.ofMillis(1500);
        private List<String> fillerPhrases = List.of("One moment.", "Still checking.");
        private AudioClip thinkingSound;
        private BackgroundOptions thinkingOptions = BackgroundOptions.DEFAULT;
        private BiConsumer<String, String> onEndCall;
        private Clock clock = Clock.system();
        private Executor toolExecutor = SHARED_TOOLS;
        private OpenTelemetry openTelemetry = OpenTelemetry.noop();

        private Builder() {
        }

        /** The model; any LangChain4j streaming chat model (OpenAI, Anthropic, Ollama, ...). Required. */
        public Builder model(StreamingChatModel model) {
            this.model = Args.notNull(model, "model");
            return this;
        }

        /** System instructions [empty]; ignored if a {@link #profile(AgentProfile)} is given. */
        public Builder instructions(String instructions) {
            assistant.instructions(instructions);
            return this;
        }

        /** Adds the {@code @Tool} methods of each object; ignored if a profile is given. */
        public Builder tools(Object... toolboxes) {
            assistant.tools(toolboxes);
            return this;
        }

        /** Adds a tool by specification and handler; ignored if a profile is given. */
        public Builder tool(ToolSpecification specification, ToolHandler handler) {
            assistant.tool(specification, handler);
            return this;
        }

        /** The starting profile: instructions and tools together, for agents that hand off. */
        public Builder profile(AgentProfile profile) {
            this.profile = Args.notNull(profile, "profile");
            return this;
        }

        /** How much conversation to keep [unlimited]. */
        public Builder budget(ContextBudget budget) {
            this.budget = Args.notNull(budget, "budget");
            return this;
        }

        /** Tool rounds per reply before the model must answer without tools [3]. */
        public Builder maxToolSteps(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("maxToolSteps must not be negative, was " + steps);
            }
            this.maxToolSteps = steps;
            return this;
        }

        /** How long a tool may run before the model is told it timed out [10 s]. */
        public Builder toolTimeout(Duration timeout) {
            this.toolTimeout = positive(timeout, "toolTimeout");
            return this;
        }

        /** How long the model may send nothing, before or during its reply, before the reply fails [15 s]. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive(timeout, "idleTimeout");
            return this;
        }

        /**
         * What to say while tools run longer than {@code delay} ["One moment." after 1.5 s];
         * phrases are used in turn. No phrases: stay silent.
         */
        public Builder filler(Duration delay, String... phrases) {
            this.fillerDelay = positive(delay, "filler delay");
            for (String p : phrases) {
                if (p == null || p.isBlank()) {
                    throw new IllegalArgumentException("filler phrases must not be blank");
                }
            }
            this.fillerPhrases = List.of(phrases);
            return this;
        }

        /**
         * A sound (e.g. keyboard clicks) mixed into the session's outbound audio, looping at a
         * gain of 0.3, from the moment tools have run longer than the {@linkplain #filler filler}
         * delay until they return or the reply is cancelled; it takes the place of the filler
         * phrases. Where the agent's context cannot play audio, the phrases are said instead.
         */
        public Builder thinkingSound(AudioClip clip) {
            return thinkingSound(clip, BackgroundOptions.DEFAULT);
        }

        /** A {@linkplain #thinkingSound(AudioClip) thinking sound} with its own gain and looping. */
        public Builder thinkingSound(AudioClip clip, BackgroundOptions options) {
            this.thinkingSound = Args.notNull(clip, "thinking sound");
            this.thinkingOptions = Args.notNull(options, "thinking sound options");
            if (clip.length() == 0) {
                throw new IllegalArgumentException("thinking sound is empty");
            }
            return this;
        }

        /**
         * Called after the reply in which a tool asked to end the call, with the user's text
         * and the tool's reason; typically stops the session once the reply has played.
         */
        public Builder onEndCall(BiConsumer<String, String> handler) {
            this.onEndCall = Args.notNull(handler, "onEndCall");
            return this;
        }

        /** Time for tool timeouts, fillers and stall detection; the session's clock in tests. */
        public Builder clock(Clock clock) {
            this.clock = Args.notNull(clock, "clock");
            return this;
        }

        /** Where tools run [a shared pool of daemon threads]. */
        public Builder toolExecutor(Executor executor) {
            this.toolExecutor = Args.notNull(executor, "toolExecutor");
            return this;
        }

        /** Where spans and metrics go [no-op]. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Args.notNull(openTelemetry, "openTelemetry");
            return this;
        }

        /**
         * The agent.
         *
         * @throws IllegalArgumentException if no model was given or two tools share a name
         */
        public LlmAgent build() {
            if (model == null) {
                throw new IllegalArgumentException("a model is required");
            }
            return new LlmAgent(this);
        }

        private AgentProfile profile() {
            if (profile != null) {
                return profile;
            }
            return assistant.build();
        }

        private static Duration positive(Duration d, String what) {
            Args.notNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }

    private static final class ToolThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger seq = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "parley-llm-tool-" + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
