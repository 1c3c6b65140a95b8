package io.parley.text.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MarkdownFilterTest {

    private static List<String> lines(String alphabet, int seed) {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>(List.of("", " ", "---", "```java", "~~~ ", "``", "```java x", "- ", "> quote",
                "## Title", " * * *", "\t+ item", "_ _ _"));
        for (int i = 0; i < 5000; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "```" : random.nextBoolean() ? "~~~" : "");
            int n = random.nextInt(7);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    /** The hand-written check gives what the pattern it replaced gives. */
    @Test
    void onlyMarkersAgreesWithItsPattern() {
        Pattern markersOnly = Pattern.compile("[-*_`~#>+ \\t\\r]*|(?:```|~~~)[\\w+#.-]*[ \\t\\r]*");
        List<String> failures = new ArrayList<>();
        for (String t : lines("-*_`~#>+ \t\rab1.#é", 3)) {
            String padded = "x\n" + t + "\ny";
            boolean expected = !t.isBlank() && markersOnly.matcher(t).matches();
            if (MarkdownFilter.onlyMarkers(padded, 2, 2 + t.length()) != expected) {
                failures.add("'" + t + "'");
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Lines the quick test passes over are lines neither block pattern would have touched. */
    @Test
    void aLineNotStartingWithAMarkerIsNoRuleFenceOrMarkedLine() {
        Pattern dropLine = Pattern.compile("[ \\t]*(?:([-*_])[ \\t]*(?:\\1[ \\t]*){2,}|(?:```|~~~)[\\w+#.-]*[ \\t]*)");
        Pattern lineMarker = Pattern.compile("[ \\t]*(?:#{1,6}[ \\t]+|>+[ \\t]?|[-*+][ \\t]+)");
        List<String> failures = new ArrayList<>();
        for (String line : lines("-*_`~#>+ \tab1.!=[", 5)) {
            boolean touched = dropLine.matcher(line).matches() || lineMarker.matcher(line).lookingAt();
            if (touched && !MarkdownFilter.startsWithMarker(line)) {
                failures.add("'" + line + "'");
            }
        }
        assertThat(failures).isEmpty();
        assertThat(SpeechText.builder().add(TextTransforms.markdown()).build().apply("  ## Plan\n- one\n---\nIt is *noon*."))
                .isEqualTo("Plan\none\n\nIt is noon.");
    }
}
