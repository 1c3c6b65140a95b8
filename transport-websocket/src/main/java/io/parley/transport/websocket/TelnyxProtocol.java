package io.parley.transport.websocket;

import static io.parley.transport.websocket.InboundMessage.Kind.CONNECTED;
import static io.parley.transport.websocket.InboundMessage.Kind.DTMF;
import static io.parley.transport.websocket.InboundMessage.Kind.IGNORED;
import static io.parley.transport.websocket.InboundMessage.Kind.INVALID;
import static io.parley.transport.websocket.InboundMessage.Kind.MARK;
import static io.parley.transport.websocket.InboundMessage.Kind.MEDIA;
import static io.parley.transport.websocket.InboundMessage.Kind.START;
import static io.parley.transport.websocket.InboundMessage.Kind.STOP;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Telnyx media streaming (developers.telnyx.com/docs/voice/programmable-voice/media-streaming)
 * in bidirectional RTP mode: snake_case fields, {@code PCMU} or {@code PCMA} payloads, an
 * {@code error} event, and outbound messages without a stream id. Only the inbound track is
 * used when the stream carries both.
 */
final class TelnyxProtocol extends JsonProtocol {

    static final TelnyxProtocol INSTANCE = new TelnyxProtocol();

    private TelnyxProtocol() {
        super("connected", CONNECTED, "start", START, "media", MEDIA, "dtmf", DTMF, "mark", MARK, "stop", STOP,
                "error", INVALID);
    }

    @Override
    public String name() {
        return "telnyx";
    }

    @Override
    void field(String parent, String name, JsonParser p, InboundMessage into) throws IOException {
        switch (parent) {
            case "" -> {
                switch (name) {
                    case "event" -> event(p, into);
                    case "sequence_number" -> into.sequence(Json.longValue(p));
                    case "stream_id" -> Json.streamId(p, into);
                    default -> { }
                }
            }
            case "media" -> {
                switch (name) {
                    case "payload" -> Json.payload(p, into);
                    case "chunk" -> into.chunk(Json.longValue(p));
                    case "timestamp" -> into.timestampMillis(Json.longValue(p));
                    case "track" -> {
                        if (Json.textIs(p, "outbound")) {
                            into.kind(IGNORED);
                        }
                    }
                    default -> { }
                }
            }
            case "dtmf" -> {
                if (name.equals("digit")) {
                    Json.digit(p, into);
                }
            }
            case "mark" -> {
                if (name.equals("name")) {
                    into.name(p.getValueAsString(""));
                }
            }
            case "payload" -> into.name(into.name() + (into.name().isEmpty() ? "" : " ") + name + "=" + p.getValueAsString(""));
            case "start" -> {
                switch (name) {
                    case "call_control_id" -> into.call(name()).callId(p.getValueAsString(""));
                    case "from" -> into.call(name()).from(p.getValueAsString(""));
                    case "to" -> into.call(name()).to(p.getValueAsString(""));
                    default -> { }
                }
            }
            case "custom_parameters" -> into.call(name()).customParameter(name, p.getValueAsString(""));
            case "media_format" -> {
                switch (name) {
                    case "encoding" -> {
                        if (Json.textIs(p, "PCMU")) {
                            into.call(name()).encoding(WireEncoding.MULAW);
                        } else if (Json.textIs(p, "PCMA")) {
                            into.call(name()).encoding(WireEncoding.ALAW);
                        } else {
                            into.invalid(Problem.MALFORMED, "unsupported Telnyx encoding " + p.getText()
                                    + " (stream with PCMU or PCMA)");
                        }
                    }
                    case "sample_rate" -> into.call(name()).sampleRate((int) Json.longValue(p));
                    default -> { }
                }
            }
            default -> { }
        }
    }

    @Override
    public void writeMedia(CallInfo call, byte[] audio, int length, StringBuilder out) {
        out.append("{\"event\":\"media\",\"media\":{\"payload\":\"");
        Base64Codec.encode(audio, length, out);
        out.append("\"}}");
    }

    @Override
    public void writeMark(CallInfo call, String name, StringBuilder out) {
        out.append("{\"event\":\"mark\",\"mark\":{");
        pair(out, "name", name);
        out.append("}}");
    }

    @Override
    public void writeClear(CallInfo call, StringBuilder out) {
        out.append("{\"event\":\"clear\"}");
    }
}
