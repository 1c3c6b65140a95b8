package io.parley.agent.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who the agent is: a name, instructions (the system message) and tools. A tool can hand the
 * conversation to another profile ({@link ToolContext#handoff}); the chat history carries over.
 */
public final class AgentProfile {

    private final String name;
    private final String instructions;
    private final List<AgentTool> tools;

    private AgentProfile(Builder b) {
        this.name = b.name;
        this.instructions = b.instructions;
        this.tools = List.copyOf(b.tools);
    }

    /** A builder for a profile called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The profile's name, used in logs and spans. */
    public String name() {
        return name;
    }

    /** The system instructions. */
    public String instructions() {
        return instructions;
    }

    /** The tools, in the order given. */
    public List<AgentTool> tools() {
        return tools;
    }

    List<ToolSpecification> specifications() {
        List<ToolSpecification> specs = new ArrayList<>(tools.size());
        for (AgentTool t : tools) {
            specs.add(t.specification());
        }
        return specs;
    }

    AgentTool tool(String toolName) {
        for (AgentTool t : tools) {
            if (t.name().equals(toolName)) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "AgentProfile[" + name + ", " + tools.size() + " tools]";
    }

    /** Builds an {@link AgentProfile}. */
    public static final class Builder {
        private final String name;
        private String instructions = "";
        private final List<AgentTool> tools = new ArrayList<>();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("profile name must not be blank");
            }
            this.name = name;
        }

        /** The system instructions [empty]. */
        public Builder instructions(String instructions) {
            this.instructions = Args.notNull(instructions, "instructions");
            return this;
        }

        /** Adds the {@code @Tool} methods of each toolbox object. */
        public Builder tools(Object... toolboxes) {
            Args.notNull(toolboxes, "toolboxes");
            for (Object box : toolboxes) {
                tools.addAll(AgentTool.from(box));
            }
            return this;
        }

        /** Adds a tool given by its specification and handler. */
        public Builder tool(ToolSpecification specification, ToolHandler handler) {
            tools.add(new AgentTool(Args.notNull(specification, "specification"), Args.notNull(handler, "handler")));
            return this;
        }

        /** Adds tools. */
        public Builder tools(List<AgentTool> more) {
            tools.addAll(Args.notNull(more, "tools"));
            return this;
        }

        /**
         * The profile.
         *
         * @throws IllegalArgumentException if two tools share a name
         */
        public AgentProfile build() {
            Set<String> names = new HashSet<>();
            for (AgentTool t : tools) {
                if (!names.add(t.name())) {
                    throw new IllegalArgumentException("two tools are named '" + t.name() + "'");
                }
            }
            return new AgentProfile(this);
        }
    }
}
