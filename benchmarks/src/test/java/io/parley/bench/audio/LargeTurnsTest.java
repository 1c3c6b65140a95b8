package io.parley.bench.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The large set's rule on transcripts: sentences, unfinished endings, skips and where the pauses go. */
class LargeTurnsTest {

    private static final Set<String> DICT = Set.of("please", "press", "one", "two", "to", "mute", "or", "unmute", "yourself", "lock",
            "unlock", "the", "conference", "for", "leave", "enter", "your", "password", "followed", "by", "pound", "key", "star",
            "login", "incorrect", "mailbox", "agent", "is", "already", "logged", "on", "re", "record", "it", "nine", "three",
            "four", "zero", "march", "fifteenth", "twenty", "first", "a", "message", "that");

    private static List<Integer> pauses(String sentence) {
        LargeTurns.Script s = LargeTurns.Script.parse(sentence, DICT);
        assertThat(s.skip()).isNull();
        return LargeTurns.pauses(s.sentences().get(0).toArray(String[]::new), s.open().get(0));
    }

    @Test
    void pausesFollowFunctionWordsFromTheLeftSpacedAndAtMostTwo() {
        // "by" (5) is taken, "the" (6) is too close to it; nothing after the pound.
        assertThat(pauses("Please enter your password followed by the pound key.")).containsExactly(5);
        // "or" (5) is too close to "to" (3); "two" (8) is no digit group; "to" (9) is the second and last.
        assertThat(pauses("please press one to mute or unmute yourself two to lock or unlock the conference"))
                .containsExactly(3, 9);
    }

    @Test
    void noPauseAfterPunctuationNorAfterTheFirstOrBeforeTheLastWord() {
        assertThat(pauses("To mute or unmute yourself two to lock.")).containsExactly(2, 6);
        // A comma after "or" closes it: the pause goes after "the".
        assertThat(pauses("Please enter your password or the pound key.")).containsExactly(4);
        assertThat(pauses("Please enter your password or, the pound key.")).containsExactly(5);
        assertThat(pauses("the conference")).isEmpty();
        assertThat(pauses("Press one for a message.")).containsExactly(2);
    }

    @Test
    void digitGroupsAndDatesAreWordClasses() {
        String[] digits = {"nine", "three", "four"};
        assertThat(LargeTurns.classOf(digits, 0)).isEqualTo(LargeTurns.WordClass.DIGIT_GROUP);
        assertThat(LargeTurns.classOf(digits, 2)).isEqualTo(LargeTurns.WordClass.OTHER);
        assertThat(LargeTurns.classOf(new String[] {"march", "fifteenth"}, 0)).isEqualTo(LargeTurns.WordClass.DATE);
        assertThat(LargeTurns.classOf(new String[] {"march", "twenty", "first"}, 0)).isEqualTo(LargeTurns.WordClass.DATE);
        assertThat(LargeTurns.classOf(new String[] {"it", "is", "on"}, 1)).isEqualTo(LargeTurns.WordClass.AUXILIARY);
    }

    @Test
    void sentencesSplitAndUnfinishedEndingsAreMarked() {
        LargeTurns.Script s = LargeTurns.Script.parse("Login incorrect.  Mailbox?", DICT);
        assertThat(s.sentences()).containsExactly(List.of("login", "incorrect"), List.of("mailbox"));
        assertThat(s.unfinished()).containsExactly(false, false);
        assertThat(LargeTurns.Script.parse("To leave the conference...", DICT).unfinished()).containsExactly(true);
        assertThat(LargeTurns.Script.parse("...to leave the conference.", DICT).unfinished()).containsExactly(false);
        assertThat(LargeTurns.Script.parse("Press 1 for", DICT).unfinished()).containsExactly(true);
        assertThat(LargeTurns.Script.parse("Press ...", DICT).unfinished()).containsExactly(true);
        assertThat(LargeTurns.Script.parse("That agent is already logged on.  Please enter your password.", DICT).unfinished())
                .containsExactly(true, false);
        assertThat(LargeTurns.Script.parse("Press * to re-record it", DICT).sentences())
                .containsExactly(List.of("press", "star", "to", "re", "record", "it"));
    }

    @Test
    void promptsWithSoundsNumbersOrUnknownWordsAreSkipped() {
        assertThat(LargeTurns.Script.parse("[ascending tones]", DICT).skip()).isEqualTo("a sound or a note, not only speech");
        assertThat(LargeTurns.Script.parse("Please press 500 now", DICT).skip()).isEqualTo("a token with no single reading");
        assertThat(LargeTurns.Script.parse("Please press zebra", DICT).skip()).isEqualTo("a word not in the dictionary");
    }
}
