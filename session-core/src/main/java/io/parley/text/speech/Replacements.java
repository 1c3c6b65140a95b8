package io.parley.text.speech;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Whole-word, case-insensitive replacements of words or phrases. */
final class Replacements extends RuleTransform {

    Replacements(Map<String, String> replacements) {
        super(List.of(rule(replacements)), maxSpaces(replacements));
    }

    private static Rule rule(Map<String, String> replacements) {
        Map<String, String> byKey = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, String> e : replacements.entrySet()) {
            String k = e.getKey();
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("replacement keys must not be blank");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("replacement for '" + k + "' is null");
            }
            byKey.put(k.toLowerCase(Locale.ROOT), e.getValue());
            keys.add(k);
        }
        keys.sort((a, b) -> b.length() - a.length());
        StringBuilder alt = new StringBuilder();
        for (String k : keys) {
            if (alt.length() > 0) {
                alt.append('|');
            }
            alt.append(Pattern.quote(k));
        }
        Pattern p = Pattern.compile("(?<!\\w)(?:" + alt + ")(?!\\w)", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return new Rule(p, m -> byKey.get(m.group().toLowerCase(Locale.ROOT)), ANY, ANYWHERE);
    }

    private static int maxSpaces(Map<String, String> replacements) {
        int max = 0;
        for (String k : replacements.keySet()) {
            if (k != null) {
                max = Math.max(max, k.trim().split("\\s+").length - 1);
            }
        }
        return max;
    }
}
