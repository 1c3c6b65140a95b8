package io.parley.text;

/**
 * Where to cut an agent's streaming text for a synthesizer: after sentences, and below a
 * provider's size limit. Synthesizers sound best given whole sentences, and the first one
 * should go out as soon as it is complete.
 */
public final class Sentences {

    private Sentences() {
    }

    /**
     * Whether {@code s} has a sentence boundary right after index {@code i}: a
     * {@code . ! ? ; :} or newline at {@code i}, followed by whitespace.
     */
    public static boolean boundaryAfter(CharSequence s, int i) {
        char c = s.charAt(i);
        return (c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n')
                && i + 1 < s.length() && Character.isWhitespace(s.charAt(i + 1));
    }

    /**
     * Index just past the last sentence boundary in {@code s} (the terminator and the
     * whitespace after it), or -1. A terminator at the very end does not count: the next
     * chunk may continue it ("3." then "14").
     */
    public static int lastSentenceEnd(CharSequence s) {
        for (int i = s.length() - 2; i >= 0; i--) {
            if (boundaryAfter(s, i)) {
                return i + 2;
            }
        }
        return -1;
    }

    /**
     * Length of the longest prefix of {@code s} of at most {@code max} characters that ends at
     * whitespace, or {@code max} when the first {@code max} characters hold none.
     *
     * @throws IllegalArgumentException if {@code max} is not positive
     */
    public static int cutAtWhitespace(CharSequence s, int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
        if (s.length() <= max) {
            return s.length();
        }
        for (int i = max; i > 0; i--) {
            if (Character.isWhitespace(s.charAt(i - 1))) {
                return i;
            }
        }
        return max;
    }
}
