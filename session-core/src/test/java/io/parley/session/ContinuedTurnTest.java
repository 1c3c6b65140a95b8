package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.ConversationTurn;
import io.parley.testing.FakeStt;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Speech that begins after the user's turn ended and before they can have heard the agent's
 * reply ({@link SessionState#PROCESSING}, or within {@link TurnTaking#UNHEARD_NANOS} of its first
 * audio) is the user going on with that turn, not a backchannel: however short, its words cut
 * the reply and join the turn (see {@link TurnTaking}). Without words it is dropped as a cough
 * would be; a short word later in the reply is still a backchannel.
 */
class ContinuedTurnTest {

    private static final String ANSWER = "Booked for the fifth of November.";

    /** "book it for november" ends at 1300 and is committed at 1800; the agent's reply plays from 2270. */
    private static SessionHarness booking() {
        SessionHarness h = new SessionHarness();
        h.agentSetup = a -> a.reply(t -> ANSWER);
        h.user.say(500, 800, "book it for november");
        return h;
    }

    @Test
    void aShortWordSaidBeforeTheReplyPlayedJoinsTheTurnItContinues() {
        SessionHarness h = booking();
        h.user.say(1900, 250, "fifth");
        h.build().start();

        h.advanceTo(8000);

        // "fifth" ends at 2150 and is heard at 2160: the reply, not yet played, is cut then, and
        // the whole turn waits its 500 ms again and is answered once.
        assertThat(h.stateLog()).containsExactly("INITIAL->LISTENING@0", "LISTENING->PROCESSING@1800",
                "PROCESSING->LISTENING@2160", "LISTENING->PROCESSING@2660", "PROCESSING->SPEAKING@3130",
                "SPEAKING->LISTENING@5050");
        assertThat(h.playbackLog()).containsExactly("INTERRUPTED@2160", "STARTED@3130", "FINISHED@5050");
        assertThat(h.userTurns).containsExactly("book it for november", "book it for november fifth");
        assertThat(h.session.history()).containsExactly(
                new ConversationTurn(ConversationTurn.Role.USER, "book it for november fifth", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, ANSWER, false));
    }

    @Test
    void aShortWordHeardOnlyOnceTheReplyPlaysStillTakesTheTurnBack() {
        SessionHarness h = booking();
        // The recognizer publishes nothing from 2100 to 2500: "fifth" (2000-2200) is heard after
        // the reply began at 2270, but it was begun before: the user never heard the reply.
        h.stt = FakeStt.builder(h.clock, h.user).stall(Duration.ofMillis(2100), Duration.ofMillis(400)).build();
        h.user.say(2000, 200, "fifth");
        h.build().start();

        h.advanceTo(8000);

        // Cut at 2500 when the word is heard, 230 ms into the reply; the turn is answered whole.
        assertThat(h.playbackLog()).containsExactly("STARTED@2270", "INTERRUPTED@2500", "STARTED@3170", "FINISHED@5090");
        assertThat(h.userTurns).containsExactly("book it for november", "book it for november fifth");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("book it for november fifth", ANSWER);
    }

    @Test
    void aShortWordBegunWhileTheTurnWaitsForItsFinalJoinsIt() {
        SessionHarness h = booking();
        h.stt = FakeStt.builder(h.clock, h.user).finalDelay(Duration.ofMillis(60)).build();
        h.user.say(1820, 160, "fifth");
        h.build().start();

        h.advanceTo(8000);

        // The turn ended at 1800 and is committed when its final comes, after "fifth" began:
        // the word still takes it back (as in TurnReplay's "november | fifth", where the
        // recognizer, in noise, published nothing for the 160 ms word and it was dropped).
        assertThat(h.playbackLog()).containsExactly("INTERRUPTED@1980", "STARTED@2860", "FINISHED@4780");
        assertThat(h.userTurns).containsExactly("book it for november", "book it for november fifth");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("book it for november fifth", ANSWER);
    }

    @Test
    void aShortWordJustAfterTheReplyBeganIsNoAnswerToIt() {
        SessionHarness h = booking();
        // 130 ms into the reply: too soon to have heard it and reacted.
        h.user.say(2400, 200, "fifth");
        h.build().start();

        h.advanceTo(8000);

        assertThat(h.playbackLog()).containsExactly("STARTED@2270", "INTERRUPTED@2600", "STARTED@3570", "FINISHED@5490");
        assertThat(h.userTurns).containsExactly("book it for november", "book it for november fifth");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("book it for november fifth", ANSWER);
    }

    @Test
    void aShortSoundBeforeTheReplyIsDroppedAndTheReplyPlays() {
        for (boolean timed : new boolean[] {false, true}) {
            SessionHarness h = booking();
            if (timed) {
                // This recognizer says how far its results reach: dropped once they pass the sound.
                h.stt = FakeStt.builder(h.clock, h.user).wordTimings(true).build();
            }
            h.user.noise(1900, 250);
            h.build().start();

            h.advanceTo(8000);

            soundDropped(h);
        }
    }

    private static void soundDropped(SessionHarness h) {

        // Held for words until the false-interruption timeout (the recognizer does not say how
        // far its results reach), then dropped: the reply plays through, no second turn.
        assertThat(h.playbackLog()).containsExactly("STARTED@2270", "FINISHED@4190");
        assertThat(h.userTurns).containsExactly("book it for november");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("book it for november", ANSWER);
    }

    @Test
    void aShortWordOverTheReplyIsStillABackchannel() {
        SessionHarness h = booking();
        h.user.say(2600, 250, "okay");
        h.build().start();

        h.advanceTo(8000);

        // Said 330 ms into the reply, too short to interrupt it: a backchannel, as before.
        assertThat(h.playbackLog()).containsExactly("STARTED@2270", "FINISHED@4190");
        assertThat(h.userTurns).containsExactly("book it for november");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("book it for november", ANSWER);
    }
}
