package io.parley.session;

/**
 * An agent that streams its reply, e.g. token by token from an LLM, so speech can start
 * before the reply is complete. It may return at once and write from any thread; it must
 * eventually call {@link TextSink#complete()} or {@link TextSink#fail(Throwable)} unless
 * {@link AgentContext#cancelled()} becomes true.
 */
@FunctionalInterface
public interface StreamingAgent {

    /** Starts generating the reply to {@code transcript}. */
    void respond(AgentContext context, String transcript, TextSink sink) throws Exception;
}
