package io.parley.server;

import dev.langchain4j.model.chat.StreamingChatModel;
import io.parley.agent.langchain4j.LlmAgent;
import io.parley.agent.langchain4j.LlmAgents;
import java.util.Map;
import java.util.Optional;

/**
 * The LLM agent of agent-langchain4j for every session, when the environment configures a
 * model ({@code OPENAI_BASE_URL}/{@code OPENAI_API_KEY} or {@code ANTHROPIC_API_KEY}). One model
 * client is shared; each live session gets its own agent and chat context, instructed with the
 * session's purpose and its context documents.
 */
final class LlmAgentFactory implements AgentFactory {

    /** How much of the context documents goes into the instructions. */
    static final int MAX_CONTEXT_CHARS = 20_000;

    private final StreamingChatModel model;

    LlmAgentFactory(StreamingChatModel model) {
        this.model = model;
    }

    static Optional<AgentFactory> fromEnvironment(Map<String, String> env) {
        return LlmAgents.modelFromEnvironment(env).map(LlmAgentFactory::new);
    }

    @Override
    public LlmAgent create(AgentSetup setup) {
        return LlmAgent.builder().model(model).instructions(instructions(setup)).build();
    }

    static String instructions(AgentSetup setup) {
        StringBuilder b = new StringBuilder()
                .append("You are the AI agent of a Parley group voice session. Several people talk; each of their turns ")
                .append("in the history starts with the speaker's name. You are asked only when someone addresses you. ")
                .append("Answer in one to three short sentences that read well aloud.\n")
                .append("Session type: ").append(setup.type().wireName().replace('_', ' ')).append(".\n")
                .append("Title: ").append(setup.title()).append(".\n");
        if (!setup.description().isBlank()) {
            b.append("Description: ").append(setup.description()).append('\n');
        }
        if (setup.projectLink() != null) {
            b.append("Project: ").append(setup.projectLink()).append('\n');
        }
        int left = MAX_CONTEXT_CHARS;
        for (String doc : setup.context()) {
            if (left <= 0) {
                break;
            }
            String part = doc.length() > left ? doc.substring(0, left) : doc;
            b.append("Context document:\n").append(part).append('\n');
            left -= part.length();
        }
        return b.toString();
    }
}
