package io.parley.text.speech;

import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A transform made of regular-expression rules applied in order, each replacing its matches
 * with words. The chain is never allowed to cut through a match.
 */
abstract class RuleTransform implements TextTransform {

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
     * A pattern, what its match is said as, and the {@linkplain #features features} a text
     * needs before the pattern can match: the cheap test that keeps most chunks from running
     * most patterns.
     */
    record Rule(Pattern pattern, Function<MatchResult, String> spoken, int needs) {
    }

    /** One more than the largest feature set. */
    private static final int FEATURE_SETS = DIGIT_WORD << 1;

    private final List<Rule> rules;
    private final int lookahead;
    /**
     * Per feature set, the patterns of the rules that set admits as one alternation, in rule
     * order: one attempt per position finds where the chain must not cut. Built on first use;
     * a set no rule needs is never built.
     */
    private final AtomicReferenceArray<Pattern> alternations = new AtomicReferenceArray<>(FEATURE_SETS);
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

    @Override
    public String apply(String segment, boolean lineStart) {
        String text = segment;
        int features = features(text);
        for (Rule r : rules) {
            if ((features & r.needs) != r.needs) {
                continue;
            }
            Matcher m = r.pattern.matcher(text);
            if (!m.find()) {
                continue;
            }
            StringBuilder sb = new StringBuilder(text.length() + 32);
            int last = 0;
            do {
                sb.append(text, last, m.start()).append(r.spoken.apply(m));
                last = m.end();
            } while (m.find());
            text = sb.append(text, last, text.length()).toString();
        }
        return text;
    }

    @Override
    public int lookahead() {
        return lookahead;
    }

    /**
     * Tries a match at each position before the cut only: a rewrite that starts after the cut
     * cannot run across it, and in a stream the cut is a word or two into the held text, so the
     * words held back for lookahead are not scanned again on every chunk. Overlapping matches
     * count too, so the cut is never later than a sequential scan's.
     */
    @Override
    public int releasable(CharSequence pending, int limit) {
        int features = features(pending);
        if (!anyApplies(features)) {
            return limit;
        }
        Matcher m = alternation(features).matcher(pending).useTransparentBounds(true).useAnchoringBounds(false);
        int len = pending.length();
        int cut = limit;
        int p = 0;
        while (p < cut) {
            if (wordStartsOnly && p > 0 && isWordChar(pending.charAt(p - 1))) {
                p++;
                continue;
            }
            m.region(p, len);
            if (m.lookingAt() && m.end() > cut) {
                // A rewrite runs across the cut: cut before it; an earlier match may now run across.
                cut = p;
                p = 0;
            } else {
                p++;
            }
        }
        return cut;
    }

    private Pattern alternation(int features) {
        Pattern p = alternations.get(features);
        if (p == null) {
            StringBuilder alt = new StringBuilder();
            for (Rule r : rules) {
                if ((features & r.needs) == r.needs) {
                    if (alt.length() > 0) {
                        alt.append('|');
                    }
                    alt.append("(?").append(inlineFlags(r.pattern.flags())).append(':').append(r.pattern.pattern()).append(')');
                }
            }
            p = Pattern.compile(alt.toString());
            alternations.compareAndSet(features, null, p);
        }
        return p;
    }

    /** A rule's flags as an inline group's flags, so each keeps its own inside the alternation. */
    private static String inlineFlags(int flags) {
        StringBuilder f = new StringBuilder();
        if ((flags & Pattern.CASE_INSENSITIVE) != 0) {
            f.append('i');
        }
        if ((flags & Pattern.UNICODE_CASE) != 0) {
            f.append('u');
        }
        if ((flags & Pattern.UNICODE_CHARACTER_CLASS) != 0) {
            f.append('U');
        }
        if ((flags & Pattern.MULTILINE) != 0) {
            f.append('m');
        }
        if ((flags & Pattern.DOTALL) != 0) {
            f.append('s');
        }
        if ((flags & Pattern.COMMENTS) != 0) {
            f.append('x');
        }
        return f.toString();
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

    static Rule rule(int needs, String regex, Function<MatchResult, String> spoken) {
        return new Rule(Pattern.compile(regex), spoken, needs);
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
