package io.parley.transport.websocket;

import static io.parley.transport.websocket.InboundMessage.Kind.DTMF;
import static io.parley.transport.websocket.InboundMessage.Kind.MARK;
import static io.parley.transport.websocket.InboundMessage.Kind.START;
import static io.parley.transport.websocket.InboundMessage.Kind.STOP;
import static io.parley.transport.websocket.InboundMessage.Kind.TEXT;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Parley's raw WebSocket audio: binary messages of PCM16LE mono samples both ways, at the rate
 * the client declares, and JSON text messages for control.
 *
 * <p>Client to server: {@code {"type":"start","sampleRate":16000,"parameters":{...}}} first,
 * then binary audio, {@code {"type":"mark","name":"p-3"}} echoing a server mark once the audio
 * before it has played, {@code {"type":"text","text":"..."}} for typed input,
 * {@code {"type":"dtmf","digit":"5"}} and {@code {"type":"stop"}}.
 * Server to client: binary audio, {@code {"type":"mark","name":"p-3"}} after audio,
 * {@code {"type":"clear"}} on barge-in (drop everything not yet played, then echo pending marks),
 * and {@code {"type":"transcript","role":"user"|"agent","text":"...","interrupted":true}} as
 * the conversation goes (the agent's text cut to what played).
 */
final class PcmProtocol extends JsonProtocol {

    static final PcmProtocol INSTANCE = new PcmProtocol();

    private PcmProtocol() {
        super("start", START, "mark", MARK, "text", TEXT, "dtmf", DTMF, "stop", STOP);
    }

    @Override
    public String name() {
        return "pcm";
    }

    @Override
    void field(String parent, String name, JsonParser p, InboundMessage into) throws IOException {
        if (parent.equals("parameters")) {
            into.call(name()).customParameter(name, p.getValueAsString(""));
            return;
        }
        if (!parent.isEmpty()) {
            return;
        }
        switch (name) {
            case "type" -> event(p, into);
            case "sampleRate" -> {
                long rate = Json.longValue(p);
                into.call(name()).encoding(WireEncoding.L16).sampleRate((int) rate);
            }
            case "name", "text" -> into.name(p.getValueAsString(""));
            case "digit" -> Json.digit(p, into);
            default -> { }
        }
    }

    @Override
    public void read(ByteBuffer data, InboundMessage into) {
        into.payload(data).kind(InboundMessage.Kind.MEDIA);
    }

    @Override
    public boolean binaryMedia() {
        return true;
    }

    @Override
    public void writeMedia(CallInfo call, byte[] audio, int length, StringBuilder out) {
        throw new UnsupportedOperationException("pcm audio travels in binary messages");
    }

    @Override
    public void writeMark(CallInfo call, String name, StringBuilder out) {
        out.append("{\"type\":\"mark\",");
        pair(out, "name", name);
        out.append('}');
    }

    @Override
    public void writeClear(CallInfo call, StringBuilder out) {
        out.append("{\"type\":\"clear\"}");
    }
}
