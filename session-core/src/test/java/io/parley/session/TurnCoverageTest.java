package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.Transcript;
import io.parley.testing.FakeStt;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A committed turn is answered with the words of all its audio, in virtual time, when the
 * recognizer's finals run seconds behind: DemoTest's caller under CPU load ("please tell me the
 * time, and" + 900 ms + "how long have you been listening"), once the session had ended the
 * turn, was answered with the final of the line's first half only, and the second half was
 * heard as part of the caller's next line.
 */
class TurnCoverageTest {

    /**
     * The recognizer ends its own utterances at pauses (as Deepgram's endpointing does) and its
     * finals come 4 s after their audio (interims keep up). The turn ends 1.2 s after the line
     * (6100), before the final of its first half (closed at the 900 ms pause, due at 6500).
     * Before, that final was taken as the answer to the turn's finalize: the turn was answered
     * "please tell me the time and", and the second half's final (8900) joined the next line.
     */
    @Test
    void aFinalOfAnEarlierPauseDoesNotAnswerTheTurn() {
        SessionHarness h = new SessionHarness();
        h.stt = FakeStt.builder(h.clock, h.user).interimDelay(Duration.ofMillis(100)).wordTimings(true)
                .endpointing(Duration.ofMillis(4000)).finalDelay(Duration.ofMillis(4000)).build();
        h.user.say(500, 2000, "please tell me the time and");
        h.user.say(3400, 1500, "how long have you been listening");
        h.user.say(12_000, 1500, "go forward ten meters");
        h.config.endpointingMinDelay(Duration.ofMillis(1200)).sttFinalTimeout(Duration.ofSeconds(6));
        h.build().start();

        h.advanceTo(24_000);

        assertThat(h.userTurns).containsExactly("please tell me the time and how long have you been listening",
                "go forward ten meters");
        assertThat(h.errors).isEmpty();
    }

    /**
     * A decoder that publishes no results while it has not decoded a pause, starved of CPU: its
     * interim stops changing because it is still decoding the caller's 900 ms pause, not because
     * it has heard everything. The line ends at 5000 (on the recognizer's timeline too); the
     * interim "please tell me the time and" comes in a burst at 5200, with the decoder at 2600;
     * the end of turn waits for it up to {@code endpointingMaxDelay} (8000). Before, the turn was
     * answered from that interim at 8250, once it had not changed for 250 ms; it now waits for
     * the decoder to publish the audio up to the end of speech, and the final (9000) answers.
     */
    @Test
    void anInterimIsNotStableWhileTheRecognizerHasYetToDecodeTheRestOfTheTurn() {
        VirtualClock clock = new VirtualClock();
        List<String> committed = new ArrayList<>();
        long[] published = {-1};
        UserTurn turn = UserTurn.builder(clock, Runnable::run, (id, text, timing) -> committed.add(text))
                .recognizer(new UserTurn.Recognizer() {
                    @Override
                    public boolean finalizeUtterance() {
                        return true;
                    }

                    @Override
                    public long publishedNanos() {
                        return published[0];
                    }
                }).build();
        turn.speechStarted(1, clock.nanoTime());
        at(clock, 300);
        published[0] = ms(200);
        turn.transcript(Transcript.interim("please tell"));
        at(clock, 5000);
        turn.speechEnded(clock.nanoTime(), Prosody.UNKNOWN, ms(5000));
        at(clock, 5200);
        published[0] = ms(2600);
        turn.transcript(Transcript.interim("please tell me the time and"));

        at(clock, 8900);
        assertThat(turn.committing()).as("ended at endpointingMaxDelay, awaiting the rest").isTrue();
        assertThat(committed).isEmpty();
        at(clock, 9000);
        published[0] = ms(5300);
        turn.transcript(Transcript.fin("please tell me the time and how long have you been listening", true));

        assertThat(committed).containsExactly("please tell me the time and how long have you been listening");
    }

    /**
     * A turn answered from its interim before its final came ("please tell me the time and how
     * long", the final-transcript timeout passed) still owes that final. The recognizer first
     * delivers the final it closed at the pause (it reaches 2500, the turn's speech ended at
     * 5000): that is not the owed final, which comes next and adds the words the answer missed.
     * Before, the first was taken as the owed final and the second as new speech, so "how long"
     * was heard twice.
     */
    @Test
    void aFinalOfAnEarlierPauseDoesNotSettleTheFinalOwedToAnAnsweredTurn() {
        for (boolean nextTurnPending : new boolean[] {false, true}) {
            PendingCommit p = new PendingCommit();
            p.begin(1, ms(5000), ms(5000), -1, "", 0, "");
            p.finalizeSent();
            p.accept(Transcript.interim("please tell me the time and how long"));
            assertThat(p.resolve(true).text()).isEqualTo("please tell me the time and how long");
            Transcript atPause = Transcript.fin("please tell me the time and", true).withAudioEnd(ms(2500));
            Transcript owed = Transcript.fin("how long have you been listening", true).withAudioEnd(ms(5200));
            if (nextTurnPending) {
                // The user's next turn ended meanwhile: the late finals come while it waits for its own.
                p.begin(2, ms(9000), ms(9000), -1, "go forward", 0, "");
                p.finalizeSent();
                assertThat(p.accept(atPause)).isFalse();
                assertThat(p.owesOlder()).isTrue();
                assertThat(p.accept(owed)).isFalse();
                assertThat(p.owesOlder()).isFalse();
                assertThat(p.accept(Transcript.fin("ten meters", true).withAudioEnd(ms(9100)))).isTrue();
                assertThat(p.resolve(false).text()).isEqualTo("have you been listening go forward ten meters");
            } else {
                assertThat(p.catchUp(atPause, false)).isEmpty();
                assertThat(p.catchUp(owed, false)).isEqualTo("have you been listening");
                assertThat(p.catchUp(Transcript.fin("go forward", true), false)).as("nothing more owed").isNull();
            }
        }
    }

    private static void at(VirtualClock clock, long millis) {
        clock.advanceTo(Duration.ofMillis(millis));
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
