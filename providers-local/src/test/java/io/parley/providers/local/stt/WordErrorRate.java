package io.parley.providers.local.stt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Word error rate by word-level edit distance, after lower-casing and dropping punctuation. */
final class WordErrorRate {

    private WordErrorRate() {
    }

    static List<String> words(String text) {
        String norm = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").trim();
        return norm.isEmpty() ? List.of() : Arrays.asList(norm.split("\\s+"));
    }

    /** Substitutions + deletions + insertions needed to turn {@code hyp} into {@code ref}. */
    static int errors(String ref, String hyp) {
        List<String> r = words(ref);
        List<String> h = words(hyp);
        int[] prev = new int[h.size() + 1];
        int[] cur = new int[h.size() + 1];
        for (int j = 0; j <= h.size(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= r.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= h.size(); j++) {
                int sub = prev[j - 1] + (r.get(i - 1).equals(h.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[h.size()];
    }
}
