package io.parley.transport.websocket;

/**
 * Where each provider puts the values a fake changes in its documented samples.
 */
enum Dialect {
    TWILIO("twilio.txt", MediaStreamProtocol.twilio(), WireEncoding.MULAW, "sequenceNumber", "media.chunk", "media.timestamp",
            "media.payload", "dtmf.digit", "mark.name", "media", "mark", "clear", "media.payload", "mark.name"),
    TELNYX("telnyx.txt", MediaStreamProtocol.telnyx(), WireEncoding.MULAW, "sequence_number", "media.chunk", "media.timestamp",
            "media.payload", "dtmf.digit", "mark.name", "media", "mark", "clear", "media.payload", "mark.name"),
    PLIVO("plivo.txt", MediaStreamProtocol.plivo(), WireEncoding.MULAW, "sequenceNumber", "media.chunk", "media.timestamp",
            "media.payload", "dtmf.digit", "name", "playAudio", "checkpoint", "clearAudio", "media.payload", "name"),
    EXOTEL("exotel.txt", MediaStreamProtocol.exotel(), WireEncoding.L16, "sequence_number", "media.chunk", "media.timestamp",
            "media.payload", "dtmf.digit", "mark.name", "media", "mark", "clear", "media.payload", "mark.name");

    final Samples samples;
    final MediaStreamProtocol protocol;
    /** The encoding of the documented start message, at 8 kHz. */
    final WireEncoding encoding;
    final String seq;
    final String chunk;
    final String timestamp;
    final String payload;
    final String digit;
    final String markName;
    final String outMedia;
    final String outMark;
    final String outClear;
    final String outPayload;
    final String outMarkName;

    Dialect(String file, MediaStreamProtocol protocol, WireEncoding encoding, String seq, String chunk, String timestamp, String payload,
            String digit, String markName, String outMedia, String outMark, String outClear, String outPayload,
            String outMarkName) {
        this.samples = Samples.load(file);
        this.protocol = protocol;
        this.encoding = encoding;
        this.seq = seq;
        this.chunk = chunk;
        this.timestamp = timestamp;
        this.payload = payload;
        this.digit = digit;
        this.markName = markName;
        this.outMedia = outMedia;
        this.outMark = outMark;
        this.outClear = outClear;
        this.outPayload = outPayload;
        this.outMarkName = outMarkName;
    }
}
