package io.parley.providers.elevenlabs;

/** Where to cut an agent's streaming text: after sentences, and below a provider's size limit. */
final class TextChunks {

    private TextChunks() {
    }

    /**
     * Index just past the last sentence end in {@code s} (a {@code . ! ? ; :} or newline
     * followed by whitespace), or -1. A terminator at the very end does not count: the next
     * chunk may continue it ("3." + "14").
     */
    static int lastSentenceEnd(CharSequence s) {
        for (int i = s.length() - 2; i >= 0; i--) {
            char c = s.charAt(i);
            if ((c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n')
                    && Character.isWhitespace(s.charAt(i + 1))) {
                return i + 2;
            }
        }
        return -1;
    }

    /**
     * Length of the longest prefix of {@code s} of at most {@code max} characters that ends at
     * whitespace, or {@code max} when the first {@code max} characters hold none.
     */
    static int cutAtWhitespace(CharSequence s, int max) {
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
