package io.parley.transport.websocket;

import java.nio.ByteBuffer;

/**
 * The message format of one provider's media-stream WebSocket: how inbound messages read and
 * how outbound audio, marks and clears are written. The transport does everything else
 * (codec, resampling, playout tracking, sequencing, errors), so a provider is one small class.
 *
 * <p>Implementations are stateless and shared by all connections. {@link #read(String, InboundMessage)}
 * runs once per inbound message on the hot path: it should not allocate for media.
 */
public interface MediaStreamProtocol {

    /** Twilio Media Streams, bidirectional ({@code <Connect><Stream>}). */
    static MediaStreamProtocol twilio() {
        return TwilioProtocol.INSTANCE;
    }

    /** Telnyx media streaming with {@code stream_bidirectional_mode: "rtp"}. */
    static MediaStreamProtocol telnyx() {
        return TelnyxProtocol.INSTANCE;
    }

    /** Plivo audio streams ({@code <Stream bidirectional="true">}). */
    static MediaStreamProtocol plivo() {
        return PlivoProtocol.INSTANCE;
    }

    /** Vonage Voice API WebSocket ({@code connect} NCCO, endpoint type {@code websocket}): binary L16 audio. */
    static MediaStreamProtocol vonage() {
        return VonageProtocol.INSTANCE;
    }

    /** Exotel's Voicebot applet (bidirectional stream), base64 linear PCM or µ-law in JSON events. */
    static MediaStreamProtocol exotel() {
        return ExotelProtocol.INSTANCE;
    }

    /** Raw PCM16LE binary frames with a small JSON control channel; see {@code PcmProtocol}. */
    static MediaStreamProtocol pcm() {
        return PcmProtocol.INSTANCE;
    }

    /** Short lowercase name, as in {@link CallInfo#protocol()}. */
    String name();

    /** Reads one text message into {@code into}, which was reset before the call. */
    void read(String text, InboundMessage into);

    /** Reads one binary message; by default binary messages are not part of the protocol. */
    default void read(ByteBuffer data, InboundMessage into) {
        into.invalid(Problem.MALFORMED, name() + " streams carry no binary messages");
    }

    /** Whether outbound audio goes out as binary messages of raw encoded samples instead of {@link #writeMedia}. */
    default boolean binaryMedia() {
        return false;
    }

    /**
     * The exact length in milliseconds of every outbound audio message, or 0 when any length
     * goes. When set, the transport re-frames the agent's audio to that length and pads the last
     * frame of a reply with silence.
     */
    default int mediaFrameMillis() {
        return 0;
    }

    /** Writes a text message carrying {@code audio[0..length)}, already in the call's wire encoding. */
    void writeMedia(CallInfo call, byte[] audio, int length, StringBuilder out);

    /** Writes a mark the provider echoes once the audio sent before it has played (or was cleared). */
    void writeMark(CallInfo call, String name, StringBuilder out);

    /** Writes the message that drops all audio the provider still buffers. */
    void writeClear(CallInfo call, StringBuilder out);
}
