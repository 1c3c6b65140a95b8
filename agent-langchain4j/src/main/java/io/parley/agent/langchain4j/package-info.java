/**
 * A voice agent backed by LangChain4j chat models: {@link io.parley.agent.langchain4j.LlmAgent}
 * streams the model's tokens into the session's synthesizer, keeps a
 * {@link io.parley.agent.langchain4j.ChatContext} of what the user actually heard, runs tools
 * off the audio path, and hands off between {@link io.parley.agent.langchain4j.AgentProfile}s.
 * {@link io.parley.agent.langchain4j.LlmAgents} builds one from environment variables.
 */
package io.parley.agent.langchain4j;
