package io.parley.agent.langchain4j;

import io.parley.session.AgentContext;
import io.parley.session.TextSink;
import io.parley.spi.ConversationTurn;
import io.parley.spi.ExpectedAnswer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** An agent context and text sink for driving an agent without a session, on real threads. */
final class TestTurn implements AgentContext, TextSink {

    final List<String> chunks = new ArrayList<>();
    /** What the agent told the session it expects, in order. */
    final List<ExpectedAnswer> expected = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> done = new CompletableFuture<>();
    private final List<Runnable> cancelActions = new ArrayList<>();
    private final List<ConversationTurn> history;
    private final long turnId;
    private volatile boolean preemptive;
    private volatile boolean cancelled;
    private int writesAfterCancel;

    TestTurn(long turnId, List<ConversationTurn> history, boolean preemptive) {
        this.turnId = turnId;
        this.history = List.copyOf(history);
        this.preemptive = preemptive;
    }

    static TestTurn of(String userText) {
        return new TestTurn(1, List.of(new ConversationTurn(ConversationTurn.Role.USER, userText, false)), false);
    }

    @Override
    public String sessionId() {
        return "test";
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
    public void expect(ExpectedAnswer answer) {
        expected.add(answer);
    }

    @Override
    public boolean preemptive() {
        return preemptive;
    }

    void confirm() {
        preemptive = false;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public synchronized void onCancel(Runnable action) {
        if (cancelled) {
            action.run();
        } else {
            cancelActions.add(action);
        }
    }

    void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            cancelled = true;
            actions = List.copyOf(cancelActions);
        }
        actions.forEach(Runnable::run);
    }

    @Override
    public synchronized void write(String chunk) {
        if (cancelled) {
            writesAfterCancel++;
            return;
        }
        chunks.add(chunk);
    }

    @Override
    public synchronized void complete() {
        done.complete(String.join("", chunks));
    }

    @Override
    public void fail(Throwable error) {
        done.completeExceptionally(error);
    }

    synchronized String text() {
        return String.join("", chunks);
    }

    synchronized int writesAfterCancel() {
        return writesAfterCancel;
    }

    String await() throws Exception {
        return done.get(10, TimeUnit.SECONDS);
    }

    /** Waits on real time, bounded, for a condition another thread makes true. */
    static void waitFor(BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + max);
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }
}
