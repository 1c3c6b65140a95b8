package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * One decoded text frame of the ElevenLabs TTS sockets, decoded into reusable buffers: a
 * reader thread keeps one instance and overwrites it per message, so base64 audio is decoded
 * without a fresh array each time. Accepts both spellings seen on the wire
 * ({@code isFinal}/{@code is_final}, {@code contextId}/{@code context_id}) and both duration
 * keys ({@code charDurationsMs}, and the spec's {@code charsDurationsMs}).
 */
final class ServerMessage {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Character timings of one audio chunk, in ms relative to the chunk. */
    static final class Alignment {
        boolean present;
        int size;
        String[] chars = new String[64];
        double[] startMs = new double[64];
        double[] durationMs = new double[64];

        void clear() {
            present = false;
            size = 0;
        }
    }

    /** A growable byte buffer the base64 decoder writes into. */
    static final class Bytes extends OutputStream {
        byte[] buf = new byte[8192];
        int len;

        @Override
        public void write(int b) {
            ensure(len + 1);
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) {
            ensure(len + n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        private void ensure(int cap) {
            if (cap > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(cap, buf.length * 2));
            }
        }
    }

    final Bytes audio = new Bytes();
    boolean hasAudio;
    boolean isFinal;
    final Alignment alignment = new Alignment();
    final Alignment normalized = new Alignment();
    String contextId;
    String error;
    String message;
    int code;
    String type;

    /** Alignment for the text as sent when ElevenLabs gave it, else for the normalized text, else null. */
    Alignment bestAlignment() {
        if (alignment.present && alignment.size > 0) {
            return alignment;
        }
        return normalized.present && normalized.size > 0 ? normalized : null;
    }

    /**
     * Overwrites this message with {@code json}.
     *
     * @throws SessionException {@link ErrorCode#PROVIDER_PROTOCOL} if it is not a JSON object
     *                          or its audio is not base64
     */
    ServerMessage parse(String json) {
        hasAudio = false;
        isFinal = false;
        alignment.clear();
        normalized.clear();
        contextId = null;
        error = null;
        message = null;
        code = 0;
        type = null;
        audio.len = 0;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SessionException(ErrorCode.PROVIDER_PROTOCOL, "ElevenLabs sent a text frame that is not a JSON object: " + cut(json));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "audio" -> {
                        if (t == JsonToken.VALUE_STRING) {
                            p.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, audio);
                            hasAudio = audio.len > 0;
                        }
                    }
                    case "isFinal", "is_final" -> isFinal = t == JsonToken.VALUE_TRUE;
                    case "alignment" -> readAlignment(p, t, alignment);
                    case "normalizedAlignment", "normalized_alignment" -> readAlignment(p, t, normalized);
                    case "contextId", "context_id" -> contextId = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "error" -> error = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "message" -> message = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "code" -> code = t.isNumeric() ? p.getIntValue() : 0;
                    case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> p.skipChildren();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SessionException(ErrorCode.PROVIDER_PROTOCOL, "ElevenLabs sent a malformed message: " + cut(json), e);
        }
        return this;
    }

    private static void readAlignment(JsonParser p, JsonToken t, Alignment a) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        a.present = true;
        int chars = 0;
        int starts = 0;
        int durations = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken at = p.nextToken();
            if (at != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            switch (field) {
                case "chars" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        grow(a, chars + 1);
                        a.chars[chars++] = p.getValueAsString("");
                    }
                }
                case "charStartTimesMs" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        grow(a, starts + 1);
                        a.startMs[starts++] = p.getValueAsDouble();
                    }
                }
                case "charDurationsMs", "charsDurationsMs" -> {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        grow(a, durations + 1);
                        a.durationMs[durations++] = p.getValueAsDouble();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (chars != starts || chars != durations) {
            throw new IllegalArgumentException("alignment arrays differ in length: chars " + chars + ", starts " + starts
                    + ", durations " + durations);
        }
        a.size = chars;
    }

    private static void grow(Alignment a, int n) {
        if (n > a.chars.length) {
            int cap = Math.max(n, a.chars.length * 2);
            a.chars = Arrays.copyOf(a.chars, cap);
            a.startMs = Arrays.copyOf(a.startMs, cap);
            a.durationMs = Arrays.copyOf(a.durationMs, cap);
        }
    }

    private static String cut(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
