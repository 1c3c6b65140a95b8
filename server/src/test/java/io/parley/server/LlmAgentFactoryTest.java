package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.agent.langchain4j.LlmAgent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LLM agent is used only when the environment configures a model, and knows its session. */
class LlmAgentFactoryTest {

    @Test
    void environmentWithoutAModelKeepsTheOfflineAgent() {
        assertThat(LlmAgentFactory.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void eachSessionGetsItsOwnAgentInstructedWithItsPurposeAndContext() {
        AgentFactory f = LlmAgentFactory.fromEnvironment(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1",
                "OPENAI_API_KEY", "test")).orElseThrow();
        AgentSetup setup = new AgentSetup("s1", SessionType.LOG_ANALYSIS, "Why CI fails", "flaky build", null,
                List.of("ERROR build timed out"));
        LlmAgent a = (LlmAgent) f.create(setup);
        LlmAgent b = (LlmAgent) f.create(setup);
        assertThat(a).isNotSameAs(b);
        assertThat(a.chatContext().instructions()).contains("log analysis", "Why CI fails", "flaky build",
                "ERROR build timed out");
    }
}
