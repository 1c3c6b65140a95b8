package io.parley.transport.websocket;

import static io.parley.transport.websocket.InboundMessage.Kind.DTMF;
import static io.parley.transport.websocket.InboundMessage.Kind.IGNORED;
import static io.parley.transport.websocket.InboundMessage.Kind.MARK;
import static io.parley.transport.websocket.InboundMessage.Kind.MEDIA;
import static io.parley.transport.websocket.InboundMessage.Kind.START;
import static io.parley.transport.websocket.InboundMessage.Kind.STOP;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Plivo audio streams (plivo.com/docs/voice/audio-streaming) with
 * {@code contentType="audio/x-mulaw;rate=8000"}: a numeric {@code sequenceNumber}, camelCase
 * start fields, {@code playAudio}/{@code checkpoint}/{@code clearAudio} outbound, and
 * {@code playedStream} echoing a checkpoint.
 */
final class PlivoProtocol extends JsonProtocol {

    static final PlivoProtocol INSTANCE = new PlivoProtocol();

    private PlivoProtocol() {
        super("start", START, "media", MEDIA, "dtmf", DTMF, "playedStream", MARK, "clearedAudio", IGNORED, "stop", STOP);
    }

    @Override
    public String name() {
        return "plivo";
    }

    @Override
    void field(String parent, String name, JsonParser p, InboundMessage into) throws IOException {
        switch (parent) {
            case "" -> {
                switch (name) {
                    case "event" -> event(p, into);
                    case "sequenceNumber" -> into.sequence(Json.longValue(p));
                    case "streamId" -> Json.streamId(p, into);
                    case "name" -> into.name(p.getValueAsString(""));
                    case "extra_headers" -> into.call(name()).customParameter("extra_headers", p.getValueAsString(""));
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
            case "start" -> {
                switch (name) {
                    case "streamId" -> into.call(name()).streamId(p.getValueAsString(""));
                    case "callId" -> into.call(name()).callId(p.getValueAsString(""));
                    case "accountId" -> into.call(name()).accountId(p.getValueAsString(""));
                    case "tracks" -> into.call(name()).track(p.getValueAsString(""));
                    default -> { }
                }
            }
            case "mediaFormat" -> {
                switch (name) {
                    case "encoding" -> {
                        if (Json.textIs(p, "audio/x-mulaw")) {
                            into.call(name()).encoding(WireEncoding.MULAW);
                        } else {
                            into.invalid(Problem.MALFORMED, "unsupported Plivo encoding " + p.getText()
                                    + " (stream with contentType audio/x-mulaw;rate=8000)");
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
        out.append("{\"event\":\"playAudio\",\"media\":{\"contentType\":\"audio/x-mulaw\",\"sampleRate\":")
                .append(call.sampleRate()).append(",\"payload\":\"");
        Base64Codec.encode(audio, length, out);
        out.append("\"}}");
    }

    @Override
    public void writeMark(CallInfo call, String name, StringBuilder out) {
        out.append("{\"event\":\"checkpoint\",");
        pair(out, "streamId", call.streamId());
        out.append(',');
        pair(out, "name", name);
        out.append('}');
    }

    @Override
    public void writeClear(CallInfo call, StringBuilder out) {
        out.append("{\"event\":\"clearAudio\",");
        pair(out, "streamId", call.streamId());
        out.append('}');
    }
}
