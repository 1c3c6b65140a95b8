package io.parley.agent.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.testing.api.BuilderContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiContractTest {

    @Test
    void buildersRefuseNullWithIllegalArgumentException() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(LlmAgent.class)).isEmpty();
        assertThatThrownBy(() -> AgentProfile.builder("a").instructions(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instructions");
        assertThatThrownBy(() -> LlmAgent.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
    }

    @Test
    void theEnvironmentChoosesTheModelOrNothing() {
        assertThat(LlmAgents.fromEnvironment(Map.of())).isEmpty();
        assertThat(LlmAgents.modelFromEnvironment(Map.of("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")))
                .get().isInstanceOf(dev.langchain4j.model.openai.OpenAiStreamingChatModel.class);
        assertThat(LlmAgents.modelFromEnvironment(Map.of("ANTHROPIC_API_KEY", "k")))
                .get().isInstanceOf(dev.langchain4j.model.anthropic.AnthropicStreamingChatModel.class);
        assertThat(LlmAgents.modelFromEnvironment(Map.of("ANTHROPIC_API_KEY", "k", "OPENAI_API_KEY", "o")))
                .get().isInstanceOf(dev.langchain4j.model.openai.OpenAiStreamingChatModel.class);
    }
}
