package io.parley.transport.websocket;

import static io.parley.transport.websocket.InboundMessage.Kind.CONNECTED;
import static io.parley.transport.websocket.InboundMessage.Kind.DTMF;
import static io.parley.transport.websocket.InboundMessage.Kind.MARK;
import static io.parley.transport.websocket.InboundMessage.Kind.MEDIA;
import static io.parley.transport.websocket.InboundMessage.Kind.START;
import static io.parley.transport.websocket.InboundMessage.Kind.STOP;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Twilio Media Streams (twilio.com/docs/voice/media-streams/websocket-messages): JSON text
 * frames with base64 µ-law at 8 kHz; {@code sequenceNumber}, {@code chunk} and
 * {@code timestamp} are strings. Outbound: {@code media}, {@code mark} and {@code clear}.
 */
final class TwilioProtocol extends JsonProtocol {

    static final TwilioProtocol INSTANCE = new TwilioProtocol();

    private TwilioProtocol() {
        super("connected", CONNECTED, "start", START, "media", MEDIA, "dtmf", DTMF, "mark", MARK, "stop", STOP);
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    void field(String parent, String name, JsonParser p, InboundMessage into) throws IOException {
        switch (parent) {
            case "" -> {
                switch (name) {
                    case "event" -> event(p, into);
                    case "sequenceNumber" -> into.sequence(Json.longValue(p));
                    case "streamSid" -> Json.streamId(p, into);
                    default -> { }
                }
            }
            case "media" -> {
                switch (name) {
                    case "payload" -> Json.payload(p, into);
                    case "chunk" -> into.chunk(Json.longValue(p));
                    case "timestamp" -> into.timestampMillis(Json.longValue(p));
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
            case "start" -> {
                switch (name) {
                    case "streamSid" -> into.call(name()).streamId(p.getValueAsString(""));
                    case "callSid" -> into.call(name()).callId(p.getValueAsString(""));
                    case "accountSid" -> into.call(name()).accountId(p.getValueAsString(""));
                    case "tracks" -> into.call(name()).track(p.getValueAsString(""));
                    default -> { }
                }
            }
            case "customParameters" -> into.call(name()).customParameter(name, p.getValueAsString(""));
            case "mediaFormat" -> {
                switch (name) {
                    case "encoding" -> {
                        if (Json.textIs(p, "audio/x-mulaw")) {
                            into.call(name()).encoding(WireEncoding.MULAW);
                        } else {
                            into.invalid(Problem.MALFORMED, "unsupported Twilio encoding " + p.getText());
                        }
                    }
                    case "sampleRate" -> into.call(name()).sampleRate((int) Json.longValue(p));
                    default -> { }
                }
            }
            default -> { }
        }
    }

    @Override
    public void writeMedia(CallInfo call, byte[] audio, int length, StringBuilder out) {
        out.append("{\"event\":\"media\",");
        pair(out, "streamSid", call.streamId());
        out.append(",\"media\":{\"payload\":\"");
        Base64Codec.encode(audio, length, out);
        out.append("\"}}");
    }

    @Override
    public void writeMark(CallInfo call, String name, StringBuilder out) {
        out.append("{\"event\":\"mark\",");
        pair(out, "streamSid", call.streamId());
        out.append(",\"mark\":{");
        pair(out, "name", name);
        out.append("}}");
    }

    @Override
    public void writeClear(CallInfo call, StringBuilder out) {
        out.append("{\"event\":\"clear\",");
        pair(out, "streamSid", call.streamId());
        out.append('}');
    }
}
