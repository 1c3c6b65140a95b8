package io.parley.text.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpeechTextTest {

    private static final SpeechText EN = SpeechText.defaults(Locale.US);

    record Pair(int line, String input, String expected) {
    }

    static List<Pair> table() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SpeechTextTest.class.getResourceAsStream("en-us.tsv"), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isEmpty() || line.startsWith("#") && !line.contains("\t")) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                pairs.add(new Pair(n, cols[0].replace("\\n", "\n"), cols[1].replace("\\n", "\n")));
            }
        }
        return pairs;
    }

    @Test
    void tableHasAtLeastOneHundredPairs() throws IOException {
        assertThat(table()).hasSizeGreaterThanOrEqualTo(100);
    }

    @Test
    void wholeInputGivesTheExpectedSpokenText() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Pair p : table()) {
            String got = EN.apply(p.input());
            if (!got.equals(p.expected())) {
                failures.add("line " + p.line() + ": '" + p.input() + "' -> '" + got + "', expected '" + p.expected() + "'");
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void chunkedInputGivesTheSameSpokenTextAsWholeInput() throws IOException {
        Random random = new Random(15);
        List<String> failures = new ArrayList<>();
        for (Pair p : table()) {
            String whole = EN.apply(p.input());
            for (int size = 1; size <= 6; size++) {
                check(p, whole, fixedChunks(p.input(), size), failures);
            }
            for (int round = 0; round < 20; round++) {
                check(p, whole, randomChunks(p.input(), random), failures);
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void check(Pair p, String whole, List<String> chunks, List<String> failures) {
        SpeechTextStream s = EN.stream();
        StringBuilder out = new StringBuilder();
        for (String c : chunks) {
            out.append(s.push(c));
        }
        out.append(s.flush());
        if (!out.toString().equals(whole)) {
            failures.add("line " + p.line() + " chunks " + chunks + " -> '" + out + "', whole '" + whole + "'");
        }
    }

    private static List<String> fixedChunks(String s, int size) {
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < s.length(); i += size) {
            chunks.add(s.substring(i, Math.min(s.length(), i + size)));
        }
        return chunks;
    }

    private static List<String> randomChunks(String s, Random random) {
        List<String> chunks = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int end = Math.min(s.length(), i + 1 + random.nextInt(8));
            if (end < s.length() && Character.isLowSurrogate(s.charAt(end))) {
                end++;
            }
            chunks.add(s.substring(i, end));
            i = end;
        }
        return chunks;
    }

    @Test
    void aFinishedSentenceIsReleasedWithoutWaitingForTheNext() {
        SpeechTextStream s = EN.stream();
        StringBuilder out = new StringBuilder();
        for (String token : List.of("It", " costs", " $", "42", ".", "50", " in", " total", ".", " ")) {
            out.append(s.push(token));
        }
        assertThat(out.toString()).isEqualTo("It costs forty-two dollars and fifty cents in total. ");
        assertThat(s.push("Next")).isEmpty();
        assertThat(s.flush()).isEqualTo("Next");
    }

    @Test
    void plainWordsAreHeldOnlyUntilTheRulesHaveSeenEnough() {
        SpeechTextStream s = SpeechText.builder().add(TextTransforms.markdown()).build().stream();
        assertThat(s.push("Hello wor")).isEqualTo("Hello ");
        assertThat(s.push("ld and")).isEqualTo("world ");
    }

    @Test
    void anOpenLinkIsHeldUntilItCloses() {
        SpeechTextStream s = SpeechText.builder().add(TextTransforms.markdown()).build().stream();
        assertThat(s.push("See [the full ")).isEqualTo("See ");
        assertThat(s.push("docs](https://x.io) ")).isEqualTo("the full docs ");
    }

    @Test
    void writtenLengthMapsSpokenTextBackToTheAgentsWords() {
        SpeechTextStream s = EN.stream();
        String written = "Pay $42.50 today. Thanks!";
        String spoken = s.push(written) + s.flush();
        assertThat(spoken).isEqualTo("Pay forty-two dollars and fifty cents today. Thanks!");
        int heard = spoken.indexOf("Thanks");
        assertThat(written.substring(0, s.writtenLength(heard))).isEqualTo("Pay $42.50 today. ");
        assertThat(s.writtenLength(spoken.length())).isEqualTo(written.length());
        assertThat(s.writtenLength(0)).isZero();
    }

    @Test
    void replacementsMatchWholeWordsIgnoringCaseAcrossChunks() {
        SpeechText chain = SpeechText.builder()
                .add(TextTransforms.replace(Map.of("LiveKit", "Lyve Kit", "SQL", "sequel", "New York", "the big apple")))
                .build();
        assertThat(chain.apply("livekit uses SQL in New York, not SQLite.")).isEqualTo(
                "Lyve Kit uses sequel in the big apple, not SQLite.");
        SpeechTextStream s = chain.stream();
        String out = s.push("Live") + s.push("Kit in New") + s.push(" York") + s.flush();
        assertThat(out).isEqualTo("Lyve Kit in the big apple");
    }

    @Test
    void aPhraseReplacementIgnoresCaseWhereTheChainChoosesItsCut() {
        SpeechText chain = SpeechText.builder().add(TextTransforms.replace(Map.of("New York", "the big apple"))).build();
        assertThat(chain.apply("I love new york today")).isEqualTo("I love the big apple today");
        SpeechTextStream s = chain.stream();
        String out = s.push("I love new") + s.push(" york") + s.push(" today") + s.flush();
        assertThat(out).isEqualTo("I love the big apple today");
    }

    @Test
    void localesChooseDateOrderAndOtherLanguagesGetNoNumberRules() {
        assertThat(SpeechText.defaults(Locale.UK).apply("Due 05/10/2023.")).isEqualTo(
                "Due the fifth of October, twenty twenty-three.");
        assertThat(SpeechText.defaults(Locale.GERMANY).apply("**Preis:** 5 Euro 🎉")).isEqualTo("Preis: 5 Euro ");
        assertThatThrownBy(() -> TextTransforms.normalization(Locale.FRENCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fr");
        assertThat(SpeechText.none().apply("**x** $5")).isEqualTo("**x** $5");
    }
}
