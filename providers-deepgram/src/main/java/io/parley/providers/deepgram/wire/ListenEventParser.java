package io.parley.providers.deepgram.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the JSON text frames of Deepgram's live {@code /v1/listen} socket.
 *
 * <p>It streams over the document instead of building a tree because a busy session receives
 * a {@code Results} message about every second per stream and most of each message
 * ({@code metadata}, extra alternatives, entities) is irrelevant. Field order is not assumed:
 * {@code type} may come last, as it does in real {@code UtteranceEnd} messages. Unknown
 * fields are skipped. Thread-safe and stateless.
 */
public final class ListenEventParser {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Creates a parser; instances hold no state and may be shared. */
    public ListenEventParser() {
    }

    /**
     * Decodes one text frame.
     *
     * A JSON object without a string {@code type} decodes to {@link ListenEvent.Untyped}.
     *
     * @throws SessionException with {@link ErrorCode#PROVIDER_PROTOCOL} if the frame is not a
     *                          JSON object
     */
    public ListenEvent parse(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            return parseObject(p, json);
        } catch (IOException e) {
            throw new SessionException(ErrorCode.PROVIDER_PROTOCOL,
                    "Deepgram sent a text frame that is not valid JSON: " + abbreviate(json), e);
        }
    }

    private static ListenEvent parseObject(JsonParser p, String json) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw protocol("Deepgram sent a text frame that is not a JSON object", json);
        }
        String type = null;
        int channel = 0;
        int channels = 1;
        double start = 0;
        double duration = 0;
        boolean isFinal = false;
        boolean speechFinal = false;
        boolean fromFinalize = false;
        double lastWordEnd = 0;
        double timestamp = 0;
        String requestId = "";
        String description = "";
        String message = "";
        String variant = "";
        Alternative alt = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "type" -> type = t == JsonToken.VALUE_STRING ? p.getText() : null;
                case "channel_index" -> {
                    int[] ci = readIntPair(p, t);
                    channel = ci[0];
                    channels = ci[1];
                }
                case "channel" -> {
                    if (t == JsonToken.START_OBJECT) {
                        alt = readChannel(p);
                    } else {
                        channel = readIntPair(p, t)[0];
                    }
                }
                case "start" -> start = orZero(number(p, t));
                case "duration" -> duration = orZero(number(p, t));
                case "is_final" -> isFinal = t == JsonToken.VALUE_TRUE;
                case "speech_final" -> speechFinal = t == JsonToken.VALUE_TRUE;
                case "from_finalize" -> fromFinalize = t == JsonToken.VALUE_TRUE;
                case "last_word_end" -> lastWordEnd = number(p, t);
                case "timestamp" -> timestamp = number(p, t);
                case "request_id" -> requestId = t == JsonToken.VALUE_STRING ? p.getText() : "";
                case "description" -> description = stringOrSkip(p, t);
                case "message" -> message = stringOrSkip(p, t);
                case "variant" -> variant = stringOrSkip(p, t);
                default -> p.skipChildren();
            }
        }
        if (type == null) {
            return new ListenEvent.Untyped(abbreviate(json));
        }
        return switch (type) {
            case "Results" -> {
                Alternative a = alt == null ? Alternative.EMPTY : alt;
                yield new ListenEvent.Results(channel, channels, start, duration, isFinal, speechFinal,
                        fromFinalize, a.transcript, a.confidence, a.words, a.language);
            }
            case "UtteranceEnd" -> new ListenEvent.UtteranceEnd(channel, lastWordEnd);
            case "SpeechStarted" -> new ListenEvent.SpeechStarted(channel, timestamp);
            case "Metadata" -> new ListenEvent.Metadata(requestId, duration);
            case "Error" -> new ListenEvent.Error(description, message, variant);
            default -> new ListenEvent.Unknown(type);
        };
    }

    private static String stringOrSkip(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return "";
    }

    /** Reads {@code channel.alternatives[0]}; other alternatives are skipped. */
    private static Alternative readChannel(JsonParser p) throws IOException {
        Alternative first = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            if ("alternatives".equals(field) && t == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    if (first == null) {
                        first = readAlternative(p);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return first;
    }

    private static Alternative readAlternative(JsonParser p) throws IOException {
        Alternative a = new Alternative();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "transcript" -> a.transcript = t == JsonToken.VALUE_STRING ? p.getText() : "";
                case "confidence" -> a.confidence = number(p, t);
                case "languages" -> {
                    if (t == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (a.language.isEmpty() && p.currentToken() == JsonToken.VALUE_STRING) {
                                a.language = p.getText();
                            }
                            p.skipChildren();
                        }
                    }
                }
                case "words" -> {
                    if (t == JsonToken.START_ARRAY) {
                        List<ListenEvent.ResultWord> words = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            words.add(readWord(p));
                        }
                        a.words = words;
                    }
                }
                default -> p.skipChildren();
            }
        }
        return a;
    }

    private static ListenEvent.ResultWord readWord(JsonParser p) throws IOException {
        String word = "";
        String punctuated = "";
        double start = 0;
        double end = 0;
        double confidence = Double.NaN;
        int speaker = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "word" -> word = t == JsonToken.VALUE_STRING ? p.getText() : "";
                case "punctuated_word" -> punctuated = t == JsonToken.VALUE_STRING ? p.getText() : "";
                case "start" -> start = orZero(number(p, t));
                case "end" -> end = orZero(number(p, t));
                case "confidence" -> confidence = number(p, t);
                case "speaker" -> speaker = t.isNumeric() ? p.getIntValue() : -1;
                default -> p.skipChildren();
            }
        }
        return new ListenEvent.ResultWord(word, punctuated, start, Math.max(start, end), confidence, speaker);
    }

    private static int[] readIntPair(JsonParser p, JsonToken t) throws IOException {
        int[] pair = {0, 1};
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return pair;
        }
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (i < 2 && p.currentToken().isNumeric()) {
                pair[i] = p.getIntValue();
            }
            p.skipChildren();
            i++;
        }
        return pair;
    }

    private static double number(JsonParser p, JsonToken t) throws IOException {
        if (t.isNumeric()) {
            return p.getDoubleValue();
        }
        p.skipChildren();
        return Double.NaN;
    }

    private static double orZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static SessionException protocol(String what, String json) {
        return new SessionException(ErrorCode.PROVIDER_PROTOCOL, what + ": " + abbreviate(json));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** The parts of an alternative the session uses. */
    private static final class Alternative {
        static final Alternative EMPTY = new Alternative();
        String transcript = "";
        double confidence = Double.NaN;
        String language = "";
        List<ListenEvent.ResultWord> words = List.of();
    }
}
