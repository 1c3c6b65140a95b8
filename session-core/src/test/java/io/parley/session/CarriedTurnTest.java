package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.Transcript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Words carried back into the open turn (a barge-in before the reply to them was heard, see
 * {@link TurnTaking}) are committed with the user's next turn end, or at the pending end of
 * turn if the user says nothing more: never dropped (chaos item 15, TURN_UNANSWERED).
 */
class CarriedTurnTest {

    private final VirtualClock clock = new VirtualClock();
    private final List<String> committed = new ArrayList<>();
    private final UserTurn turn = UserTurn.builder(clock, Runnable::run, (id, text, timing) -> committed.add(text)).build();

    /** A turn whose finals come only when a test delivers them, and what it committed. */
    private final List<String> out = new ArrayList<>();
    private final UserTurn slow = UserTurn.builder(clock, Runnable::run, (id, text, timing) -> out.add(text))
            .recognizer(() -> true).build();

    /** The slow turn hears {@code interim} until 500 ms and ends; at 1100 the user resumes while it is being committed. */
    private void resumeWhileCommitting(String interim) {
        slow.speechStarted(1, clock.nanoTime());
        slow.transcript(Transcript.interim(interim));
        at(500);
        slow.speechEnded(clock.nanoTime());
        at(1100);
        assertThat(slow.committing()).isTrue();
        slow.speechStarted(2, clock.nanoTime());
        slow.abandonCommit();
    }

    private void at(long millis) {
        clock.advanceTo(Duration.ofMillis(millis));
    }

    private void speak(long seq, long fromMillis, long toMillis, String words) {
        at(fromMillis);
        turn.speechStarted(seq, clock.nanoTime());
        turn.transcript(Transcript.fin(words, true));
        at(toMillis);
        turn.speechEnded(clock.nanoTime());
    }

    @Test
    void wordsCarriedBackWhileNoTurnIsOpenAreCommittedAtTheEndOfTurn() {
        speak(1, 0, 500, "call me at");
        at(1500);
        assertThat(committed).containsExactly("call me at");

        // A barge-in whose speech turned out wordless (already discarded) carries the answered turn back.
        turn.prepend("call me at");
        turn.endpoint();
        at(3000);
        assertThat(committed).containsExactly("call me at", "call me at");
        assertThat(turn.turnId()).isZero();
    }

    @Test
    void discardingNoiseKeepsTheCarriedBackWords() {
        speak(1, 0, 500, "call me at");
        at(1500);
        at(2000);
        turn.speechStarted(2, clock.nanoTime());
        turn.prepend("call me at");
        at(2100);
        turn.speechEnded(clock.nanoTime());
        // The speech was a cough: its turn goes, the carried words stay.
        turn.discard();
        at(4000);
        assertThat(committed).containsExactly("call me at", "call me at");
    }

    @Test
    void carriedBackWordsAreCommittedWithTheNextTurnEnd() {
        speak(1, 0, 500, "call me at");
        at(1500);
        turn.prepend("call me at");
        speak(2, 1600, 2400, "five thirty");
        at(4000);
        assertThat(committed).containsExactly("call me at", "call me at five thirty");
    }

    @Test
    void aTurnAbandonedWhileCommittingGoesAfterTheWordsCarriedBackBeforeIt() {
        resumeWhileCommitting("five thirty");
        slow.prepend("call me at");
        slow.transcript(Transcript.fin("five thirty", true));
        slow.transcript(Transcript.fin("please", true));
        at(1600);
        slow.speechEnded(clock.nanoTime());
        at(2600);
        slow.transcript(Transcript.fin("", true));
        at(6000);
        assertThat(out).containsExactly("call me at five thirty please");
    }

    @Test
    void wordsOnlyInTheLateFinalOfAnAnsweredTurnOpenTheNextOne() {
        // RealThreadRegressionTest under load: the user resumed ("folder five") while the loop
        // was late, the recognizer heard "folder" before the finalize reached it, so its late
        // final for the first turn is "saved to folder" and the new turn's interims say only "five".
        slow.speechStarted(1, clock.nanoTime());
        slow.transcript(Transcript.interim("saved to"));
        at(200);
        slow.speechEnded(clock.nanoTime());
        at(800);
        assertThat(slow.committing()).isTrue();
        slow.speechStarted(2, clock.nanoTime());
        slow.abandonCommit();
        slow.transcript(Transcript.interim("five"));
        at(1000);
        slow.speechEnded(clock.nanoTime());
        at(3000);
        assertThat(slow.committing()).as("the second turn waits for its final").isTrue();
        slow.transcript(Transcript.fin("saved to folder", true));
        at(10_000);
        assertThat(out).containsExactly("saved to folder five");
    }

    @Test
    void aLateFinalWithExtraWordsAfterTheAnswerOpensATurnWithThem() {
        slow.speechStarted(1, clock.nanoTime());
        slow.transcript(Transcript.interim("call me"));
        at(200);
        slow.speechEnded(clock.nanoTime());
        at(5000);
        assertThat(out).containsExactly("call me");
        // The recognizer catches up with a final that heard one more word than the interim did.
        slow.transcript(Transcript.fin("call me later", true));
        at(12_000);
        assertThat(out).containsExactly("call me", "later");
    }

    @Test
    void interimsStillHearingTheEndedTurnDoNotJoinTheResumedTurn() {
        // DemoTest at load 20: the recognizer, seconds behind, goes on revising the ended turn's
        // words after the user resumed; its final then closes them. The resumed turn's own words
        // come after that final, as the recognizer reaches its audio.
        resumeWhileCommitting("please tell me");
        slow.transcript(Transcript.interim("please tell me the time and"));
        assertThat(slow.text()).isEmpty();
        at(1600);
        slow.speechEnded(clock.nanoTime());
        at(2500);
        slow.transcript(Transcript.fin("please tell me the time and", true));
        slow.transcript(Transcript.interim("how long"));
        at(2700);
        slow.transcript(Transcript.fin("how long", true));
        at(6000);
        assertThat(out).containsExactly("please tell me the time and how long");
    }

    @Test
    void anInterimTheResumedTurnTookIsDroppedWhenTheEndedTurnsFinalRevisesIt() {
        // The revision changed the first word, so it looked like new speech; the final shows it was not.
        resumeWhileCommitting("these tell");
        slow.transcript(Transcript.interim("please tell me the time"));
        at(1600);
        slow.speechEnded(clock.nanoTime());
        at(2500);
        slow.transcript(Transcript.fin("please tell me the time and", true));
        // The resumed turn's final never comes: it is answered from what it has when the wait times out.
        at(10_000);
        assertThat(out).containsExactly("please tell me the time and");
    }

    @Test
    void aTurnWhoseWordsWereAllCarriedOwesItsLateFinalNothing() {
        // Its own answer is empty, so every word its late final brings is new, not already answered.
        PendingCommit p = new PendingCommit();
        p.begin(2, 0, -1, -1, "call me at", "call me at".length(), "");
        p.finalizeSent();
        assertThat(p.resolve(true).text()).isEqualTo("call me at");
        assertThat(p.catchUp(Transcript.fin("five thirty", true), false)).isEqualTo("five thirty");
    }

    @Test
    void aRevisionGoesOnFromTheSameWords() {
        assertThat(TurnWords.revises("please tell me the time", "please tell me")).isTrue();
        assertThat(TurnWords.revises("these tell me the time", "please tell me")).isTrue();
        assertThat(TurnWords.revises("how long", "please tell me")).isFalse();
        assertThat(TurnWords.revises("five thirty", "call me at five")).isFalse();
        assertThat(TurnWords.revises("anything", "")).isTrue();
    }

    @Test
    void beyondCountsTheAnsweredWords() {
        assertThat(TurnWords.beyond("saved to", "saved to folder")).isEqualTo("folder");
        assertThat(TurnWords.beyond("saved to", "Saved, too.")).isEmpty();
        assertThat(TurnWords.beyond(null, "folder five")).isEqualTo("folder five");
    }
}
