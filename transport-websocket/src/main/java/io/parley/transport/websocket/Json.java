package io.parley.transport.websocket;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Helpers for media-stream protocols reading values in place from the parser's buffer (see
 * {@link JsonReader}), so media payloads and ids are read without copies, and for writing JSON.
 */
final class Json {

    private Json() {
    }

    /** Whether the current string value equals {@code s}, compared in place. */
    static boolean textIs(JsonParser p, String s) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return false;
        }
        int len = p.getTextLength();
        if (len != s.length()) {
            return false;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        for (int i = 0; i < len; i++) {
            if (c[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The current value as a non-negative long (number or numeric string), or -1 if it is neither. */
    static long longValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            long v = p.getLongValue();
            return v < 0 ? -1 : v;
        }
        if (t != JsonToken.VALUE_STRING) {
            return -1;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (len == 0 || len > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            int d = c[off + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Reads a base64 media payload into {@code into}, or marks it bad. */
    static void payload(JsonParser p, InboundMessage into) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING
                || !into.decodeBase64Payload(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
            into.invalid(Problem.BAD_PAYLOAD, "media payload is not base64");
        }
    }

    /** Reads the stream id in place. */
    static void streamId(JsonParser p, InboundMessage into) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            into.streamId(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
    }

    /** Reads a one-character DTMF digit, or marks the message malformed. */
    static void digit(JsonParser p, InboundMessage into) throws IOException {
        String d = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : "";
        if (d.length() == 1 && "0123456789*#ABCDabcd".indexOf(d.charAt(0)) >= 0) {
            into.digit(Character.toUpperCase(d.charAt(0)));
        } else {
            into.invalid(Problem.MALFORMED, "DTMF digit '" + d + "' is not one of 0-9 * # A-D");
        }
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
