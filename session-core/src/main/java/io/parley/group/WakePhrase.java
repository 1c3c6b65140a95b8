package io.parley.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The words that address the agent, such as "hey agent". A turn is addressed when its first
 * words are the phrase, ignoring case and punctuation ("Hey, Agent! what time is it?"); the
 * phrase is stripped from what the agent is asked.
 */
public final class WakePhrase {

    private final String phrase;
    private final String[] words;

    private WakePhrase(String phrase) {
        this.phrase = phrase;
        this.words = normalize(phrase).toArray(String[]::new);
    }

    /**
     * A wake phrase of one to five words.
     *
     * @throws IllegalArgumentException if {@code phrase} is null, blank, longer than 5 words or 100 characters
     */
    public static WakePhrase of(String phrase) {
        Objects.requireNonNull(phrase, "phrase");
        List<String> w = normalize(phrase);
        if (w.isEmpty() || w.size() > 5 || phrase.length() > 100) {
            throw new IllegalArgumentException("wake phrase must be 1-5 words and at most 100 characters, was '" + phrase + "'");
        }
        return new WakePhrase(phrase.trim());
    }

    /** The phrase as configured. */
    public String phrase() {
        return phrase;
    }

    /**
     * If {@code text} begins with the phrase, what follows it (possibly empty), with the
     * original spelling and punctuation kept; otherwise empty.
     */
    public Optional<String> strip(String text) {
        int pos = 0;
        for (String w : words) {
            int start = skipSeparators(text, pos);
            int end = start;
            while (end < text.length() && isWordChar(text.charAt(end))) {
                end++;
            }
            if (end == start || !text.substring(start, end).toLowerCase(Locale.ROOT).equals(w)) {
                return Optional.empty();
            }
            pos = end;
        }
        return Optional.of(text.substring(skipSeparators(text, pos)).trim());
    }

    private static int skipSeparators(String text, int pos) {
        while (pos < text.length() && !isWordChar(text.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '\'';
    }

    private static List<String> normalize(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : ' ';
            if (isWordChar(c)) {
                b.append(Character.toLowerCase(c));
            } else if (b.length() > 0) {
                out.add(b.toString());
                b.setLength(0);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return phrase;
    }
}
