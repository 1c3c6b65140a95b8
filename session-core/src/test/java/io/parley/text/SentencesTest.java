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
    void chineseAndJapaneseSentencesEndWithoutWhitespace() {
        assertThat(Sentences.lastSentenceEnd("你好。今天天气很好！我们")).isEqualTo(10);
        assertThat(Sentences.lastSentenceEnd("こんにちは。元気ですか？は")).isEqualTo(12);
        assertThat(Sentences.lastSentenceEnd("你好吗？")).as("the next chunk may add a closing quote").isEqualTo(-1);
        assertThat(Sentences.lastSentenceEnd("真的吗？！好")).as("a run of terminators is one end").isEqualTo(5);
        assertThat(Sentences.lastSentenceEnd("彼は「はい。」と言った。次に")).isEqualTo(12);
        assertThat(Sentences.lastSentenceEnd("नमस्ते। आप कैसे")).isEqualTo(8);
    }

    @Test
    void closingQuotesStayWithTheirSentence() {
        assertThat(Sentences.lastSentenceEnd("He said \"Stop.\" Then")).isEqualTo(16);
        assertThat(Sentences.lastSentenceEnd("「はい。」次")).isEqualTo(5);
        assertThat(Sentences.lastSentenceEnd("don't stop")).isEqualTo(-1);
    }

    @Test
    void cutAtWhitespaceKeepsWordsWhole() {
        assertThat(Sentences.cutAtWhitespace("one two three", 9)).isEqualTo(8);
        assertThat(Sentences.cutAtWhitespace("short", 9)).isEqualTo(5);
        assertThat(Sentences.cutAtWhitespace("unbreakableword", 5)).isEqualTo(5);
        assertThat(Sentences.cutAtWhitespace("我们今天、明天和后天都在", 8)).as("after the ideographic comma").isEqualTo(5);
        assertThatThrownBy(() -> Sentences.cutAtWhitespace("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
