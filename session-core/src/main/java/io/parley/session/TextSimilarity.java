package io.parley.session;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Word-overlap similarity: whether a preemptive reply still fits, whether a result revises another. */
final class TextSimilarity {

    private TextSimilarity() {
    }

    /**
     * Shared words (as a multiset, case and punctuation ignored) divided by the word count of
     * the longer text; 1 for two empty texts.
     */
    static double wordOverlap(String a, String b) {
        String[] wa = words(a);
        String[] wb = words(b);
        if (wa.length == 0 && wb.length == 0) {
            return 1.0;
        }
        return shared(wa, wb) / (double) Math.max(wa.length, wb.length);
    }

    /** How many words the two lists share, as multisets. */
    static int shared(String[] wa, String[] wb) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : wa) {
            counts.merge(w, 1, Integer::sum);
        }
        int shared = 0;
        for (String w : wb) {
            Integer c = counts.get(w);
            if (c != null && c > 0) {
                shared++;
                counts.put(w, c - 1);
            }
        }
        return shared;
    }

    static String[] words(String s) {
        String cleaned = s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}'\\s]", " ").trim();
        return cleaned.isEmpty() ? new String[0] : cleaned.split("\\s+");
    }
}
