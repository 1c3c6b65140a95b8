package io.parley.text.speech;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transform made of regular-expression rules applied in order, each replacing its matches
 * with words. The chain is never allowed to cut through a match.
 */
abstract class RuleTransform implements TextTransform, PerStream {

    /** The text holds a digit. */
    static final int DIGIT = 1;
    /** The text holds an {@code @}. */
    static final int AT = 2;
    /** The text holds a dot followed by a letter (a domain). */
    static final int DOT_LETTER = 4;
    /** The text holds an {@code &}. */
    static final int AMPERSAND = 8;
    /** The text holds a {@code -} or an en dash. */
    static final int DASH = 16;
    /** The text holds a {@code :}. */
    static final int COLON = 32;
    /** The text holds a {@code /}. */
    static final int SLASH = 64;
    /** The text holds a {@code %}. */
    static final int PERCENT = 128;
    /** The text holds a {@code #}. */
    static final int HASH = 256;
    /** The text holds a {@code +}. */
    static final int PLUS = 512;
    /** The text holds a currency symbol. */
    static final int CURRENCY = 1024;
    /** The text holds an ASCII capital letter (a month's name, a currency code). */
    static final int CAPITAL = 2048;
    /**
     * The text holds a digit followed by a letter or {@code °}, right after it or after one
     * space: an ordinal, a unit, a currency code, "am" or "pm" after a number.
     */
    static final int DIGIT_WORD = 4096;
    /** Any text: rules that must always run. */
    static final int ANY = 0;

    /**
     * A pattern, what its match is said as, the {@linkplain #features features} a text needs
     * before the pattern can match (the cheap test that keeps most chunks from running most
     * patterns), and the characters a match can start with ({@link RuleTransform#ANYWHERE} if any): the
     * pattern is tried only where one of them stands, not at every position.
     */
    record Rule(Pattern pattern, Function<MatchResult, String> spoken, int needs, IntPredicate starts) {
    }

    /** A match may start with any character. */
    static final IntPredicate ANYWHERE = c -> true;
    /** A match starts with an ASCII digit. */
    static final IntPredicate DIGITS = RuleTransform::isDigit;

    /** A match starts with one of {@code chars}. */
    static IntPredicate startsWith(String chars) {
        return c -> chars.indexOf(c) >= 0;
    }

    /** A match starts with an ASCII digit or one of {@code chars}. */
    static IntPredicate digitsOr(String chars) {
        return c -> isDigit(c) || chars.indexOf(c) >= 0;
    }

    private final List<Rule> rules;
    private final int lookahead;
    /** Every rule's match starts where no word character precedes it (each pattern opens with such a lookbehind). */
    private final boolean wordStartsOnly;

    RuleTransform(List<Rule> rules, int lookahead) {
        this.rules = List.copyOf(rules);
        this.lookahead = lookahead;
        boolean starts = true;
        for (Rule r : rules) {
            String re = r.pattern.pattern();
            starts &= re.startsWith("(?<![\\w") || re.startsWith("(?<!\\w)") || re.startsWith("(?<=\\s|^)");
        }
        this.wordStartsOnly = starts;
    }

    /** The rules, in the order they run. */
    List<Rule> rules() {
        return rules;
    }

    /** One-off use from any thread: a fresh {@link #forStream()} per call. */
    @Override
    public String apply(String segment, boolean lineStart) {
        return forStream().apply(segment, lineStart);
    }

    @Override
    public int lookahead() {
        return lookahead;
    }

    /** One-off use from any thread: a fresh {@link #forStream()} per call. */
    @Override
    public int releasable(CharSequence pending, int limit) {
        return forStream().releasable(pending, limit);
    }

    /** This transform with matchers of its own, reused from chunk to chunk of one stream. */
    @Override
    public TextTransform forStream() {
        return new Bound();
    }

    /**
     * The rules applied with one stream's matchers, each tried only where its match can start.
     * A chunk then allocates no matcher and runs no pattern over text it cannot match. Used by
     * one thread at a time, never re-entered: rules' spoken forms do not call back into the
     * transform.
     */
    private final class Bound implements TextTransform {
        private final Matcher[] matchers = new Matcher[rules.size()];
        /** The text each matcher was last set to. */
        private final CharSequence[] texts = new CharSequence[rules.size()];

        @Override
        public String apply(String segment, boolean lineStart) {
            String text = segment;
            int features = features(text);
            for (int i = 0; i < matchers.length; i++) {
                Rule r = rules.get(i);
                if ((features & r.needs) != r.needs) {
                    continue;
                }
                Matcher m = matcher(i, text);
                if (!next(m, r, text, 0)) {
                    continue;
                }
                StringBuilder sb = new StringBuilder(text.length() + 32);
                int last = 0;
                do {
                    sb.append(text, last, m.start()).append(r.spoken.apply(m));
                    last = m.end();
                } while (next(m, r, text, last > m.start() ? last : last + 1));
                text = sb.append(text, last, text.length()).toString();
                // The rewrite is words: the features that let the later rules run are usually gone.
                features = features(text);
            }
            return text;
        }

        @Override
        public int lookahead() {
            return lookahead;
        }

        /**
         * Tries a match at each position before the cut only: a rewrite that starts after the
         * cut cannot run across it, and in a stream the cut is a word or two into the held text,
         * so the words held back for lookahead are not scanned again on every chunk. At each
         * position the first rule (in rule order) that matches there decides; overlapping
         * matches count too, so the cut is never later than a sequential scan's.
         */
        @Override
        public int releasable(CharSequence pending, int limit) {
            int features = features(pending);
            if (!anyApplies(features)) {
                return limit;
            }
            int cut = limit;
            int p = 0;
            while (p < cut) {
                if (wordStartsOnly && p > 0 && isWordChar(pending.charAt(p - 1))) {
                    p++;
                    continue;
                }
                if (matchEnd(pending, p, features) > cut) {
                    // A rewrite runs across the cut: cut before it; an earlier match may now run across.
                    cut = p;
                    p = 0;
                } else {
                    p++;
                }
            }
            return cut;
        }

        /** Where the first admitted rule that matches at {@code p} ends its match; -1 if none matches there. */
        private int matchEnd(CharSequence text, int p, int features) {
            char c = text.charAt(p);
            for (int i = 0; i < matchers.length; i++) {
                Rule r = rules.get(i);
                if ((features & r.needs) == r.needs && r.starts.test(c)) {
                    Matcher m = matcher(i, text);
                    m.region(p, text.length());
                    if (m.lookingAt()) {
                        return m.end();
                    }
                }
            }
            return -1;
        }

        /**
         * Rule {@code i}'s matcher on {@code text}; it looks past a region's bounds, as over the
         * whole text. Set to a new text only when the text changes: every search sets a region,
         * which resets it anyway, and a stage's pending buffer is one object that only grows.
         */
        private Matcher matcher(int i, CharSequence text) {
            Matcher m = matchers[i];
            if (m == null) {
                m = rules.get(i).pattern.matcher(text).useTransparentBounds(true).useAnchoringBounds(false);
                matchers[i] = m;
                texts[i] = text;
            } else if (texts[i] != text) {
                m.reset(text);
                texts[i] = text;
            }
            return m;
        }
    }

    /**
     * The next match of {@code r} starting at or after {@code from}, the one {@link Matcher#find()}
     * would give, trying only the positions where {@code r}'s match can start.
     */
    private static boolean next(Matcher m, Rule r, CharSequence text, int from) {
        int len = text.length();
        if (r.starts == ANYWHERE) {
            if (from > len) {
                return false;
            }
            m.region(from, len);
            return m.find();
        }
        for (int q = from; q < len; q++) {
            if (r.starts.test(text.charAt(q))) {
                m.region(q, len);
                if (m.lookingAt()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The characters {@code \w} matches in every mode (ASCII letters, digits and the underscore). */
    private static boolean isWordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    private static int symbol(char c) {
        return switch (c) {
            case '&' -> AMPERSAND;
            case '-', '\u2013' -> DASH;
            case ':' -> COLON;
            case '/' -> SLASH;
            case '%' -> PERCENT;
            case '#' -> HASH;
            case '+' -> PLUS;
            case '$', '\u20ac', '\u00a3', '\u00a5', '\u20b9' -> CURRENCY;
            default -> 0;
        };
    }

    private boolean anyApplies(int features) {
        for (Rule r : rules) {
            if ((features & r.needs) == r.needs) {
                return true;
            }
        }
        return false;
    }

    static Rule rule(int needs, IntPredicate starts, String regex, Function<MatchResult, String> spoken) {
        return new Rule(Pattern.compile(regex), spoken, needs, starts);
    }

    private static boolean wordStart(char c) {
        return Character.isLetter(c) || c == '\u00b0';
    }

    /** The features ({@link #DIGIT}, {@link #AT}, ...) {@code s} has, in one pass. */
    static int features(CharSequence s) {
        int f = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                f |= DIGIT;
                if (i + 1 < n && (wordStart(s.charAt(i + 1)) || s.charAt(i + 1) == ' ' && i + 2 < n && wordStart(s.charAt(i + 2)))) {
                    f |= DIGIT_WORD;
                }
            } else if (c >= 'A' && c <= 'Z') {
                f |= CAPITAL;
            } else if (c == '@') {
                f |= AT;
            } else if (c == '.' && i + 1 < n && Character.isLetter(s.charAt(i + 1))) {
                f |= DOT_LETTER;
            } else {
                f |= symbol(c);
            }
        }
        return f;
    }
}
