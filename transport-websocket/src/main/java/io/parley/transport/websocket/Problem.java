package io.parley.transport.websocket;

/** Why an inbound message was skipped. Each is counted in {@link StreamStats}. */
public enum Problem {
    /** Not JSON, or JSON of the wrong shape. */
    MALFORMED,
    /** A media payload that is not valid base64, or not whole samples. */
    BAD_PAYLOAD,
    /** An event this protocol does not know. */
    UNKNOWN_EVENT,
    /** Media, DTMF or a mark before the stream's {@code start}. */
    BEFORE_START,
    /** A second {@code start}, or a message for another stream. */
    OUT_OF_ORDER,
    /** A media chunk older than one already played (late or duplicated). */
    LATE_CHUNK,
    /** A mark echo that names no mark this side sent. */
    UNKNOWN_MARK,
    /** A message larger than the configured limit. */
    TOO_LARGE,
    /** The provider reported an error on the stream. */
    PROVIDER_ERROR
}
