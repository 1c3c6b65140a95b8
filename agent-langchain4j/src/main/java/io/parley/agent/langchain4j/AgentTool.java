package io.parley.agent.langchain4j;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool the model may call: its LangChain4j specification and what runs it.
 *
 * @param specification name, description and JSON schema of the arguments, as sent to the model
 * @param handler       runs a call
 */
public record AgentTool(ToolSpecification specification, ToolHandler handler) {

    public AgentTool {
        Args.notNull(specification, "specification");
        Args.notNull(handler, "handler");
    }

    /** The tool's name. */
    public String name() {
        return specification.name();
    }

    /**
     * The {@link Tool @Tool}-annotated methods of {@code toolbox}, as LangChain4j's own
     * AI services would expose them. Compile with {@code -parameters} (or name them with
     * {@code @P}) so the model sees real argument names.
     *
     * @throws IllegalArgumentException if {@code toolbox} has no annotated method
     */
    public static List<AgentTool> from(Object toolbox) {
        Args.notNull(toolbox, "toolbox");
        List<AgentTool> tools = new ArrayList<>();
        for (Method m : toolbox.getClass().getDeclaredMethods()) {
            if (!m.isAnnotationPresent(Tool.class)) {
                continue;
            }
            ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(m);
            DefaultToolExecutor executor = new DefaultToolExecutor(toolbox, m);
            tools.add(new AgentTool(spec, (call, ctx) -> executor.execute(call, ctx.sessionId())));
        }
        if (tools.isEmpty()) {
            throw new IllegalArgumentException(toolbox.getClass().getName() + " has no @Tool method");
        }
        return tools;
    }
}
