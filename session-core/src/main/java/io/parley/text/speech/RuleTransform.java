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

    /** A pattern and what its match is said as. */
    record Rule(Pattern pattern, Function<MatchResult, String> spoken) {
    }

    private final List<Rule> rules;
    private final int lookahead;

    RuleTransform(List<Rule> rules, int lookahead) {
        this.rules = List.copyOf(rules);
        this.lookahead = lookahead;
    }

    @Override
    public String apply(String segment, boolean lineStart) {
        String text = segment;
        for (Rule r : rules) {
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
        int cut = limit;
        boolean moved = true;
        while (moved && cut > 0) {
            moved = false;
            for (Rule r : rules) {
                Matcher m = r.pattern.matcher(pending);
                while (m.find() && m.start() < cut) {
                    if (m.end() > cut) {
                        cut = m.start();
                        moved = true;
                        break;
                    }
                }
            }
        }
        return cut;
    }

    static Rule rule(String regex, Function<MatchResult, String> spoken) {
        return new Rule(Pattern.compile(regex), spoken);
    }
}
