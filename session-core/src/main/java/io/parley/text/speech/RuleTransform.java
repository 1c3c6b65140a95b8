package io.parley.text.speech;

import java.util.List;
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
    /** Any text: rules that must always run. */
    static final int ANY = 0;

    /**
     * A pattern, what its match is said as, and the {@linkplain #features features} a text
     * needs before the pattern can match: the cheap test that keeps most chunks from running
     * most patterns.
     */
    record Rule(Pattern pattern, Function<MatchResult, String> spoken, int needs) {
    }

    private final List<Rule> rules;
    private final int lookahead;
    /** Every rule's pattern as one alternation, in rule order: one scan finds where the chain must not cut. */
    private final Pattern any;

    RuleTransform(List<Rule> rules, int lookahead) {
        this.rules = List.copyOf(rules);
        this.lookahead = lookahead;
        StringBuilder alt = new StringBuilder();
        for (Rule r : rules) {
            if (alt.length() > 0) {
                alt.append('|');
            }
            alt.append("(?:").append(r.pattern.pattern()).append(')');
        }
        this.any = Pattern.compile(alt.toString());
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

    @Override
    public int releasable(CharSequence pending, int limit) {
        if (!anyApplies(features(pending))) {
            return limit;
        }
        int cut = limit;
        Matcher m = any.matcher(pending);
        while (m.find() && m.start() < cut) {
            if (m.end() > cut) {
                // A rewrite runs across the cut: cut before it, and look again from the start.
                cut = m.start();
                m.reset();
            }
        }
        return cut;
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

    /** The features ({@link #DIGIT}, {@link #AT}, ...) {@code s} has, in one pass. */
    static int features(CharSequence s) {
        int f = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                f |= DIGIT;
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
