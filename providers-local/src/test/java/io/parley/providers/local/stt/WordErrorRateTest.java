package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordErrorRateTest {

    @Test
    void countsSubstitutionsDeletionsAndInsertions() {
        assertThat(WordErrorRate.errors("the cat sat", "the cat sat")).isZero();
        assertThat(WordErrorRate.errors("the cat sat", "the bat sat")).isEqualTo(1);
        assertThat(WordErrorRate.errors("the cat sat", "the sat")).isEqualTo(1);
        assertThat(WordErrorRate.errors("the cat sat", "the cat sat down")).isEqualTo(1);
        assertThat(WordErrorRate.errors("The cat, sat.", "the cat sat")).isZero();
        assertThat(WordErrorRate.errors("a b", "")).isEqualTo(2);
    }
}
