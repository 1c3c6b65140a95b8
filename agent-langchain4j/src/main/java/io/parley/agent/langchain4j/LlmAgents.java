package io.parley.agent.langchain4j;

import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Models and agents configured from environment variables, for programs that use an LLM when
 * one is configured and fall back to something else otherwise:
 *
 * <pre>{@code
 * StreamingAgent agent = LlmAgents.fromEnvironment()
 *         .map(b -> (StreamingAgent) b.instructions("You are a helpful voice assistant.").build())
 *         .orElse(offlineAgent);
 * }</pre>
 *
 * <ul>
 * <li>OpenAI or any OpenAI-compatible server: {@code OPENAI_API_KEY} and/or {@code OPENAI_BASE_URL}
 *     (e.g. a local server that needs no key), model {@code OPENAI_MODEL} [gpt-4o-mini].</li>
 * <li>Anthropic: {@code ANTHROPIC_API_KEY}, optional {@code ANTHROPIC_BASE_URL}, model
 *     {@code ANTHROPIC_MODEL} [claude-3-5-haiku-latest].</li>
 * </ul>
 * OpenAI's variables win when both are set.
 */
public final class LlmAgents {

    /** Model used when {@code OPENAI_MODEL} is not set. */
    public static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
    /** Model used when {@code ANTHROPIC_MODEL} is not set. */
    public static final String DEFAULT_ANTHROPIC_MODEL = "claude-3-5-haiku-latest";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private LlmAgents() {
    }

    /** An agent builder with the model from the process environment, if one is configured. */
    public static Optional<LlmAgent.Builder> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** An agent builder with the model configured by {@code env}, if one is. */
    public static Optional<LlmAgent.Builder> fromEnvironment(Map<String, String> env) {
        return modelFromEnvironment(env).map(m -> LlmAgent.builder().model(m));
    }

    /** The streaming model configured by {@code env}, if any. */
    public static Optional<StreamingChatModel> modelFromEnvironment(Map<String, String> env) {
        String openAiKey = value(env, "OPENAI_API_KEY");
        String openAiUrl = value(env, "OPENAI_BASE_URL");
        if (openAiKey != null || openAiUrl != null) {
            OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder b = OpenAiStreamingChatModel.builder()
                    .apiKey(openAiKey == null ? "none" : openAiKey)
                    .modelName(orDefault(value(env, "OPENAI_MODEL"), DEFAULT_OPENAI_MODEL))
                    .timeout(TIMEOUT);
            if (openAiUrl != null) {
                b.baseUrl(openAiUrl);
                if (openAiUrl.startsWith("http://")) {
                    b.httpClientBuilder(http11());
                }
            }
            return Optional.of(b.build());
        }
        String anthropicKey = value(env, "ANTHROPIC_API_KEY");
        if (anthropicKey != null) {
            AnthropicStreamingChatModel.AnthropicStreamingChatModelBuilder b = AnthropicStreamingChatModel.builder()
                    .apiKey(anthropicKey)
                    .modelName(orDefault(value(env, "ANTHROPIC_MODEL"), DEFAULT_ANTHROPIC_MODEL))
                    .maxTokens(1024)
                    .timeout(TIMEOUT);
            String url = value(env, "ANTHROPIC_BASE_URL");
            if (url != null) {
                b.baseUrl(url);
            }
            return Optional.of(b.build());
        }
        return Optional.empty();
    }

    /**
     * LangChain4j's JDK HTTP client pinned to HTTP/1.1: on plain {@code http://} the JDK client
     * otherwise asks every server to upgrade to h2c, which local servers and proxies mishandle.
     */
    public static JdkHttpClientBuilder http11() {
        return JdkHttpClient.builder().httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String orDefault(String v, String def) {
        return v == null ? def : v;
    }
}
