package io.parley.session;

import java.util.Objects;

/** Adapts a whole-reply {@link AgentCallback} to the streaming contract the session runs. */
final class CallbackAgent implements StreamingAgent {

    private final AgentCallback callback;

    CallbackAgent(AgentCallback callback) {
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    @Override
    public void respond(AgentContext context, String transcript, TextSink sink) throws Exception {
        String reply = callback.respond(context, transcript);
        if (sink instanceof Generation g) {
            g.whole(reply);
            return;
        }
        if (reply != null && !reply.isEmpty()) {
            sink.write(reply);
        }
        sink.complete();
    }
}
