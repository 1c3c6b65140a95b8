package io.parley.transport.websocket;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/** What the JSON media-stream protocols share: the walk, the event table and the start check. */
abstract class JsonProtocol implements MediaStreamProtocol {

    private final String[] events;
    private final InboundMessage.Kind[] kinds;

    /** {@code table} alternates event names and their {@link InboundMessage.Kind}s. */
    JsonProtocol(Object... table) {
        events = new String[table.length / 2];
        kinds = new InboundMessage.Kind[table.length / 2];
        for (int i = 0; i < events.length; i++) {
            events[i] = (String) table[2 * i];
            kinds[i] = (InboundMessage.Kind) table[2 * i + 1];
        }
    }

    @Override
    public final void read(String text, InboundMessage into) {
        String error = into.jsonReader().walk(text, this, into);
        if (error != null) {
            into.invalid(Problem.MALFORMED, error);
        } else if (into.kind() == InboundMessage.Kind.INVALID && into.problem() == null) {
            into.invalid(Problem.PROVIDER_ERROR, name() + " reported a stream error: " + into.name());
        } else if (into.kind() == null) {
            into.invalid(Problem.MALFORMED, "message has no event");
        } else if (into.kind() == InboundMessage.Kind.START) {
            CallInfo.Builder call = into.call(name());
            if (call.streamId().isEmpty()) {
                call.streamId(into.streamId().toString());
            }
            try {
                call.build();
            } catch (IllegalStateException e) {
                into.invalid(Problem.MALFORMED, "start: " + e.getMessage());
            }
        }
    }

    /** Maps one scalar value; {@code parent} is "" at the top level. */
    abstract void field(String parent, String name, JsonParser p, InboundMessage into) throws IOException;

    /** Sets the kind from the event name, or marks the event unknown. */
    final void event(JsonParser p, InboundMessage into) throws IOException {
        for (int i = 0; i < events.length; i++) {
            if (Json.textIs(p, events[i])) {
                into.kind(kinds[i]);
                return;
            }
        }
        into.invalid(Problem.UNKNOWN_EVENT, "unknown event " + p.getText());
    }

    /** Appends {@code "key":"value"}, the value escaped. */
    static void pair(StringBuilder out, String key, String value) {
        out.append('"').append(key).append("\":");
        Json.quote(out, value);
    }
}
