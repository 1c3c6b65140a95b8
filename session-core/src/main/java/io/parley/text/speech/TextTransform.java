package io.parley.text.speech;

/**
 * One step of turning an agent's written reply into text a synthesizer should say, such as
 * dropping markdown or writing "$5" as "five dollars".
 *
 * <p>A {@link SpeechText} chain feeds each transform the streaming reply in <em>segments</em>
 * of whole words: a segment starts at the reply's start or right after whitespace, and ends
 * with whitespace or at the reply's end. A transform whose rewrites span several words says so
 * through {@link #lookahead()} and {@link #releasable(CharSequence, int)}, so the chain never
 * cuts through something it would rewrite. Rewrites must not span a sentence boundary (a
 * {@code . ! ? ; :} or newline followed by whitespace): the chain always releases text up to
 * the last such boundary, so a sentence is never held back for the next one.
 *
 * <p>Implementations are immutable and thread-safe; the chain keeps the per-reply state.
 */
public interface TextTransform {

    /**
     * Rewrites one segment.
     *
     * @param segment   whole words, as described above
     * @param lineStart whether the segment starts a line (the reply's start, or right after a newline)
     * @return the rewritten text, possibly empty
     */
    String apply(String segment, boolean lineStart);

    /**
     * How many complete words the chain must hold after a cut before it hands this transform
     * the text before the cut: one less than the most words a rewrite can span. 0 for
     * transforms that rewrite each word on its own.
     */
    default int lookahead() {
        return 0;
    }

    /**
     * Where the chain may cut {@code pending} at the latest: {@code limit}, or an earlier
     * index if a rewrite starting before {@code limit} is still open (an unclosed link, a
     * match running past {@code limit}). The chain rounds the answer down to a word start.
     *
     * @param pending text received but not yet rewritten, starting at a segment start
     * @param limit   the cut the chain proposes, at most {@code pending.length()}
     */
    default int releasable(CharSequence pending, int limit) {
        return limit;
    }
}
