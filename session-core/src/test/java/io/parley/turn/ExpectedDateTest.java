package io.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.TurnContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adaptive detector when the agent has asked for a date ({@link ExpectedAnswer#date()}). */
class ExpectedDateTest {

    private static final Duration MIN = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofMillis(3000);
    private static final ExpectedAnswer DATE = ExpectedAnswer.date();

    private static long delayMs(AdaptiveTurnDetector d, String transcript, ExpectedAnswer expected, Prosody prosody) {
        return d.predict(new TurnContext(Duration.ZERO, transcript, List.of(), MIN, MAX, Double.NaN, prosody, List.of(), expected))
                .delay().toMillis();
    }

    private static long delayMs(String transcript, ExpectedAnswer expected) {
        return delayMs(new AdaptiveTurnDetector(), transcript, expected, Prosody.UNKNOWN);
    }

    @Test
    void aMonthWithoutItsDayHoldsTheTurnAndWithItEndsIt() {
        for (String begun : List.of("march", "may", "on march", "it's august", "march the", "the fifth of", "next")) {
            assertThat(delayMs(begun, DATE)).as(begun).isGreaterThanOrEqualTo(1100);
        }
        for (String whole : List.of("march fifteenth", "the fifth of may", "may fifth", "december twenty", "march 15th",
                "3/15", "tomorrow", "next friday", "june tenth 2026", "june tenth nineteen eighty")) {
            assertThat(delayMs(whole, DATE)).as(whole).isLessThanOrEqualTo(350);
        }
    }

    @Test
    void unaskedTheSameWordsHaveOnlyTheirOwnCues() {
        // A month alone is a weaker hold ("on March"), and "may" is a modal; a whole date is
        // no more than neutral.
        assertThat(delayMs("may", ExpectedAnswer.ANY)).isLessThan(delayMs("may", DATE));
        assertThat(delayMs("march", ExpectedAnswer.ANY)).isLessThan(delayMs("march", DATE));
        assertThat(delayMs("march fifteenth", ExpectedAnswer.ANY)).isGreaterThan(delayMs("march fifteenth", DATE));
    }

    @Test
    void wordsThatAreNoDateOrOnlyADayKeepTheirOwnCues() {
        for (String other : List.of("I don't know", "um", "let me check the", "march fifteenth and")) {
            assertThat(delayMs(other, DATE)).as(other).isEqualTo(delayMs(other, ExpectedAnswer.ANY));
        }
    }

    @Test
    void aDayWithoutItsMonthWaitsALittleForIt() {
        // "the fifteenth" may be the whole answer, or "of May" may follow.
        long day = delayMs("the fifteenth", DATE);
        assertThat(day).isGreaterThan(delayMs("the fifteenth", ExpectedAnswer.ANY)).isLessThan(delayMs("march", DATE));
    }

    @Test
    void aVoiceThatFellAfterTheMonthDoesNotEndTheDate() {
        // Allison reads a month alone with a falling voice, as she ends a sentence: without
        // the expectation that ends the turn quickly; with it, the month still holds.
        Prosody falling = new Prosody(-25, -8, 1, 0);
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        for (int i = 0; i < 3; i++) {
            d.predict(new TurnContext(Duration.ofMillis(100), "that is all", List.of(), MIN, MAX, Double.NaN, falling));
            d.observePause(Duration.ofMillis(600), true);
        }
        assertThat(delayMs(d, "myrick", ExpectedAnswer.ANY, falling)).isLessThan(600);
        assertThat(delayMs(d, "march", DATE, falling)).isGreaterThanOrEqualTo(1100);
    }

    @Test
    void aDateTakesNoLength() {
        assertThat(DATE.kind()).isEqualTo(ExpectedAnswer.Kind.DATE);
        assertThat(DATE.completedBy(2)).isFalse();
        assertThatThrownBy(() -> new ExpectedAnswer(ExpectedAnswer.Kind.DATE, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
