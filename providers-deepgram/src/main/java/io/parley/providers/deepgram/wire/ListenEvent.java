package io.parley.providers.deepgram.wire;

import java.util.List;
import java.util.Objects;

/**
 * One server message of Deepgram's live {@code /v1/listen} socket, decoded. Times are seconds
 * from the start of the audio received on <em>that</em> connection, exactly as on the wire;
 * callers that reconnect must offset them.
 */
public sealed interface ListenEvent {

    /**
     * A {@code Results} message: the first alternative of one channel.
     *
     * @param channel      index of the channel (from {@code channel_index[0]})
     * @param channels     number of channels (from {@code channel_index[1]})
     * @param start        start of the covered audio range, seconds
     * @param duration     length of the covered audio range, seconds
     * @param isFinal      the range will not be revised
     * @param speechFinal  endpointing detected a pause after this range
     * @param fromFinalize the result answers a {@code Finalize} request
     * @param transcript   the first alternative's transcript, possibly empty
     * @param confidence   the first alternative's confidence
     * @param words        word detail of the first alternative
     * @param language     the first detected language, or empty
     */
    record Results(int channel, int channels, double start, double duration, boolean isFinal,
                   boolean speechFinal, boolean fromFinalize, String transcript, double confidence,
                   List<ResultWord> words, String language) implements ListenEvent {
        public Results {
            Objects.requireNonNull(transcript, "transcript");
            Objects.requireNonNull(language, "language");
            words = List.copyOf(words);
        }

        /** End of the covered audio range, seconds. */
        public double end() {
            return start + duration;
        }
    }

    /**
     * One word of a {@link Results} alternative.
     *
     * @param word           the normalised word
     * @param punctuatedWord the punctuated, cased form, or empty when the request did not ask for it
     * @param start          start, seconds
     * @param end            end, seconds
     * @param confidence     0..1
     * @param speaker        diarization label, or -1 when the request did not diarize
     */
    record ResultWord(String word, String punctuatedWord, double start, double end, double confidence, int speaker) {
        public ResultWord {
            Objects.requireNonNull(word, "word");
            Objects.requireNonNull(punctuatedWord, "punctuatedWord");
        }
    }

    /**
     * An {@code UtteranceEnd} message: no word followed {@code lastWordEnd} for the configured gap.
     *
     * @param channel     channel index
     * @param lastWordEnd end of the last word, seconds
     */
    record UtteranceEnd(int channel, double lastWordEnd) implements ListenEvent {
    }

    /**
     * A {@code SpeechStarted} message from Deepgram's voice activity detector.
     *
     * @param channel   channel index
     * @param timestamp where speech began, seconds
     */
    record SpeechStarted(int channel, double timestamp) implements ListenEvent {
    }

    /**
     * A {@code Metadata} message, sent just before the server closes the socket.
     *
     * @param requestId the request id ({@code dg-request-id})
     * @param duration  seconds of audio the server processed on this connection
     */
    record Metadata(String requestId, double duration) implements ListenEvent {
        public Metadata {
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /**
     * A message whose {@code type} this client does not know; clients ignore it so that new
     * server features never break a session.
     *
     * @param type the {@code type} field as received
     */
    record Unknown(String type) implements ListenEvent {
        public Unknown {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Deepgram reported an error on the live socket ({@code {"type":"Error"}}); a close frame
     * usually follows.
     *
     * @param description short machine-oriented description, or empty
     * @param message     human-readable detail, or empty
     * @param variant     error variant, or empty
     */
    record Error(String description, String message, String variant) implements ListenEvent {
        public Error {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(variant, "variant");
        }
    }

    /**
     * A JSON object without a string {@code type}: not something this protocol defines, so it
     * carries nothing to act on; clients count and skip it rather than give up the stream.
     *
     * @param excerpt the start of the message, for logs
     */
    record Untyped(String excerpt) implements ListenEvent {
        public Untyped {
            Objects.requireNonNull(excerpt, "excerpt");
        }
    }
}
