package io.parley.agent.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import java.util.List;

/**
 * Condenses messages dropped from a chat context to keep it within its {@link ContextBudget}.
 * Runs after a reply is complete, off the audio path; may call a model.
 */
@FunctionalInterface
public interface Summarizer {

    /** Drops the oldest messages without keeping anything of them. */
    Summarizer DROP = (previous, dropped) -> previous;

    /**
     * @param previousSummary the summary so far, empty if none
     * @param dropped         the messages leaving the context, oldest first, whole turns
     * @return the new summary of everything before the remaining messages; empty for none
     * @throws Exception on failure: the context keeps its messages and the previous summary
     */
    String summarize(String previousSummary, List<ChatMessage> dropped) throws Exception;
}
