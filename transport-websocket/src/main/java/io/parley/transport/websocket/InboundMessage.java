package io.parley.transport.websocket;

import java.util.Objects;

/**
 * One inbound media-stream message as a {@link MediaStreamProtocol} read it: a mutable holder
 * reused for every message of a connection, so reading media allocates nothing.
 */
public final class InboundMessage {

    /** What the message is. */
    public enum Kind {
        /** The socket is up ({@code connected}); nothing to do. */
        CONNECTED,
        /** The stream started; {@link #call()} describes it. */
        START,
        /** Caller audio in {@link #payload()}. */
        MEDIA,
        /** A DTMF key press in {@link #digit()}. */
        DTMF,
        /** A mark this side sent was reached (played or cleared); its name is {@link #name()}. */
        MARK,
        /** Text typed by the caller in {@link #name()} (raw WebSocket clients). */
        TEXT,
        /** The stream ended: the caller hung up or the provider stopped it. */
        STOP,
        /** A known message with nothing for the transport (acknowledgements). */
        IGNORED,
        /** A message that could not be used; see {@link #problem()} and {@link #detail()}. */
        INVALID
    }

    private Kind kind;
    private final StringBuilder streamId = new StringBuilder();
    private long sequence = -1;
    private long chunk = -1;
    private long timestampMillis = -1;
    private byte[] payload = new byte[640];
    private int payloadLength;
    private char digit;
    private long durationMillis = -1;
    private String name = "";
    private CallInfo.Builder call;
    private Problem problem;
    private String detail = "";
    /** The connection's JSON parser, kept with the message holder that lives as long as the connection. */
    private JsonReader jsonReader;

    /** The reader for this connection's JSON messages, made on first use. */
    JsonReader jsonReader() {
        if (jsonReader == null) {
            jsonReader = new JsonReader();
        }
        return jsonReader;
    }

    /** Clears every field before the next message. */
    public void reset() {
        kind = null;
        streamId.setLength(0);
        sequence = -1;
        chunk = -1;
        timestampMillis = -1;
        payloadLength = 0;
        digit = 0;
        durationMillis = -1;
        name = "";
        call = null;
        problem = null;
        detail = "";
    }

    /** The message kind, or null if none was set since {@link #reset()}. */
    public Kind kind() {
        return kind;
    }

    /** Sets the message kind, unless the message was already found {@link Kind#INVALID}. */
    public InboundMessage kind(Kind kind) {
        if (problem == null) {
            this.kind = Objects.requireNonNull(kind);
        }
        return this;
    }

    /** Marks the message unusable; the first problem found is kept. */
    public InboundMessage invalid(Problem problem, String detail) {
        if (this.problem != null) {
            return this;
        }
        this.kind = Kind.INVALID;
        this.problem = Objects.requireNonNull(problem);
        this.detail = Objects.requireNonNull(detail);
        return this;
    }

    /** Why the message is {@link Kind#INVALID}, or null. */
    public Problem problem() {
        return problem;
    }

    /** What was wrong, for logs and errors. */
    public String detail() {
        return detail;
    }

    /** The stream the message names; empty when it names none. Valid until the next {@link #reset()}. */
    public CharSequence streamId() {
        return streamId;
    }

    /** Sets the stream id from {@code chars[off..off+len)} without allocating. */
    public InboundMessage streamId(char[] chars, int off, int len) {
        streamId.setLength(0);
        streamId.append(chars, off, len);
        return this;
    }

    /** Whether the message names no stream or names {@code id}. */
    public boolean streamIdMatches(String id) {
        return streamId.length() == 0 || id.contentEquals(streamId);
    }

    /** The provider's message sequence number, or -1. */
    public long sequence() {
        return sequence;
    }

    /** Sets the message sequence number. */
    public InboundMessage sequence(long sequence) {
        this.sequence = sequence;
        return this;
    }

    /** The media chunk number (1 for the first media message), or -1. */
    public long chunk() {
        return chunk;
    }

    /** Sets the media chunk number. */
    public InboundMessage chunk(long chunk) {
        this.chunk = chunk;
        return this;
    }

    /** Milliseconds of stream time at the start of this media, or -1. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** Sets the media timestamp. */
    public InboundMessage timestampMillis(long timestampMillis) {
        this.timestampMillis = timestampMillis;
        return this;
    }

    /** The payload buffer; only {@code [0, payloadLength())} is meaningful. */
    public byte[] payload() {
        return payload;
    }

    /** Payload bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * Decodes base64 {@code chars[off..off+len)} into the payload, growing the buffer only
     * when a larger message than any before arrives.
     *
     * @return false if the text is not valid base64
     */
    public boolean decodeBase64Payload(char[] chars, int off, int len) {
        int max = Base64Codec.maxDecodedLength(len);
        if (max > payload.length) {
            payload = new byte[max];
        }
        int n = Base64Codec.decode(chars, off, len, payload);
        if (n < 0) {
            payloadLength = 0;
            return false;
        }
        payloadLength = n;
        return true;
    }

    /** Copies raw bytes (binary frames) into the payload. */
    public InboundMessage payload(java.nio.ByteBuffer data) {
        int n = data.remaining();
        if (n > payload.length) {
            payload = new byte[n];
        }
        data.get(payload, 0, n);
        payloadLength = n;
        return this;
    }

    /** The DTMF digit: 0-9, *, #, A-D. */
    public char digit() {
        return digit;
    }

    /** Sets the DTMF digit. */
    public InboundMessage digit(char digit) {
        this.digit = digit;
        return this;
    }

    /** How long the DTMF key was held, in ms, or -1 if the provider does not say. */
    public long durationMillis() {
        return durationMillis;
    }

    /** Sets how long the DTMF key was held. */
    public InboundMessage durationMillis(long durationMillis) {
        this.durationMillis = durationMillis;
        return this;
    }

    /** The mark name, the caller's text, or the unknown event's name. */
    public String name() {
        return name;
    }

    /** Sets the name. */
    public InboundMessage name(String name) {
        this.name = Objects.requireNonNull(name);
        return this;
    }

    /** The call description being collected from a start message, created on first use. */
    public CallInfo.Builder call(String protocol) {
        if (call == null) {
            call = CallInfo.builder(protocol);
        }
        return call;
    }

    /** The call description collected, or null when this is not a start message. */
    public CallInfo.Builder call() {
        return call;
    }
}
