package io.parley.transport.websocket;

import static io.parley.transport.websocket.InboundMessage.Kind.DTMF;
import static io.parley.transport.websocket.InboundMessage.Kind.IGNORED;
import static io.parley.transport.websocket.InboundMessage.Kind.MARK;
import static io.parley.transport.websocket.InboundMessage.Kind.START;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The Vonage Voice API WebSocket (developer.vonage.com/en/voice/voice-api/concepts/websockets):
 * audio is binary 16-bit little-endian linear PCM both ways, 20 ms per message, at the rate the
 * NCCO's {@code content-type} names ({@code audio/l16;rate=16000} or {@code rate=8000}).
 *
 * <p>The first text message, {@code websocket:connected}, carries the content type and, at its
 * top level, the headers the NCCO endpoint set; it starts the call, with those headers as
 * {@link CallInfo#customParameters()} and the {@code uuid} header, if the host passed the call's
 * uuid in one, as {@link CallInfo#callId()}. Vonage has no stream id. DTMF arrives as
 * {@code websocket:dtmf}; {@code {"action":"notify","payload":{...}}} is echoed as
 * {@code websocket:notify} with the same payload once the audio before it has played, and
 * {@code {"action":"clear"}} drops buffered audio, answered by {@code websocket:cleared}.
 * There is no stop message: the call ends when the socket closes.
 */
final class VonageProtocol extends JsonProtocol {

    static final VonageProtocol INSTANCE = new VonageProtocol();

    private VonageProtocol() {
        super("websocket:connected", START, "websocket:dtmf", DTMF, "websocket:notify", MARK,
                "websocket:cleared", IGNORED);
    }

    @Override
    public String name() {
        return "vonage";
    }

    @Override
    void field(String parent, String name, JsonParser p, InboundMessage into) throws IOException {
        if (parent.equals("payload")) {
            if (name.equals("name")) {
                into.name(p.getValueAsString(""));
            }
            return;
        }
        if (!parent.isEmpty()) {
            return;
        }
        switch (name) {
            case "event" -> event(p, into);
            case "digit" -> Json.digit(p, into);
            case "duration" -> into.durationMillis(Json.longValue(p));
            case "content-type" -> contentType(p.getText(), into);
            default -> {
                String value = p.getValueAsString("");
                into.call(name()).customParameter(name, value);
                if (name.equals("uuid")) {
                    into.call(name()).callId(value);
                }
            }
        }
    }

    /** {@code audio/l16;rate=16000}: the only audio the WebSocket carries is L16. */
    private void contentType(String type, InboundMessage into) {
        String t = type.toLowerCase(Locale.ROOT).replace(" ", "");
        int rate = t.indexOf(";rate=");
        if (!t.startsWith("audio/l16;") || rate < 0) {
            into.invalid(Problem.MALFORMED, "unsupported Vonage content-type " + type + " (expected audio/l16;rate=...)");
            return;
        }
        try {
            int end = t.indexOf(';', rate + 6);
            int hz = Integer.parseInt(t, rate + 6, end < 0 ? t.length() : end, 10);
            into.call(name()).encoding(WireEncoding.L16).sampleRate(hz);
        } catch (NumberFormatException e) {
            into.invalid(Problem.MALFORMED, "Vonage content-type " + type + " has no numeric rate");
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
    public int mediaFrameMillis() {
        return 20;
    }

    @Override
    public void writeMedia(CallInfo call, byte[] audio, int length, StringBuilder out) {
        throw new UnsupportedOperationException("vonage audio travels in binary messages");
    }

    @Override
    public void writeMark(CallInfo call, String name, StringBuilder out) {
        out.append("{\"action\":\"notify\",\"payload\":{");
        pair(out, "name", name);
        out.append("}}");
    }

    @Override
    public void writeClear(CallInfo call, StringBuilder out) {
        out.append("{\"action\":\"clear\"}");
    }
}
