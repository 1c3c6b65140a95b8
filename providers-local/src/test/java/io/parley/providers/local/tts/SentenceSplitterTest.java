package io.parley.providers.local.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void emitsEachSentenceAsSoonAsItIsFollowedByWhitespace() {
        SentenceSplitter s = new SentenceSplitter();
        List<String> out = new ArrayList<>();
        s.push("Hello there", out::add);
        assertThat(out).isEmpty();
        s.push(".", out::add);
        assertThat(out).as("a full stop may still be a decimal point").isEmpty();
        s.push(" How are", out::add);
        assertThat(out).containsExactly("Hello there.");
        s.push(" you? I am", out::add);
        assertThat(out).containsExactly("Hello there.", "How are you?");
        s.finish(out::add);
        assertThat(out).containsExactly("Hello there.", "How are you?", "I am");
    }

    @Test
    void keepsDecimalPointsAndAbbreviationsWithoutSpaceTogether() {
        assertThat(SentenceSplitter.split("It is 3.5 degrees.Really! Yes")).containsExactly("It is 3.5 degrees.Really!", "Yes");
    }

    @Test
    void cutsRunOnTextAtASpace() {
        String word = "word ";
        String text = word.repeat(100);
        List<String> parts = SentenceSplitter.split(text);
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.length()).isLessThanOrEqualTo(SentenceSplitter.MAX_CHARS);
            assertThat(p).doesNotStartWith(" ").doesNotEndWith(" ").doesNotContain("wo rd");
        });
        assertThat(String.join(" ", parts)).isEqualTo(text.strip());
    }

    @Test
    void dropsBlankPiecesAndSplitsOnNewlines() {
        assertThat(SentenceSplitter.split("  one\n\n two;  three  ")).containsExactly("one", "two;", "three");
        assertThat(SentenceSplitter.split("   ")).isEmpty();
    }
}
