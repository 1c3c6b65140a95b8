package io.parley.providers.local.tts;

import io.parley.text.Sentences;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts streamed reply text into sentences so synthesis can start before the reply is complete,
 * at the boundaries {@link Sentences} defines; text that runs on for {@link #MAX_CHARS} without
 * one is cut at its last whitespace so a long clause still streams.
 * Not thread-safe.
 */
final class SentenceSplitter {

    /** Longest piece held back waiting for sentence punctuation. */
    static final int MAX_CHARS = 240;

    private final StringBuilder pending = new StringBuilder();

    /** Appends {@code chunk} and hands every sentence it completes to {@code out}. */
    void push(String chunk, Consumer<String> out) {
        pending.append(chunk);
        int start = 0;
        for (int i = 0; i < pending.length(); i++) {
            if (Sentences.boundaryAfter(pending, i)) {
                emit(pending.substring(start, i + 1), out);
                start = i + 1;
            } else if (i - start + 1 >= MAX_CHARS) {
                int cut = start + Sentences.cutAtWhitespace(pending.subSequence(start, pending.length()), MAX_CHARS);
                emit(pending.substring(start, cut), out);
                start = cut;
            }
        }
        pending.delete(0, start);
    }

    /** Hands whatever is left to {@code out} (the end of the reply). */
    void finish(Consumer<String> out) {
        emit(pending.toString(), out);
        pending.setLength(0);
    }

    /** Splits a complete text; convenience for callers that have it all at once. */
    static List<String> split(String text) {
        SentenceSplitter s = new SentenceSplitter();
        List<String> out = new java.util.ArrayList<>();
        s.push(text, out::add);
        s.finish(out::add);
        return out;
    }

    private static void emit(String sentence, Consumer<String> out) {
        String trimmed = sentence.strip();
        if (!trimmed.isEmpty()) {
            out.accept(trimmed);
        }
    }
}
