package io.parley.session;

import io.parley.audio.AudioClip;
import io.parley.spi.ConversationTurn;
import io.parley.spi.ExpectedAnswer;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of the agent for one user turn: its context for the agent, the sink it writes to,
 * and the text it has produced. Sink calls come from any thread and are posted to the
 * session's event loop; everything else is loop-confined.
 */
final class Generation implements AgentContext, TextSink {

    interface Handler {
        void agentText(Generation g, String chunk);

        void agentComplete(Generation g);

        void agentFailed(Generation g, Throwable error);

        void agentUsage(Generation g, int inputTokens, int outputTokens);

        BackgroundHandle background(AudioClip clip, BackgroundOptions options);

        void agentExpects(Generation g, ExpectedAnswer answer);
    }

    final String input;
    final String instructions;
    final long startNanos;
    final StringBuilder text = new StringBuilder();
    final ReplyHandle handle;
    final CompletableFuture<String> reply;
    long firstTextNanos = -1;
    long inputTokens;
    long outputTokens;
    boolean complete;
    boolean speak;
    Speech speech;
    /** The history entry of the user turn this answers, null for a reply without one. */
    ConversationTurn userEntry;

    private final String sessionId;
    private final List<ConversationTurn> history;
    private final SerialExecutor loop;
    private final Clock clock;
    private final Handler handler;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final List<Runnable> cancelActions = new ArrayList<>();
    private volatile long turnId;
    private volatile boolean preemptive;
    private volatile boolean cancelled;

    Generation(String sessionId, long turnId, String input, String instructions, boolean preemptive,
               List<ConversationTurn> history, long startNanos, ReplyHandle handle, SerialExecutor loop, Clock clock,
               Handler handler) {
        this.sessionId = sessionId;
        this.turnId = turnId;
        this.input = input;
        this.instructions = instructions;
        this.handle = handle;
        this.reply = handle.text;
        this.preemptive = preemptive;
        this.history = List.copyOf(history);
        this.startNanos = startNanos;
        this.loop = loop;
        this.clock = clock;
        this.handler = handler;
    }

    /** A preemptive generation kept for the final transcript becomes that turn's reply. */
    void confirm(long turnId) {
        this.turnId = turnId;
        this.preemptive = false;
        handle.turnId = turnId;
    }

    /** The speech that will voice this reply, or null if it is not spoken. */
    void attach(Speech s) {
        this.speech = s;
        handle.attach(s);
    }

    /** Cancels the generation; cancel actions run off the loop. Idempotent. */
    void cancel() {
        List<Runnable> actions;
        synchronized (cancelActions) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            actions = List.copyOf(cancelActions);
            cancelActions.clear();
        }
        for (Runnable a : actions) {
            clock.executeBlocking(a);
        }
        if (speech == null) {
            // Nothing will be played for it: its playout ends here.
            handle.abandoned();
        } else {
            handle.cancelled();
        }
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public long turnId() {
        return turnId;
    }

    @Override
    public List<ConversationTurn> history() {
        return history;
    }

    @Override
    public String instructions() {
        return instructions;
    }

    @Override
    public boolean preemptive() {
        return preemptive;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (cancelActions) {
            if (!cancelled) {
                cancelActions.add(action);
                return;
            }
        }
        clock.executeBlocking(action);
    }

    /** The agent failed: the reply text fails; what was generated may still be spoken. */
    void failed(SessionException error) {
        handle.text.completeExceptionally(error);
        if (speech == null) {
            handle.playout.completeExceptionally(error);
        }
    }

    /** The reply was complete and is not spoken (a typed turn with spoken replies off). */
    void unspoken() {
        handle.unspoken(text.toString());
    }

    @Override
    public void recordUsage(int inputTokens, int outputTokens) {
        if (inputTokens < 0 || outputTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative: " + inputTokens + ", " + outputTokens);
        }
        loop.execute(() -> handler.agentUsage(this, inputTokens, outputTokens));
    }

    @Override
    public void expect(ExpectedAnswer answer) {
        if (answer == null) {
            throw new IllegalArgumentException("answer must not be null (ExpectedAnswer.ANY for nothing in particular)");
        }
        loop.execute(() -> handler.agentExpects(this, answer));
    }

    @Override
    public BackgroundHandle playBackground(AudioClip clip, BackgroundOptions options) {
        BackgroundHandle h = handler.background(clip, options);
        onCancel(h::stop);
        return h;
    }

    @Override
    public void write(String chunk) {
        if (chunk == null || chunk.isEmpty() || cancelled || finished.get()) {
            return;
        }
        loop.execute(() -> handler.agentText(this, chunk));
    }

    @Override
    public void complete() {
        if (!cancelled && finished.compareAndSet(false, true)) {
            loop.execute(() -> handler.agentComplete(this));
        }
    }

    /**
     * The whole reply of an agent that returned it at once ({@link AgentCallback}), from the
     * blocking thread that called the agent, its work done: text and completion reach the loop
     * as one task, run on this thread if the loop is idle rather than waking a loop thread for it.
     */
    void whole(String reply) {
        if (!cancelled && finished.compareAndSet(false, true)) {
            loop.executeHere(() -> {
                if (reply != null && !reply.isEmpty()) {
                    handler.agentText(this, reply);
                }
                handler.agentComplete(this);
            });
        }
    }

    @Override
    public void fail(Throwable error) {
        if (!cancelled && finished.compareAndSet(false, true)) {
            loop.execute(() -> handler.agentFailed(this, error));
        }
    }
}
