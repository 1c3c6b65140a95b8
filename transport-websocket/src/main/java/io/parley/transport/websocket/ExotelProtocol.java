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
 * Exotel's Voicebot applet, bidirectional (developer.exotel.com/docs/agentstream/websocket-protocol):
 * Twilio's events with snake_case fields ({@code stream_sid}, {@code sequence_number},
 * {@code call_sid}, {@code custom_parameters}, {@code media_format.sample_rate} as a string) and
 * base64 16-bit little-endian linear PCM ({@code audio/x-raw}) at 8, 16 or 24 kHz, or µ-law
 * when the stream was started with {@code audio/x-mulaw}. Exotel wants outbound chunks in
 * multiples of 320 bytes, so audio goes out in whole 20 ms frames.
 */
final class ExotelProtocol extends JsonProtocol {

    static final ExotelProtocol INSTANCE = new ExotelProtocol();

    private ExotelProtocol() {
        super("connected", CONNECTED, "start", START, "media", MEDIA, "dtmf", DTMF, "mark", MARK, "stop", STOP);
    }

    @Override
    public String name() {
        return "exotel";
    }

    @Override
    void field(String parent, String name, JsonParser p, InboundMessage into) throws IOException {
        switch (parent) {
            case "" -> {
                switch (name) {
                    case "event" -> event(p, into);
                    case "sequence_number" -> into.sequence(Json.longValue(p));
                    case "stream_sid" -> Json.streamId(p, into);
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
                switch (name) {
                    case "digit" -> Json.digit(p, into);
                    case "duration" -> into.durationMillis(Json.longValue(p));
                    default -> { }
                }
            }
            case "mark" -> {
                if (name.equals("name")) {
                    into.name(p.getValueAsString(""));
                }
            }
            case "start" -> {
                switch (name) {
                    case "stream_sid" -> into.call(name()).streamId(p.getValueAsString(""));
                    case "call_sid" -> into.call(name()).callId(p.getValueAsString(""));
                    case "account_sid" -> into.call(name()).accountId(p.getValueAsString(""));
                    case "from" -> into.call(name()).from(p.getValueAsString(""));
                    case "to" -> into.call(name()).to(p.getValueAsString(""));
                    default -> { }
                }
            }
            case "custom_parameters" -> into.call(name()).customParameter(name, p.getValueAsString(""));
            case "media_format" -> {
                switch (name) {
                    case "encoding" -> {
                        if (Json.textIs(p, "audio/x-raw")) {
                            into.call(name()).encoding(WireEncoding.L16);
                        } else if (Json.textIs(p, "audio/x-mulaw")) {
                            into.call(name()).encoding(WireEncoding.MULAW);
                        } else {
                            into.invalid(Problem.MALFORMED, "unsupported Exotel encoding " + p.getText()
                                    + " (expected audio/x-raw or audio/x-mulaw)");
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
    public int mediaFrameMillis() {
        return 20;
    }

    @Override
    public void writeMedia(CallInfo call, byte[] audio, int length, StringBuilder out) {
        out.append("{\"event\":\"media\",");
        pair(out, "stream_sid", call.streamId());
        out.append(",\"media\":{\"payload\":\"");
        Base64Codec.encode(audio, length, out);
        out.append("\"}}");
    }

    @Override
    public void writeMark(CallInfo call, String name, StringBuilder out) {
        out.append("{\"event\":\"mark\",");
        pair(out, "stream_sid", call.streamId());
        out.append(",\"mark\":{");
        pair(out, "name", name);
        out.append("}}");
    }

    @Override
    public void writeClear(CallInfo call, StringBuilder out) {
        out.append("{\"event\":\"clear\",");
        pair(out, "stream_sid", call.streamId());
        out.append('}');
    }
}
