package io.parley.bench.telephony;

import io.parley.transport.websocket.CallInfo;
import io.parley.transport.websocket.InboundMessage;
import io.parley.transport.websocket.MediaStreamProtocol;
import io.parley.transport.websocket.WireEncoding;
import java.nio.ByteBuffer;

/**
 * A media-stream protocol with no envelope: binary messages of raw µ-law at 8 kHz both ways,
 * any text message starts the stream. It isolates the transport's codec path (µ-law, 8 kHz to
 * the session rate and back) from JSON and base64, which every provider wraps around it.
 */
final class RawMulaw implements MediaStreamProtocol {

    @Override
    public String name() {
        return "raw-mulaw";
    }

    @Override
    public void read(String text, InboundMessage into) {
        into.kind(InboundMessage.Kind.START);
        into.call(name()).streamId("bench").encoding(WireEncoding.MULAW).sampleRate(8000);
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
        throw new UnsupportedOperationException("binary media");
    }

    @Override
    public void writeMark(CallInfo call, String name, StringBuilder out) {
        out.append("{\"mark\":\"").append(name).append("\"}");
    }

    @Override
    public void writeClear(CallInfo call, StringBuilder out) {
        out.append("{\"clear\":true}");
    }
}
