package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsRequest;

/** One reply as a context of a shared {@link MultiContextSocket}. */
final class ContextReply extends ReplyStream {

    private final MultiContextSocket socket;
    private final String contextId;

    ContextReply(MultiContextSocket socket, String contextId, TtsRequest request, TtsListener listener, ElevenLabsTts provider) {
        super(listener, provider.clock(), provider.keepAliveNanos(), provider.completionNanos(), request.format());
        this.socket = socket;
        this.contextId = contextId;
    }

    String contextId() {
        return contextId;
    }

    @Override
    void send(ObjectNode m) {
        m.put("context_id", contextId);
        socket.send(m.toString());
    }

    @Override
    ObjectNode keepAliveMessage() {
        // In multi-context mode an empty text resets this context's timer; it does not end it.
        return JSON.createObjectNode().put("text", "");
    }

    @Override
    void sendEndOfInput() {
        send(JSON.createObjectNode().put("close_context", true));
    }

    @Override
    void abort() {
        send(JSON.createObjectNode().put("close_context", true));
    }

    @Override
    void released() {
        socket.release(contextId);
    }

    @Override
    public void close() {
        cancel();
    }
}
