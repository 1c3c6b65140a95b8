package io.parley.agent.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The conversation as the model sees it: instructions, a summary of what was dropped to stay
 * within the {@link ContextBudget}, and the messages: user turns, agent turns (cut to what the
 * user heard when interrupted), tool calls and their results.
 *
 * <p>The host may read and edit it at any time (inject facts, remove a turn, replace the
 * instructions); an edit applies from the next model call. Thread-safe; reads return
 * immutable snapshots.
 */
public final class ChatContext {

    private final List<ChatMessage> messages = new ArrayList<>();
    private String instructions;
    private String summary = "";
    private ContextBudget budget;

    /** An empty context with the given instructions and budget. */
    public ChatContext(String instructions, ContextBudget budget) {
        this.instructions = Args.notNull(instructions, "instructions");
        this.budget = Args.notNull(budget, "budget");
    }

    /** The system instructions. */
    public synchronized String instructions() {
        return instructions;
    }

    /** Replaces the system instructions. */
    public synchronized void setInstructions(String instructions) {
        this.instructions = Args.notNull(instructions, "instructions");
    }

    /** The summary of dropped messages, empty if none. */
    public synchronized String summary() {
        return summary;
    }

    /** Replaces the summary of dropped messages. */
    public synchronized void setSummary(String summary) {
        this.summary = Args.notNull(summary, "summary");
    }

    /** The budget in force. */
    public synchronized ContextBudget budget() {
        return budget;
    }

    /** Replaces the budget; it is enforced after the next reply. */
    public synchronized void setBudget(ContextBudget budget) {
        this.budget = Args.notNull(budget, "budget");
    }

    /** The messages, oldest first, without the instructions and summary. */
    public synchronized List<ChatMessage> messages() {
        return List.copyOf(messages);
    }

    /** Appends a message, e.g. a fact the model should know ({@code UserMessage} or {@code SystemMessage}). */
    public synchronized void add(ChatMessage message) {
        messages.add(Args.notNull(message, "message"));
    }

    /** Removes the messages matching {@code filter}; returns whether any was removed. */
    public synchronized boolean removeIf(Predicate<ChatMessage> filter) {
        return messages.removeIf(filter);
    }

    /** Replaces all messages. */
    public synchronized void replaceAll(List<ChatMessage> replacement) {
        List<ChatMessage> copy = List.copyOf(replacement);
        messages.clear();
        messages.addAll(copy);
    }

    /** Removes all messages and the summary; the instructions stay. */
    public synchronized void clear() {
        messages.clear();
        summary = "";
    }

    /** Number of user turns held. */
    public synchronized int userTurns() {
        int n = 0;
        for (ChatMessage m : messages) {
            if (m instanceof UserMessage) {
                n++;
            }
        }
        return n;
    }

    /**
     * Shrinks the context to its budget now, summarizing the dropped turns. The agent calls it
     * after each reply; hosts may call it after editing.
     */
    public void enforceBudget() {
        String previous;
        List<ChatMessage> dropped;
        ContextBudget b;
        synchronized (this) {
            b = budget;
            int cut = budgetCut(b);
            if (cut == 0) {
                return;
            }
            dropped = List.copyOf(messages.subList(0, cut));
            previous = summary;
        }
        String next;
        try {
            next = b.summarizer().summarize(previous, dropped);
        } catch (Exception e) {
            throw new IllegalStateException("summarizer failed; the context keeps its messages", e);
        }
        synchronized (this) {
            // Only drop what was summarized, and only if it is still there, unedited.
            if (messages.size() >= dropped.size() && messages.subList(0, dropped.size()).equals(dropped)) {
                messages.subList(0, dropped.size()).clear();
                summary = next == null ? "" : next;
            }
        }
    }

    /** How many leading messages to drop: whole user turns, oldest first, until within budget. */
    private int budgetCut(ContextBudget b) {
        List<Integer> turnStarts = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof UserMessage) {
                turnStarts.add(i);
            }
        }
        int turns = turnStarts.size();
        int cut = 0;
        int t = 0;
        // Never drop the newest turn.
        while (t < turns - 1) {
            List<ChatMessage> rest = messages.subList(cut, messages.size());
            if (turns - t <= b.maxTurns() && b.tokens(rest) <= b.maxTokens()) {
                break;
            }
            t++;
            cut = turnStarts.get(t);
        }
        return cut;
    }

    /** The messages for a model call: instructions (plus {@code extra}), the summary, the history, then {@code turn}. */
    synchronized List<ChatMessage> forRequest(String extraInstructions, List<ChatMessage> turn) {
        List<ChatMessage> out = new ArrayList<>(messages.size() + turn.size() + 2);
        String system = instructions;
        if (extraInstructions != null && !extraInstructions.isBlank()) {
            system = system.isBlank() ? extraInstructions : system + "\n\n" + extraInstructions;
        }
        if (!system.isBlank()) {
            out.add(SystemMessage.from(system));
        }
        if (!summary.isBlank()) {
            out.add(SystemMessage.from("Summary of the earlier conversation: " + summary));
        }
        out.addAll(messages);
        out.addAll(turn);
        return out;
    }

    /** Appends a finished turn's messages. */
    synchronized void commit(List<ChatMessage> turn) {
        messages.addAll(turn);
    }

    /** Removes messages of a turn that turned out not to happen (a discarded preemptive reply). */
    synchronized void rollback(List<ChatMessage> turn) {
        for (ChatMessage m : turn) {
            removeIdentical(m);
        }
    }

    /** Replaces {@code old} (by identity) with {@code replacement}, or removes it if replacement is null. */
    synchronized boolean replace(ChatMessage old, ChatMessage replacement) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == old) {
                if (replacement == null) {
                    messages.remove(i);
                } else {
                    messages.set(i, replacement);
                }
                return true;
            }
        }
        return false;
    }

    private void removeIdentical(ChatMessage m) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) == m) {
                messages.remove(i);
                return;
            }
        }
    }

    /** The text of any message: user/system/AI text, tool results, tool call names and arguments. */
    static String textOf(ChatMessage m) {
        if (m instanceof UserMessage u) {
            return u.hasSingleText() ? u.singleText() : u.contents().toString();
        }
        if (m instanceof SystemMessage s) {
            return s.text();
        }
        if (m instanceof ToolExecutionResultMessage r) {
            return r.text();
        }
        if (m instanceof AiMessage a) {
            StringBuilder sb = new StringBuilder(a.text() == null ? "" : a.text());
            if (a.hasToolExecutionRequests()) {
                for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                    sb.append(' ').append(r.name()).append(r.arguments());
                }
            }
            return sb.toString();
        }
        return String.valueOf(m);
    }

    @Override
    public synchronized String toString() {
        return "ChatContext[" + messages.size() + " messages, " + userTurns() + " user turns]";
    }
}
