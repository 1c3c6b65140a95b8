package io.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnPrediction;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdaptiveTurnDetectorTest {

    private static final Duration MIN = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofMillis(3000);

    private static TurnPrediction predict(AdaptiveTurnDetector d, String transcript) {
        return d.predict(new TurnContext(Duration.ZERO, transcript, List.of(), MIN, MAX));
    }

    private static long delayMs(AdaptiveTurnDetector d, String transcript) {
        return predict(d, transcript).delay().toMillis();
    }

    @Test
    void unfinishedSentencesWaitLongAndFinishedOnesEndQuickly() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        for (String unfinished : List.of("I'd like to book a table and", "so I was thinking um", "I need to go to",
                "can you send it to the", "my number is 415 555", "my card is 4111 1111 1111", "my number is five five five,",
                "well, because", "I was wondering if...")) {
            // Long enough for a 900 ms pause even when the cue rests on a short, often misheard word.
            assertThat(delayMs(d, unfinished)).as(unfinished).isGreaterThanOrEqualTo(950);
            assertThat(predict(d, unfinished).endOfTurnProbability()).as(unfinished).isLessThan(0.3);
        }
        for (String finished : List.of("I'd like to book a table.", "What time do you open?",
                "Thanks, that's all!", "my number is 415 555 1234", "my card is 4111 1111 1111 1111")) {
            assertThat(delayMs(d, finished)).as(finished).isLessThanOrEqualTo(400);
            assertThat(predict(d, finished).endOfTurnProbability()).as(finished).isGreaterThan(0.75);
        }
        assertThat(delayMs(d, "I'd like a table for two tonight")).isEqualTo(450);
        assertThat(delayMs(d, "")).isEqualTo(450);
        // Without a question mark an interrogative opening is less sure: quicker than neutral, not quick.
        assertThat(delayMs(d, "what time do you open")).isBetween(300L, 450L);
        assertThat(predict(d, "what time do you open").endOfTurnProbability()).isGreaterThan(0.75);
    }

    @Test
    void datesAndShortDigitRunsHoldButWeakEndingsOnlyAFewHundredMilliseconds() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        for (String unfinished : List.of("the appointment is on march", "call me on may", "my number is four one five")) {
            assertThat(delayMs(d, unfinished)).as(unfinished).isGreaterThanOrEqualTo(950);
        }
        // Words that usually need more but also close a clause hold between the neutral wait
        // and a strong cue's: "than he was" must not cost 1.2 s.
        long strong = delayMs(d, "more respectable than the");
        for (String weak : List.of("more respectable than he was", "thank you", "yes i can", "you may", "not really")) {
            assertThat(delayMs(d, weak)).as(weak).isBetween(500L, 800L).isLessThan(strong);
        }
        // A month name alone is no date, and "may" as a modal is a weak cue, not a date.
        assertThat(delayMs(d, "i was born in march nineteen")).isLessThan(950);
    }

    @Test
    void delayStaysWithinTheSessionBounds() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        TurnContext tight = new TurnContext(Duration.ZERO, "and", List.of(), Duration.ofMillis(500), Duration.ofMillis(800));
        assertThat(d.predict(tight).delay()).isEqualTo(Duration.ofMillis(800));
        TurnContext floor = new TurnContext(Duration.ZERO, "Done.", List.of(), Duration.ofMillis(500), Duration.ofMillis(800));
        assertThat(d.predict(floor).delay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void adaptsToTheSpeakersOwnPauses() {
        String words = "I'd like a table for two tonight";
        AdaptiveTurnDetector slow = new AdaptiveTurnDetector();
        for (int i = 0; i < 6; i++) {
            predict(slow, words);
            slow.observePause(Duration.ofMillis(900), false);
        }
        assertThat(slow.neutralDelay().toMillis()).isBetween(950L, 1_080L);
        assertThat(delayMs(slow, words)).isGreaterThan(900);

        AdaptiveTurnDetector brisk = new AdaptiveTurnDetector();
        for (int i = 0; i < 15; i++) {
            predict(brisk, words);
            brisk.observePause(Duration.ofMillis(250), false);
        }
        long briskWait = brisk.neutralDelay().toMillis();
        assertThat(briskWait).isBetween(280L, 350L);
        // A turn that ended without the user talking on pulls the wait slightly back towards the
        // configured one: a turn end says nothing about how short the wait could be.
        predict(brisk, words);
        brisk.observePause(Duration.ofMillis(400), true);
        assertThat(brisk.neutralDelay().toMillis()).isGreaterThan(briskWait).isLessThan(450L);
        // A cut-off (the user talked on 900 ms after speaking, past the wait) raises it at once.
        brisk.observePause(Duration.ofMillis(900), false);
        assertThat(brisk.neutralDelay().toMillis()).isGreaterThan(500L);
        brisk.reset();
        assertThat(brisk.neutralDelay()).isEqualTo(Duration.ofMillis(450));
    }

    @Test
    void aPauseBeforeAnyWordWasRecognizedTeachesNothing() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        // A click the VAD took for speech, committed as an empty turn, then the user starts talking.
        predict(d, "");
        d.observePause(Duration.ofMillis(450), true);
        d.observePause(Duration.ofMillis(1_040), false);
        predict(d, "");
        d.observePause(Duration.ofMillis(700), false);
        assertThat(d.neutralDelay()).isEqualTo(Duration.ofMillis(450));
        // The same cut-off after real words is learned.
        predict(d, "i would like a table");
        d.observePause(Duration.ofMillis(450), true);
        d.observePause(Duration.ofMillis(1_040), false);
        assertThat(d.neutralDelay().toMillis()).isGreaterThan(600L);
    }

    @Test
    void pausesTheTranscriptMarkedUnfinishedDoNotStretchTheNeutralWait() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        for (int i = 0; i < 5; i++) {
            predict(d, "i would like to order a pizza and");
            d.observePause(Duration.ofMillis(900), false);
        }
        assertThat(d.neutralDelay()).isEqualTo(Duration.ofMillis(450));
        predict(d, "i would like to order a pizza");
        d.observePause(Duration.ofMillis(900), false);
        assertThat(d.neutralDelay().toMillis()).isGreaterThan(600);
    }

    @Test
    void uncertainOrUnstableTrailingWordsHoldTheTurnLess() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        long sure = d.predict(new TurnContext(Duration.ZERO, "send it to the office and", List.of(), MIN, MAX, 0.95)).delay().toMillis();
        long unsure = d.predict(new TurnContext(Duration.ZERO, "send it to the office and", List.of(), MIN, MAX, 0.3)).delay().toMillis();
        assertThat(unsure).isLessThan(sure).isGreaterThan(450);
        // The last word changes within one pause: the hypothesis is unstable, the cue counts half.
        long first = d.predict(new TurnContext(Duration.ZERO, "i need the office", List.of(), MIN, MAX)).delay().toMillis();
        long flipped = d.predict(new TurnContext(Duration.ofMillis(150), "i need the office to", List.of(), MIN, MAX)).delay().toMillis();
        long stable = new AdaptiveTurnDetector().predict(new TurnContext(Duration.ZERO, "i need the office to", List.of(), MIN, MAX))
                .delay().toMillis();
        assertThat(first).isEqualTo(450);
        assertThat(flipped).isLessThan(stable).isGreaterThan(450);
        // An unfinished ending replaced by another is unstable but agrees: it holds in full.
        AdaptiveTurnDetector agreeing = new AdaptiveTurnDetector();
        agreeing.predict(new TurnContext(Duration.ZERO, "please dial eight and", List.of(), MIN, MAX));
        long replaced = agreeing.predict(new TurnContext(Duration.ofMillis(280), "please dial eight and the", List.of(), MIN, MAX))
                .delay().toMillis();
        assertThat(replaced).isGreaterThanOrEqualTo(delayMs(new AdaptiveTurnDetector(), "please dial eight and the")).isGreaterThan(950);
        // A conjunction that the recognizer adds during the pause holds as long as a stable one.
        AdaptiveTurnDetector late = new AdaptiveTurnDetector();
        late.predict(new TurnContext(Duration.ZERO, "please tell me the time", List.of(), MIN, MAX));
        long caughtUp = late.predict(new TurnContext(Duration.ofMillis(300), "please tell me the time and", List.of(), MIN, MAX))
                .delay().toMillis();
        long heardAtOnce = new AdaptiveTurnDetector()
                .predict(new TurnContext(Duration.ZERO, "please tell me the time and", List.of(), MIN, MAX)).delay().toMillis();
        assertThat(caughtUp).isEqualTo(heardAtOnce).isGreaterThan(1_150);
        assertThatThrownBy(() -> new TurnContext(Duration.ZERO, "", List.of(), MIN, MAX, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * In noise a decoder fills the pause with words and revises the ending as it goes ("... four
     * of" then "... four a have"): a later result of the same pause that reads as finished does
     * not lift the hold an unfinished one asked for (TurnEval, pink noise at 10 dB: 4 of 13 pauses
     * were cut that way). A new pause starts afresh.
     */
    @Test
    void aPauseKeepsItsMostUnfinishedVerdict() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        long held = d.predict(new TurnContext(Duration.ofMillis(120), "eight of spades four of", List.of(), MIN, MAX))
                .delay().toMillis();
        long revised = d.predict(new TurnContext(Duration.ofMillis(460), "eight of spades four a eight", List.of(), MIN, MAX))
                .delay().toMillis();
        assertThat(held).isGreaterThanOrEqualTo(950);
        assertThat(revised).isEqualTo(held);
        // A result that only adds words is the recognizer catching up: judged on its own.
        AdaptiveTurnDetector late = new AdaptiveTurnDetector();
        long stale = late.predict(new TurnContext(Duration.ofMillis(120), "what time is", List.of(), MIN, MAX)).delay().toMillis();
        assertThat(late.predict(new TurnContext(Duration.ofMillis(700), "what time is it", List.of(), MIN, MAX)).delay().toMillis())
                .isLessThan(stale).isLessThanOrEqualTo(450);
        // The next pause (the silence starts again) is judged on its own words.
        long next = d.predict(new TurnContext(Duration.ofMillis(140), "eight of spades four of clubs", List.of(), MIN, MAX))
                .delay().toMillis();
        assertThat(next).isEqualTo(fresh("eight of spades four of clubs")).isLessThan(held);
        d.predict(new TurnContext(Duration.ofMillis(150), "seven of", List.of(), MIN, MAX));
        d.observePause(Duration.ofMillis(500), false);
        assertThat(d.predict(new TurnContext(Duration.ofMillis(300), "seven of hearts", List.of(), MIN, MAX)).delay().toMillis())
                .isEqualTo(d.neutralDelay().toMillis()).isLessThan(held);
    }

    private static long fresh(String transcript) {
        return new AdaptiveTurnDetector().predict(new TurnContext(Duration.ofMillis(140), transcript, List.of(), MIN, MAX)).delay().toMillis();
    }

    /** A word timed in ms from the end of speech. */
    private static io.parley.spi.Word word(String text, long startMs, long endMs) {
        return new io.parley.spi.Word(text, Duration.ofMillis(startMs), Duration.ofMillis(endMs), Double.NaN, -1);
    }

    private static long delayMs(AdaptiveTurnDetector d, String transcript, io.parley.spi.Word... words) {
        return d.predict(new TurnContext(Duration.ZERO, transcript, List.of(), MIN, MAX, Double.NaN, Prosody.UNKNOWN,
                List.of(words))).delay().toMillis();
    }

    /** The opt-in uses of word timings, as for a VAD that hears every word. */
    private static AdaptiveTurnDetector timed() {
        return AdaptiveTurnDetector.builder().ghostMargin(Duration.ofMillis(20)).coveredNeutralDelay(Duration.ofMillis(350)).build();
    }

    /**
     * TurnEval (word-loop PocketSphinx, DspVad): finished turns read "... five and" or "... for
     * and" with the last word decoded from the room tone after the end of speech, and were held
     * 1.0-1.2 s; in pink noise "... a for a have" with a decoded "have" hid the real "a" and cut
     * the pause. The detector now reads the turn as it was spoken by default.
     */
    @Test
    void byDefaultTrailingWordsDecodedFromTheSilenceAreSetAside() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        assertThat(delayMs(d, "five have a five and", word("five", -350, 99), word("and", 99, 279)))
                .isEqualTo(delayMs(new AdaptiveTurnDetector(), "five have a five", word("five", -350, 99)))
                .isLessThan(500);
        assertThat(delayMs(new AdaptiveTurnDetector(), "a eight fifteenth spades a for a have", word("for", -450, -30),
                word("a", -30, 9), word("have", 9, 379))).isGreaterThanOrEqualTo(950);
        // Spoken before the end of speech, it holds as ever; and a transcript that reaches the
        // end of speech waits the neutral wait.
        assertThat(delayMs(new AdaptiveTurnDetector(), "please tell me the time and", word("time", -600, -300),
                word("and", -250, -20))).isGreaterThanOrEqualTo(950);
        assertThat(delayMs(new AdaptiveTurnDetector(), "i'd like a table for two tonight", word("tonight", -440, -30)))
                .isEqualTo(450);
    }

    private static long delayMs(AdaptiveTurnDetector d, long silenceMs, String transcript, io.parley.spi.Word... words) {
        return d.predict(new TurnContext(Duration.ofMillis(silenceMs), transcript, List.of(), MIN, MAX, Double.NaN, Prosody.UNKNOWN,
                List.of(words))).delay().toMillis();
    }

    /**
     * TurnEval (quiet, Allison, "... placed into the conference"): the first result of the
     * final pause ended "... other in", its "in" reaching a little past the end of speech; the
     * next one timed the same stretch as an "and" lying mostly in the silence. The pause kept
     * the first verdict's hold and the finished turn waited a second. When a later result puts
     * the word an earlier verdict rested on in the silence, that verdict goes; a revision that
     * drops the word without saying so keeps it, as before.
     */
    @Test
    void aHoldRestingOnAWordALaterResultPutsInTheSilenceIsLifted() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        long held = delayMs(d, 76, "you will now be dial eight a into the cannot an other in",
                word("other", -220, -40), word("in", -40, 80));
        assertThat(held).isGreaterThanOrEqualTo(950);
        long revised = delayMs(d, 338, "you will now be dial eight a into the cannot an other and",
                word("other", -220, -40), word("and", -40, 220));
        assertThat(revised).isEqualTo(delayMs(new AdaptiveTurnDetector(), 338, "you will now be dial eight a into the cannot an other",
                word("other", -220, -40))).isLessThanOrEqualTo(450);
        // Pink noise, "... cold hearted and | rather": the "he" the first result ended with is
        // gone from the next, which puts nothing in the silence: the hold stays.
        AdaptiveTurnDetector noisy = new AdaptiveTurnDetector();
        long first = delayMs(noisy, 260, "them was to be rather cold a hearted he of", word("hearted", -530, -180),
                word("he", -180, -40), word("of", -40, 120));
        assertThat(first).isGreaterThanOrEqualTo(950);
        assertThat(delayMs(noisy, 442, "them was to be rather cold a hearted", word("hearted", -530, -170))).isEqualTo(first);
        // Pink noise, "eight of | spades": the hold rests on the first result's "a", long
        // before the end of speech; a later result's word decoded from the silence voids only
        // the word it covers, not that one.
        AdaptiveTurnDetector cards = new AdaptiveTurnDetector();
        long a = delayMs(cards, 140, "a a", word("a", -710, -630), word("a", -630, -460));
        assertThat(a).isGreaterThanOrEqualTo(950);
        assertThat(delayMs(cards, 163, "a eight have how", word("eight", -280, -110), word("have", -110, 50), word("how", 50, 140)))
                .isEqualTo(a);
        assertThat(delayMs(cards, 461, "a eight fifteenth", word("eight", -280, -110), word("fifteenth", -110, 440))).isEqualTo(a);
    }

    /**
     * TurnEval in pink noise, "... cold hearted and | rather": the VAD's offset came early (the
     * soft end of "and" sank into the noise) and the real "and", heard as an "of" from 60 ms
     * before the end of speech to 120 ms after it, was set aside as decoded from the silence;
     * the pause was cut. A word that began before the end of speech must lie twice as far past
     * it; one that began after it, as far as ever.
     */
    @Test
    void aWordBegunBeforeTheEndOfSpeechMustLieFurtherIntoTheSilenceToBeSetAside() {
        assertThat(delayMs(new AdaptiveTurnDetector(), 250, "rather cold a hearted of", word("hearted", -530, -60),
                word("of", -60, 120))).isGreaterThanOrEqualTo(950);
        assertThat(delayMs(new AdaptiveTurnDetector(), 250, "you will now be placed into the conference and",
                word("conference", -550, -40), word("and", -40, 220)))
                .isEqualTo(delayMs(new AdaptiveTurnDetector(), 250, "you will now be placed into the conference",
                        word("conference", -550, -40)));
        assertThat(delayMs(new AdaptiveTurnDetector(), 250, "ten of clubs a", word("clubs", -460, 10), word("a", 10, 50)))
                .isEqualTo(delayMs(new AdaptiveTurnDetector(), 250, "ten of clubs", word("clubs", -460, 10)));
    }

    @Test
    void trailingWordsDecodedFromTheSilenceAreSetAside() {
        AdaptiveTurnDetector d = timed();
        long finished = delayMs(d, "please send it to the office", word("office", -420, -10));
        // "the" and "of the" began well after the VAD heard the speech end: room tone the decoder
        // explained with short words. The turn reads as it was spoken.
        assertThat(delayMs(d, "please send it to the office the", word("office", -420, -10), word("the", 150, 260)))
                .isEqualTo(finished);
        assertThat(delayMs(d, "please send it to the office of the", word("office", -420, -10), word("of", 90, 180),
                word("the", 200, 300))).isEqualTo(finished);
        assertThat(delayMs(d, "what time is it and", word("it", -200, 0), word("and", 300, 400)))
                .isEqualTo(delayMs(d, "what time is it", word("it", -200, 0)));
        // However short: a 40 ms "a" right after the end of speech is room tone too.
        assertThat(delayMs(d, "please send it to the office a", word("office", -420, -10), word("a", 10, 50)))
                .isEqualTo(finished);
        // Stretched back over the end of the last real word, but mostly in the silence: set aside too.
        assertThat(delayMs(d, "please send it to the office and", word("office", -420, -110), word("and", -100, 400)))
                .isEqualTo(delayMs(d, "please send it to the office", word("office", -420, -110)));
        // Spoken before the end of speech, or reaching only a little past it (the VAD's offset
        // is the end of the last voiced frame): the cue holds the turn.
        assertThat(delayMs(d, "please send it to the office and", word("office", -600, -300), word("and", -250, -20)))
                .isGreaterThanOrEqualTo(950);
        assertThat(delayMs(d, "please send it to the office and", word("office", -420, -110), word("and", -100, 100)))
                .isGreaterThanOrEqualTo(950);
        // Timings that do not belong to the transcript's end (an older result's) change nothing.
        assertThat(delayMs(d, "please send it to the office and", word("office", 100, 300)))
                .isGreaterThanOrEqualTo(950);
        // A word the recognizer was unsure of counts less, but not once it is set aside.
        long unsure = d.predict(new TurnContext(Duration.ZERO, "what time is it and", List.of(), MIN, MAX, 0.2, Prosody.UNKNOWN,
                List.of(word("it", -200, 0), word("and", 300, 400)))).delay().toMillis();
        assertThat(unsure).isEqualTo(delayMs(d, "what time is it", word("it", -200, 0)));
        AdaptiveTurnDetector strict = AdaptiveTurnDetector.builder().ghostMargin(Duration.ofMillis(500))
                .coveredNeutralDelay(Duration.ofMillis(450)).build();
        assertThat(delayMs(strict, "please send it to the office the", word("office", -420, -10), word("the", 150, 260)))
                .isGreaterThanOrEqualTo(950);
    }

    @Test
    void aTranscriptThatHeardTheWholeUtteranceWaitsLessWithoutACue() {
        AdaptiveTurnDetector d = timed();
        String words = "i'd like a table for two tonight";
        // The last word reaches the end of speech: nothing is left for the recognizer to publish.
        assertThat(delayMs(d, words, word("two", -700, -450), word("tonight", -440, -30))).isEqualTo(350);
        // Ending a little earlier, or without timings, it waits the neutral wait.
        assertThat(delayMs(d, words, word("two", -800, -500), word("tonight", -490, -200))).isEqualTo(450);
        assertThat(delayMs(d, words)).isEqualTo(450);
        // The VAD heard voice for 400 ms after the last word the recognizer made out: a word is
        // missing, perhaps the one that would hold the turn, so it waits longer than neutral,
        // even after a question, but not as long as after "and".
        long missed = delayMs(d, words, word("two", -900, -700), word("tonight", -690, -400));
        assertThat(missed).isBetween(650L, 950L).isLessThan(delayMs(d, words + " and"));
        assertThat(delayMs(d, "what time do you open", word("open", -690, -400))).isEqualTo(missed);
        // A cue still decides: a covered "and" holds as long as ever, a question ends sooner.
        assertThat(delayMs(d, words + " and", word("and", -200, -20))).isEqualTo(delayMs(d, words + " and"));
        assertThat(delayMs(d, "what time do you open", word("open", -300, -20)))
                .isLessThan(delayMs(d, "what time do you open"));
        // A speaker who needs longer waits keeps the proportion.
        for (int i = 0; i < 6; i++) {
            predict(d, words);
            d.observePause(Duration.ofMillis(900), false);
        }
        long slow = d.neutralDelay().toMillis();
        assertThat(delayMs(d, words, word("tonight", -440, -30))).isBetween(slow * 7 / 9 - 2, slow * 7 / 9 + 2);
    }

    /**
     * TurnEval in pink noise (Allison, "... participant in the conference"): the pause's first
     * result ended "... of than", the next heard "there" in the same place. The hold of the
     * "than" it no longer stands by kept the finished turn a second and a quarter. A different
     * word where the hold's word was leaves the hold the weight of an unstable word; another
     * unfinished word there ("then" heard again as "as") keeps it whole.
     */
    @Test
    void aHoldWhoseWordTheDecoderNoLongerHearsWeakens() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        long held = delayMs(d, 129, "he a fifteenth than the power of than", word("power", -520, -340), word("of", -340, -200),
                word("than", -200, -20));
        assertThat(held).isGreaterThanOrEqualTo(1100);
        long replaced = delayMs(d, 291, "he a fifteenth than the power of there", word("power", -520, -340), word("of", -340, -220),
                word("there", -220, -70));
        assertThat(replaced).isBetween(600L, 850L);
        AdaptiveTurnDetector still = new AdaptiveTurnDetector();
        long then = delayMs(still, 108, "you of call of to young he completed then", word("completed", -740, -170),
                word("then", -170, 0));
        assertThat(delayMs(still, 290, "you of call of to young he completed as", word("completed", -740, -130),
                word("as", -130, 20))).isEqualTo(then).isGreaterThanOrEqualTo(1100);
    }

    /**
     * TurnEval (quiet, Allison, "your call cannot be completed as dialed"): the final pause's
     * first result ended "... to dialed" at the end of speech; the next added a 30 ms "a" and the
     * results after it kept that "a", with a word decoded from the silence after it. The "a" was
     * halved as unstable once, then held the finished turn for a second and a half as if heard
     * from the start. A trailing word that changed within the pause stays unstable for the rest of
     * it; an unfinished word after a result that already read the turn as unfinished holds in full.
     */
    @Test
    void aTrailingWordThatAppearedDuringThePauseStaysUnstableWhileTheDecoderRepeatsIt() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        String added = "a your call cannot be completed as eight a eight a to dialed a";
        assertThat(delayMs(d, 38, "a your call cannot be completed as eight a eight a to dialed", word("to", -660, -580),
                word("dialed", -580, -20))).isEqualTo(450);
        long first = delayMs(d, 222, added, word("to", -660, -580), word("dialed", -580, -30), word("a", -30, 0));
        long repeated = delayMs(d, 521, added + " eight", word("dialed", -580, -30), word("a", -30, 0), word("eight", 480, 580));
        long again = delayMs(d, 821, added, word("to", -660, -580), word("dialed", -580, -30), word("a", -30, 0));
        long heardAtOnce = delayMs(new AdaptiveTurnDetector(), 222, added, word("dialed", -580, -30), word("a", -30, 0));
        assertThat(first).isBetween(600L, 800L).isLessThan(heardAtOnce);
        assertThat(repeated).isEqualTo(first);
        assertThat(again).isEqualTo(first);
        // A pause whose first result already ended unfinished: a different unfinished word holds in full, again and again.
        AdaptiveTurnDetector agreeing = new AdaptiveTurnDetector();
        delayMs(agreeing, 92, "rather selfish his", word("selfish", -1200, -380), word("his", -290, -110));
        long to = delayMs(agreeing, 375, "rather selfish his to", word("his", -290, -110), word("to", -110, 0));
        assertThat(delayMs(agreeing, 600, "rather selfish his to", word("his", -290, -110), word("to", -110, 0)))
                .isEqualTo(to).isGreaterThanOrEqualTo(950);
    }

    /**
     * With timed words, the confidence a cue is weighed by is that of the word it rests on: once
     * a trailing word decoded from the silence is set aside, an unsure "the" before it holds the
     * turn as little as an unsure "the" heard last, and the confidence of the word set aside
     * (whatever it is) changes nothing.
     */
    @Test
    void theCueIsWeighedByTheConfidenceOfTheWordItRestsOn() {
        List<io.parley.spi.Word> ghost = List.of(scored("to", -420, -260, 0.95), scored("the", -260, -30, 0.3),
                scored("office", 120, 400, 0.9));
        long unsure = new AdaptiveTurnDetector().predict(new TurnContext(Duration.ofMillis(300), "send it to the office", List.of(),
                MIN, MAX, 0.9, Prosody.UNKNOWN, ghost)).delay().toMillis();
        long heardLast = new AdaptiveTurnDetector().predict(new TurnContext(Duration.ofMillis(300), "send it to the", List.of(),
                MIN, MAX, 0.3, Prosody.UNKNOWN, ghost.subList(0, 2))).delay().toMillis();
        long sure = delayMs(new AdaptiveTurnDetector(), 300, "send it to the", word("to", -420, -260), word("the", -260, -30));
        assertThat(unsure).isEqualTo(heardLast).isLessThan(sure);
    }

    private static io.parley.spi.Word scored(String text, long startMs, long endMs, double confidence) {
        return new io.parley.spi.Word(text, Duration.ofMillis(startMs), Duration.ofMillis(endMs), confidence, -1);
    }

    /**
     * TurnEval in pink noise: Allison's "four one five | five five five" was heard as "one", its
     * last 700 ms of voice ("five") missed, and the 720 ms wait for a transcript that missed
     * voice cut the 800 ms pause. Half a second or more of voice the recognizer has not put into
     * words waits longer than an auxiliary, though not as long as "the"; a quarter of a second
     * (a fricative, a breath) as before.
     */
    @Test
    void voiceAfterTheLastWordHoldsThroughAnEightHundredMillisecondPause() {
        long missed = delayMs(new AdaptiveTurnDetector(), 140, "one", word("one", -980, -700));
        assertThat(missed).isGreaterThan(850).isLessThan(delayMs(new AdaptiveTurnDetector(), 140, "one of", word("of", -100, 0)));
        assertThat(missed).isGreaterThan(delayMs(new AdaptiveTurnDetector(), 140, "yes i can", word("can", -300, 0)));
        long tail = delayMs(new AdaptiveTurnDetector(), 140, "seven of clubs", word("clubs", -670, -280));
        assertThat(tail).isBetween(700L, 760L).isLessThan(missed);
        assertThat(delayMs(new AdaptiveTurnDetector(), 140, "seven of clubs", word("clubs", -900, -400)))
                .isBetween(tail, missed);
    }

    /**
     * TurnEval, Allison reading a phone number in three groups (quiet): the groups, heard as
     * words with no cue, were cut at a 680 ms pause and, the learned wait having moved only a
     * little, again at an 880 ms one. Once the user has been cut off, the rest of that turn
     * waits at least a margin above the pause that was cut; the next turn does not.
     */
    @Test
    void aTurnTheUserWasCutOffInIsNotCutAgainByAShorterWait() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        long cut = d.predict(new TurnContext(Duration.ofMillis(140), "other a was you", List.of(), MIN, MAX)).delay().toMillis();
        assertThat(cut).isLessThan(680);
        d.observePause(Duration.ofMillis(cut), true);
        d.observePause(Duration.ofMillis(680), false);
        long again = d.predict(new TurnContext(Duration.ofMillis(240), "other a was you had was you", List.of(), MIN, MAX))
                .delay().toMillis();
        assertThat(again).isGreaterThan(900);
        // With no cue it waits at least 1.2 times the pause that was cut.
        assertThat(d.predict(new TurnContext(Duration.ofMillis(240), "other a was you had was you how", List.of(), MIN, MAX))
                .delay().toMillis()).isBetween(816L, 900L);
        // The turn ends: the next one waits as the speaker's learned wait says, no longer the floor.
        d.observePause(Duration.ofMillis(again), true);
        d.observePause(Duration.ofMillis(3000), false);
        assertThat(d.predict(new TurnContext(Duration.ofMillis(140), "thank you", List.of(), MIN, MAX)).delay().toMillis())
                .isLessThan(again).isLessThan(800);
        assertThat(d.neutralDelay().toMillis()).isBetween(451L, 600L);
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> AdaptiveTurnDetector.builder().coveredNeutralDelay(Duration.ofMillis(700)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("coveredNeutralDelay");
        assertThatThrownBy(() -> AdaptiveTurnDetector.builder().ghostMargin(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghostMargin");
        assertThatThrownBy(() -> AdaptiveTurnDetector.builder().quickDelay(Duration.ofSeconds(2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quick <= neutral");
        assertThatThrownBy(() -> AdaptiveTurnDetector.builder().pauseMargin(0.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pauseMargin");
        assertThatThrownBy(() -> AdaptiveTurnDetector.builder().smoothing(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smoothing");
        AdaptiveTurnDetector custom = AdaptiveTurnDetector.builder().neutralDelay(Duration.ofMillis(900)).build();
        assertThat(custom.neutralDelay()).isEqualTo(Duration.ofMillis(900));
    }

    /** A voice that ended this far below the speaker's average, falling or rising at this rate. */
    private static Prosody voice(double finalPitch, double slope) {
        return new Prosody(slope, finalPitch, 1, 0);
    }

    /** A finished turn whose voice ended {@code finalPitch} below the speaker's average. */
    private static void heard(AdaptiveTurnDetector d, double finalPitch) {
        d.predict(new TurnContext(Duration.ofMillis(100), "that is all", List.of(), MIN, MAX, Double.NaN, voice(finalPitch, -10)));
        d.observePause(Duration.ofMillis(600), true);
    }

    @Test
    void whereTheWordsSayNothingTheVoiceDecidesBothWays() {
        String plain = "i would like a table";
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        for (int i = 0; i < 3; i++) {
            heard(d, -6);
        }
        long neutral = delay(d, plain, Prosody.UNKNOWN);
        assertThat(neutral).isEqualTo(450);
        // Stopped high in the range: not over, however the words read; level but not low: longer than neutral.
        assertThat(delay(d, plain, voice(2, 15))).isGreaterThanOrEqualTo(1200);
        assertThat(delay(d, plain, voice(-1, 0))).isBetween(neutral + 200, 1300L);
        // Ended low: over, but on the voice's word alone never sooner than the configured neutral wait.
        assertThat(delay(d, plain, voice(-8, -25))).isEqualTo(450);
        AdaptiveTurnDetector patient = AdaptiveTurnDetector.builder().neutralDelay(Duration.ofMillis(800)).build();
        assertThat(delay(patient, plain, voice(-8, -25))).isBetween(450L, 470L);
        // Terminal punctuation with a falling voice: as quick as the words allow.
        assertThat(delay(d, "i would like a table.", voice(-8, -25))).isLessThan(260);
    }

    @Test
    void whereTheWordsHaveACueTheVoiceOnlyAddsToIt() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        for (int i = 0; i < 3; i++) {
            heard(d, -6);
        }
        // A voice that ended low does not shorten the wait after "and", "the" or a digit group
        // (speakers drop low before a mid-turn pause too, and telephone prompts fall at every
        // group), nor does one that stopped high stretch a question's; a high one adds to "and".
        for (String unfinished : List.of("i would like a table and", "please send it to the", "one five five you")) {
            assertThat(delay(d, unfinished, voice(-8, -25))).as(unfinished).isEqualTo(delay(d, unfinished, Prosody.UNKNOWN));
            assertThat(delay(d, unfinished, voice(2, 15))).as(unfinished).isGreaterThan(delay(d, unfinished, Prosody.UNKNOWN));
        }
        assertThat(delay(d, "what time do you open?", voice(2, 15))).isEqualTo(delay(d, "what time do you open?", Prosody.UNKNOWN));
        // A farewell ends the turn quickly whatever came before it.
        assertThat(delay(d, "thank you bye bye", Prosody.UNKNOWN)).isLessThanOrEqualTo(350);
    }

    @Test
    void aBareNoIsAnAnswerNotADeterminer() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        long neutral = delay(d, "i would like a table", Prosody.UNKNOWN);
        // An answer of "no" waits no longer than a turn with no cue [it was held about a second
        // as "no" before a noun: in the replay with right words, Allison's "no" waited 994 ms].
        for (String answer : List.of("no", "oh no", "no no", "uh no", "No.")) {
            assertThat(delay(d, answer, Prosody.UNKNOWN)).as(answer).isLessThanOrEqualTo(neutral);
        }
        // The determiner still holds the turn open.
        for (String unfinished : List.of("there is no", "i have no")) {
            assertThat(delay(d, unfinished, Prosody.UNKNOWN)).as(unfinished).isGreaterThan(2 * neutral);
        }
    }

    @Test
    void aVoiceThatStoppedHighCountsInFullOnlyOnceTheSpeakersEndsAreKnown() {
        String plain = "i would like a table";
        AdaptiveTurnDetector fresh = new AdaptiveTurnDetector();
        // Nothing heard yet: the prior threshold may be too deep for this speaker (synthetic
        // voices end barely below their average), so a high ending does not hold the turn yet.
        assertThat(delay(fresh, plain, voice(-1, 0))).isEqualTo(450);
        AdaptiveTurnDetector one = new AdaptiveTurnDetector();
        heard(one, -6);
        AdaptiveTurnDetector three = new AdaptiveTurnDetector();
        for (int i = 0; i < 3; i++) {
            heard(three, -6);
        }
        assertThat(delay(one, plain, voice(-1, 0))).isGreaterThan(450).isLessThan(delay(three, plain, voice(-1, 0)));
    }

    @Test
    void learnsHowLowThisSpeakersTurnsEndAndForgetsAnEndThatWasCutOff() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        assertThat(d.toString()).contains("final low 4.0 st");
        // A speaker whose ends lie only 2.9 st below their average: the threshold moves up towards them.
        heard(d, -2.9);
        assertThat(d.toString()).contains("final low 3.5 st");
        heard(d, -2.9);
        assertThat(d.toString()).contains("final low 3.1 st");
        // The user talked on right after that "end" (the session reports the pause as resumed
        // before anything else): it was a pause, and is forgotten.
        d.observePause(Duration.ofMillis(600), false);
        assertThat(d.toString()).contains("final low 3.5 st");
        d.reset();
        assertThat(d.toString()).contains("final low 4.0 st");
    }

    /** A pause the user talked on from, whose voice stopped {@code finalPitch} below their average. */
    private static void pausedAt(AdaptiveTurnDetector d, double finalPitch) {
        d.predict(new TurnContext(Duration.ofMillis(100), "i would like", List.of(), MIN, MAX, Double.NaN, voice(finalPitch, 0)));
        d.observePause(Duration.ofMillis(300), false);
    }

    /**
     * TurnReplay (large, held-out, the words right): Allison's "you are now muted" and "press
     * zero for help" had no word cue and a voice that stopped a little above her usual turn end,
     * and waited 1.1 s each; read against her own ends, about half of her finished turns did.
     * Where the voice decides alone it is now read midway between her ends and her pauses; an
     * auxiliary still takes the ends' depth to add to its hold.
     */
    @Test
    void aVoiceDecidingAloneIsReadBetweenTheSpeakersEndsAndPauses() {
        AdaptiveTurnDetector d = new AdaptiveTurnDetector();
        for (int i = 0; i < 10; i++) {
            heard(d, -6);
            pausedAt(d, -2);
        }
        assertThat(d.toString()).contains("final low 5.4 st, alone 4.0 st");
        // 4.6 st below average: shallower than her ends, deeper than her pauses. Nothing in the words.
        Prosody between = voice(-4.6, 0);
        assertThat(delay(d, "you are now muted", between)).isLessThanOrEqualTo(450);
        // Above the midpoint the voice still holds a turn with no cue open.
        assertThat(delay(d, "you are now muted", voice(-2.5, 0))).isGreaterThan(1000);
        // After an auxiliary the same voice adds to the hold, as before.
        long auxiliary = delay(d, "the number is", Prosody.UNKNOWN);
        assertThat(delay(d, "the number is", between)).isGreaterThan(auxiliary + 150);
    }

    @Test
    void prosodyWeightZeroIgnoresTheVoice() {
        AdaptiveTurnDetector deaf = AdaptiveTurnDetector.builder().prosodyWeight(0).build();
        for (int i = 0; i < 3; i++) {
            heard(deaf, -6);
        }
        assertThat(delay(deaf, "i would like a table", voice(2, 15))).isEqualTo(450);
        assertThat(deaf.usesProsody()).isFalse();
        assertThat(new AdaptiveTurnDetector().usesProsody()).isTrue();
        assertThatThrownBy(() -> AdaptiveTurnDetector.builder().prosodyWeight(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prosodyWeight");
    }

    private static long delay(AdaptiveTurnDetector d, String transcript, Prosody prosody) {
        return d.predict(new TurnContext(Duration.ZERO, transcript, List.of(), MIN, MAX, Double.NaN, prosody)).delay().toMillis();
    }

    @Test
    void silenceBaselineIsFixed() {
        SilenceTurnDetector d = new SilenceTurnDetector(Duration.ofMillis(500));
        TurnPrediction p = d.predict(new TurnContext(Duration.ofMillis(250), "and", List.of(), MIN, MAX));
        assertThat(p.delay()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.endOfTurnProbability()).isEqualTo(0.5);
        assertThat(d.predict(new TurnContext(Duration.ofSeconds(1), "", List.of(), MIN, MAX)).endOfTurnProbability()).isEqualTo(1.0);
        assertThatThrownBy(() -> new SilenceTurnDetector(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
