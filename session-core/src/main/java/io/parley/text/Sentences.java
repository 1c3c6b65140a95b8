package io.parley.text;

/**
 * Where to cut an agent's streaming text for a synthesizer: after sentences, and below a
 * provider's size limit. Synthesizers sound best given whole sentences, and the first one
 * should go out as soon as it is complete.
 *
 * <p>Two kinds of sentence end are recognised. Latin-style terminators ({@code . ! ? ; :}
 * and newline) end a sentence only when whitespace follows, so "3.14" and "e.g." inside a
 * sentence do not cut it. Terminators of scripts written without spaces (Chinese and
 * Japanese {@code 。！？；：…}, the half-width {@code ｡}, Devanagari {@code । ॥}, Arabic
 * {@code ؟ ۔}, Ethiopic {@code ። ፧}, {@code ‼ ⁇ ⁈ ⁉}) end a sentence at once, as soon as
 * the next character shows the sentence is over. Closing quotes and brackets right after a
 * terminator stay with its sentence: {@code 「はい。」} and {@code "Stop."} are one piece.
 */
public final class Sentences {

    private Sentences() {
    }

    private static boolean spacedTerminator(char c) {
        return c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == '\n';
    }

    private static boolean unspacedTerminator(char c) {
        return switch (c) {
            case '\u3002', '\uFF01', '\uFF1F', '\uFF1B', '\uFF1A', '\u2026', '\uFF61',
                 '\u0964', '\u0965', '\u061F', '\u06D4', '\u1362', '\u1367',
                 '\u203C', '\u2047', '\u2048', '\u2049' -> true;
            default -> false;
        };
    }

    private static boolean closer(char c) {
        return switch (c) {
            case '"', '\'', ')', ']', '}', '\u201D', '\u2019', '\u00BB', '\u300D', '\u300F', '\uFF09', '\u3011',
                 '\u300B', '\u3009', '\u3015', '\uFF3D', '\uFF5D', '\uFF63' -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code s} has a sentence boundary right after index {@code i}: a Latin-style
     * terminator (possibly followed by closing quotes or brackets) at {@code i} with
     * whitespace after it, or a terminator of an unspaced script (possibly followed by closing
     * quotes or brackets) at {@code i} with anything but more terminators or closers after it.
     * A terminator at the very end does not count: the next chunk may continue it.
     */
    public static boolean boundaryAfter(CharSequence s, int i) {
        if (i + 1 >= s.length()) {
            return false;
        }
        int j = i;
        while (j >= 0 && closer(s.charAt(j))) {
            j--;
        }
        if (j < 0) {
            return false;
        }
        char t = s.charAt(j);
        char next = s.charAt(i + 1);
        if (spacedTerminator(t)) {
            return Character.isWhitespace(next);
        }
        if (unspacedTerminator(t)) {
            return !unspacedTerminator(next) && !closer(next);
        }
        return false;
    }

    /**
     * Index just past the last sentence boundary in {@code s} (the terminator, closers, and the
     * whitespace after them if any), or -1. A terminator at the very end does not count: the
     * next chunk may continue it ("3." then "14", "。" then "」").
     */
    public static int lastSentenceEnd(CharSequence s) {
        for (int i = s.length() - 2; i >= 0; i--) {
            if (boundaryAfter(s, i)) {
                return Character.isWhitespace(s.charAt(i + 1)) ? i + 2 : i + 1;
            }
        }
        return -1;
    }

    /**
     * Length of the longest prefix of {@code s} of at most {@code max} characters that ends at
     * whitespace or after an unspaced script's punctuation (such as {@code 、，。}), or
     * {@code max} when the first {@code max} characters hold neither.
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
            char c = s.charAt(i - 1);
            if (Character.isWhitespace(c) || unspacedTerminator(c) || c == '\u3001' || c == '\uFF0C') {
                return i;
            }
        }
        return max;
    }
}
