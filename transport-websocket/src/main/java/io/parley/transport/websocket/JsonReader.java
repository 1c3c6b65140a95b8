package io.parley.transport.websocket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Reads one connection's JSON messages with a single Jackson parser kept for the connection's
 * life, so a media message costs no garbage: a parser made per message (Jackson has no reset)
 * allocates its context, symbol table and buffers each time, about 600 bytes per 20 ms frame.
 *
 * <p>Jackson's only parser that can be reused is the non-blocking one, which reads a stream of
 * root values from bytes fed to it: each message's text is encoded to UTF-8 into a reused
 * buffer and fed as the next value. A message that is not exactly one complete object leaves
 * the parser mid-value, so it is replaced; only malformed input pays for a new one.
 *
 * <p>One instance per connection, used from the connection's thread only.
 */
final class JsonReader {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int MAX_DEPTH = 8;

    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private byte[] bytes = new byte[1024];
    /** Bytes fed to {@link #parser} so far: where its input ends. */
    private long fed;

    /**
     * Walks {@code text}, a JSON object, handing every scalar value to {@code protocol}.
     *
     * @return null on success, else what was wrong
     */
    String walk(String text, JsonProtocol protocol, InboundMessage into) {
        int n = encode(text);
        try {
            if (parser == null) {
                parser = FACTORY.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
                fed = 0;
            }
            JsonParser p = parser;
            feeder.feedInput(bytes, 0, n);
            fed += n;
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return fail(first == JsonToken.NOT_AVAILABLE ? "empty or incomplete message" : "not a JSON object");
            }
            if (!object(p, "", protocol, into, 1)) {
                return fail("incomplete JSON object");
            }
            // The parser stands just after the object's closing brace; anything but blanks after
            // it would start another value, and leave the parser inside it.
            int end = Math.toIntExact(p.currentLocation().getByteOffset() - (fed - n));
            for (int i = end; i < n; i++) {
                byte c = bytes[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return fail("trailing content after the JSON object");
                }
            }
            // Trailing blanks are still unread, and the parser takes new input only once it has read all it has.
            if (end < n && p.nextToken() != JsonToken.NOT_AVAILABLE) {
                return fail("trailing content after the JSON object");
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return fail(e.getMessage() == null ? e.toString() : firstLine(e.getMessage()));
        }
    }

    /** Drops the parser, which is mid-value after bad input; the next message gets a new one. */
    private String fail(String problem) {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException e) {
                // A byte-array parser holds no resource whose release could fail meaningfully.
            }
        }
        parser = null;
        feeder = null;
        return problem;
    }

    /** Reads fields up to the object's end; false if the message ends first. */
    private static boolean object(JsonParser p, String parent, JsonProtocol v, InboundMessage into, int depth) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!value(p, p.nextToken(), parent, name, v, into, depth)) {
                return false;
            }
        }
        return t == JsonToken.END_OBJECT;
    }

    private static boolean value(JsonParser p, JsonToken t, String parent, String name, JsonProtocol v, InboundMessage into, int depth)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("JSON nested deeper than " + MAX_DEPTH);
        }
        if (t == null || t == JsonToken.NOT_AVAILABLE) {
            return false;
        }
        if (t == JsonToken.START_OBJECT) {
            return object(p, name, v, into, depth + 1);
        }
        if (t == JsonToken.START_ARRAY) {
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                if (!value(p, e, parent, name, v, into, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        v.field(parent, name, p, into);
        return true;
    }

    /** UTF-8 of {@code text} into {@link #bytes}, grown when a longer message than any before arrives. */
    private int encode(String text) {
        int len = text.length();
        if (bytes.length < 3 * len) {
            bytes = new byte[3 * len];
        }
        byte[] b = bytes;
        int o = 0;
        for (int i = 0; i < len; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                b[o++] = (byte) c;
            } else if (c < 0x800) {
                b[o++] = (byte) (0xC0 | c >> 6);
                b[o++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                b[o++] = (byte) (0xF0 | cp >> 18);
                b[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[o++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                b[o++] = '?'; // an unpaired surrogate has no UTF-8 form; String.getBytes does the same
            } else {
                b[o++] = (byte) (0xE0 | c >> 12);
                b[o++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[o++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return o;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
