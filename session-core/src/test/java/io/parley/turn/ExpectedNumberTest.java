package io.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.TurnContext;
import io.parley.spi.Word;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adaptive detector when the agent has asked for a number ({@link TurnContext#expected()}). */
class ExpectedNumberTest {

    private static final Duration MIN = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofMillis(3000);

    private static long delayMs(AdaptiveTurnDetector d, String transcript, ExpectedAnswer expected) {
        return d.predict(new TurnContext(Duration.ZERO, transcript, List.of(), MIN, MAX, Double.NaN, Prosody.UNKNOWN,
                List.of(), expected)).delay().toMillis();
    }

    @Test
    void anyCountShortOfTheNumberHoldsTheTurnAndACompleteOneEndsIt() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        ExpectedAnswer number = ExpectedAnswer.digits();
        // Unexpected, two digits or four say nothing; asked for, they are a number begun.
        for (String part : List.of("four one", "nine", "four one five five")) {
            assertThat(delayMs(d, part, ExpectedAnswer.ANY)).as(part).isLessThan(950);
            assertThat(delayMs(d, part, number)).as(part).isGreaterThanOrEqualTo(1100);
        }
        assertThat(delayMs(d, "my number is four one five five five five", number)).isGreaterThanOrEqualTo(1100);
        assertThat(delayMs(d, "four one five five five five one two three four", number)).isLessThanOrEqualTo(350);
        assertThat(delayMs(d, "555 1234", number)).isLessThanOrEqualTo(350);
        assertThat(delayMs(d, "double five", ExpectedAnswer.digits(3))).isGreaterThanOrEqualTo(1100);
        assertThat(delayMs(d, "double five one", ExpectedAnswer.digits(3))).isLessThanOrEqualTo(350);
        // A PIN of four: complete at four, and at more (a digit read twice: the answer is over all the same).
        assertThat(delayMs(d, "one two three four", ExpectedAnswer.digits(4))).isLessThanOrEqualTo(350);
        assertThat(delayMs(d, "one two three four five", ExpectedAnswer.digits(4))).isLessThanOrEqualTo(350);
        assertThat(delayMs(d, "one two three four five", ExpectedAnswer.ANY)).isGreaterThanOrEqualTo(950);
        // No digit yet ("um", "it's"): the words' own cues.
        assertThat(delayMs(d, "it's", number)).isEqualTo(delayMs(d, "it's", ExpectedAnswer.ANY));
        assertThat(delayMs(d, "I don't have my phone", number)).isEqualTo(450);
    }

    @Test
    void aCountThatHoldsDoesNotRestOnWhichDigitWasHeardLast() {
        // The decoder revising its last digit within the pause ("five" then "nine") halves an
        // ordinary cue; with a number asked for, any digit there still leaves it unfinished.
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        ExpectedAnswer number = ExpectedAnswer.digits();
        TurnContext first = new TurnContext(Duration.ofMillis(100), "four one five", List.of(), MIN, MAX, Double.NaN,
                Prosody.UNKNOWN, List.of(), number);
        TurnContext revised = new TurnContext(Duration.ofMillis(300), "four one nine", List.of(), MIN, MAX, Double.NaN,
                Prosody.UNKNOWN, List.of(), number);
        d.predict(first);
        assertThat(d.predict(revised).delay().toMillis()).isGreaterThanOrEqualTo(1100);
    }

    @Test
    void aVoiceThatDroppedAfterAGroupDoesNotEndANumberBegun() {
        // Allison's "eight three nine", each digit read on its own and falling, the recognizer's
        // "nine" ending 400 ms before the end of speech: the voice would decide (it ended low,
        // and voice went on after the last word made out), but the count is short.
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        Prosody low = new Prosody(-25, -8, 1, 0);
        List<Word> timed = List.of(new Word("eight", Duration.ofMillis(-1660), Duration.ofMillis(-1240), Double.NaN, -1),
                new Word("three", Duration.ofMillis(-1240), Duration.ofMillis(-590), Double.NaN, -1),
                new Word("nine", Duration.ofMillis(-590), Duration.ofMillis(-400), Double.NaN, -1));
        for (int i = 0; i < 3; i++) {
            d.predict(new TurnContext(Duration.ofMillis(100), "that is all", List.of(), MIN, MAX, Double.NaN, low));
            d.observePause(Duration.ofMillis(600), true);
        }
        long unexpected = d.predict(new TurnContext(Duration.ofMillis(140), "eight three nine", List.of(), MIN, MAX, Double.NaN,
                low, timed, ExpectedAnswer.ANY)).delay().toMillis();
        d.observePause(Duration.ofMillis(600), false);
        long asked = d.predict(new TurnContext(Duration.ofMillis(140), "eight three nine", List.of(), MIN, MAX, Double.NaN,
                low, timed, ExpectedAnswer.digits(10))).delay().toMillis();
        assertThat(unexpected).isLessThan(950);
        assertThat(asked).isGreaterThanOrEqualTo(1100);
    }

    @Test
    void badExpectationsAreRejected() {
        assertThatThrownBy(() -> ExpectedAnswer.digits(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExpectedAnswer.digits(ExpectedAnswer.MAX_DIGITS + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExpectedAnswer(ExpectedAnswer.Kind.ANY, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExpectedAnswer(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ExpectedAnswer.digits().completedBy(10)).isTrue();
        assertThat(ExpectedAnswer.digits().completedBy(9)).isFalse();
        assertThat(ExpectedAnswer.ANY.completedBy(10)).isFalse();
        assertThat(ExpectedAnswer.digits(10).completedBy(9)).isFalse();
        assertThat(ExpectedAnswer.digits(10).completedBy(11)).isTrue();
    }
}
