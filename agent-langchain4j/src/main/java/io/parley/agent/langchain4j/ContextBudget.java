package io.parley.agent.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * How much conversation a {@link ChatContext} keeps: at most {@code maxTurns} user turns and
 * {@code maxTokens} estimated tokens. When a reply completes beyond either limit, the oldest
 * whole turns (a user message and everything up to the next one, so a tool call never loses
 * its result) go to the {@link Summarizer}.
 *
 * @param maxTurns   user turns kept, at least 1
 * @param maxTokens  estimated tokens kept, at least 1
 * @param estimator  estimates a message's tokens
 * @param summarizer condenses what is dropped
 */
public record ContextBudget(int maxTurns, int maxTokens, ToIntFunction<ChatMessage> estimator, Summarizer summarizer) {

    /** No limit. */
    public static final ContextBudget UNLIMITED =
            new ContextBudget(Integer.MAX_VALUE, Integer.MAX_VALUE, ContextBudget::estimate, Summarizer.DROP);

    public ContextBudget {
        if (maxTurns < 1) {
            throw new IllegalArgumentException("maxTurns must be at least 1, was " + maxTurns);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
        }
        Args.notNull(estimator, "estimator");
        Args.notNull(summarizer, "summarizer");
    }

    /** At most {@code maxTurns} user turns, dropping older ones. */
    public static ContextBudget turns(int maxTurns) {
        return new ContextBudget(maxTurns, Integer.MAX_VALUE, ContextBudget::estimate, Summarizer.DROP);
    }

    /** At most {@code maxTokens} tokens, estimated at four characters per token. */
    public static ContextBudget tokens(int maxTokens) {
        return new ContextBudget(Integer.MAX_VALUE, maxTokens, ContextBudget::estimate, Summarizer.DROP);
    }

    /** This budget with another summarizer. */
    public ContextBudget withSummarizer(Summarizer s) {
        return new ContextBudget(maxTurns, maxTokens, estimator, s);
    }

    /** This budget with another token estimator, e.g. LangChain4j's {@code OpenAiTokenCountEstimator}. */
    public ContextBudget withEstimator(ToIntFunction<ChatMessage> e) {
        return new ContextBudget(maxTurns, maxTokens, e, summarizer);
    }

    /** A rough estimate: four characters per token plus a few for the message's framing. */
    public static int estimate(ChatMessage message) {
        return 4 + ChatContext.textOf(message).length() / 4;
    }

    int tokens(List<ChatMessage> messages) {
        int sum = 0;
        for (ChatMessage m : messages) {
            sum += estimator.applyAsInt(m);
        }
        return sum;
    }
}
