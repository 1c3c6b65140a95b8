package io.parley.agent.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;

/**
 * Runs one tool call. Runs on the agent's tool executor, never on the audio path; may block
 * up to the agent's tool timeout, after which it is interrupted and the model is told.
 */
@FunctionalInterface
public interface ToolHandler {

    /**
     * @param call    the model's request: the tool's name and its arguments as a JSON object
     * @param context what the tool may do besides answering
     * @return the result the model sees
     * @throws Exception any failure; its message is reported to the model as the tool's result
     */
    String execute(ToolExecutionRequest call, ToolContext context) throws Exception;
}
