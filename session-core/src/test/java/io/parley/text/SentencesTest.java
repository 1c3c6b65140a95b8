package io.parley.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SentencesTest {

    @Test
    void lastSentenceEndNeedsWhitespaceAfterTheTerminator() {
        assertThat(Sentences.lastSentenceEnd("Hello there. How are")).isEqualTo(13);
        assertThat(Sentences.lastSentenceEnd("Pi is 3.")).isEqualTo(-1);
        assertThat(Sentences.lastSentenceEnd("Pi is 3.14 and e is 2.71! Next")).isEqualTo(26);
        assertThat(Sentences.lastSentenceEnd("line one\n\nline two")).isEqualTo(10);
        assertThat(Sentences.lastSentenceEnd("")).isEqualTo(-1);
    }

    @Test
    void cutAtWhitespaceKeepsWordsWhole() {
        assertThat(Sentences.cutAtWhitespace("one two three", 9)).isEqualTo(8);
        assertThat(Sentences.cutAtWhitespace("short", 9)).isEqualTo(5);
        assertThat(Sentences.cutAtWhitespace("unbreakableword", 5)).isEqualTo(5);
        assertThatThrownBy(() -> Sentences.cutAtWhitespace("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
