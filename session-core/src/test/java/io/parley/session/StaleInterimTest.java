package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.Transcript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An ended turn is not answered from an interim whose results stop short of the end of its
 * speech, in virtual time: {@link TurnCoverageRealThreadTest}'s failure in CI (ci33) replayed.
 * Its recognizer delivers every result in order, 993 ms behind its audio, and ends its own
 * utterances after 200 ms of silence with a final 3,542 ms later still; the user pauses 300 ms
 * mid-line. The second half's interims queue behind the first half's final, so when the turn
 * ends the latest interim is still "hello is five", which stops at 340 ms of audio, before the
 * second half began (780 ms). It arrived after the end of speech and did not change for 250 ms,
 * so it passed for stable, and the turn was answered "hello is five"; the second half's final
 * then came as a turn of its own.
 */
class StaleInterimTest {

    @Test
    void anInterimThatStopsBeforeTheLastSpeechDoesNotAnswerTheTurn() {
        VirtualClock clock = new VirtualClock();
        List<String> committed = new ArrayList<>();
        List<SessionException> errors = new ArrayList<>();
        UserTurn turn = UserTurn.builder(clock, Runnable::run, new UserTurn.Listener() {
            @Override
            public void turnCommitted(long turnId, String text, UserTurn.Timing timing) {
                committed.add(text);
            }

            @Override
            public void error(SessionException error) {
                errors.add(error);
            }
        }).config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(800))
                        .endpointingMaxDelay(Duration.ofMillis(1500)).sttFinalTimeout(Duration.ofSeconds(6)).build())
                .recognizer(() -> true).build();

        // Audio (ms): "hello is five" 0-480, silence to 780, "what it time" 780-1260; the
        // recognizer's timeline is the audio's (its gate is open all turn).
        turn.speechStarted(1, ms(0));
        at(clock, 580);
        turn.speechEnded(ms(480), Prosody.UNKNOWN, ms(480));
        at(clock, 780);
        turn.speechStarted(2, ms(780));
        at(clock, 993);
        turn.transcript(Transcript.interim("hello").withAudioEnd(ms(20)));
        at(clock, 1153);
        turn.transcript(Transcript.interim("hello is").withAudioEnd(ms(180)));
        at(clock, 1313);
        turn.transcript(Transcript.interim("hello is five").withAudioEnd(ms(340)));
        at(clock, 1360);
        turn.speechEnded(ms(1260), Prosody.UNKNOWN, ms(1260));

        at(clock, 5215);
        assertThat(committed).as("answered from an interim of the first half only").isEmpty();
        turn.transcript(Transcript.fin("hello is five", true).withAudioEnd(ms(680)));
        turn.transcript(Transcript.interim("what").withAudioEnd(ms(800)));
        turn.transcript(Transcript.interim("what it").withAudioEnd(ms(960)));
        turn.transcript(Transcript.interim("what it time").withAudioEnd(ms(1120)));
        at(clock, 6595);
        turn.transcript(Transcript.fin("what it time", true).withAudioEnd(ms(2060)));
        at(clock, 9000);

        assertThat(committed).containsExactly("hello is five what it time");
        assertThat(errors).isEmpty();
    }

    /**
     * The other way round, from a traced failure of {@link TurnCoverageRealThreadTest} under load:
     * a recognizer whose interims start afresh after it ends an utterance at a pause (interims at
     * once, finals 2,863 ms late), the user pausing 414 ms. The second half's last interim came
     * 16 ms after the end of speech (its delivery was late, the end of speech on time), so it
     * passed for one that had heard the whole turn; it stops at the start of the last word, and
     * its turn's text lacks the first half, whose final was still to come. The turn was answered
     * "to folder what" and the first half's final came as a turn of its own.
     */
    @Test
    void anInterimOfTheWordsAfterAPauseDoesNotAnswerTheTurnBeforeThePausesFinal() {
        VirtualClock clock = new VirtualClock();
        List<String> committed = new ArrayList<>();
        UserTurn turn = turn(clock, committed);

        // Audio (ms): "saved time hello" 0-480, silence to 894, "to folder what" 894-1374.
        turn.speechStarted(1, ms(0));
        turn.transcript(Transcript.interim("saved").withAudioEnd(ms(20)));
        at(clock, 160);
        turn.transcript(Transcript.interim("saved time").withAudioEnd(ms(180)));
        at(clock, 320);
        turn.transcript(Transcript.interim("saved time hello").withAudioEnd(ms(340)));
        at(clock, 480);
        turn.speechEnded(ms(480), Prosody.UNKNOWN, ms(480));
        at(clock, 894);
        turn.speechStarted(2, ms(894));
        turn.transcript(Transcript.interim("to").withAudioEnd(ms(914)));
        at(clock, 1054);
        turn.transcript(Transcript.interim("to folder").withAudioEnd(ms(1074)));
        at(clock, 1374);
        turn.speechEnded(ms(1374), Prosody.UNKNOWN, ms(1374));
        at(clock, 1390);
        turn.transcript(Transcript.interim("to folder what").withAudioEnd(ms(1234)));

        at(clock, 3543);
        assertThat(committed).as("answered from the second half's interim").isEmpty();
        turn.transcript(Transcript.fin("saved time hello", true).withAudioEnd(ms(680)));
        at(clock, 5037);
        turn.transcript(Transcript.fin("to folder what", true).withAudioEnd(ms(2174)));
        at(clock, 9000);

        assertThat(committed).containsExactly("saved time hello to folder what");
    }

    private static UserTurn turn(VirtualClock clock, List<String> committed) {
        return UserTurn.builder(clock, Runnable::run, (id, text, timing) -> committed.add(text))
                .config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(800))
                        .endpointingMaxDelay(Duration.ofMillis(1500)).sttFinalTimeout(Duration.ofSeconds(6)).build())
                .recognizer(() -> true).build();
    }

    private static void at(VirtualClock clock, long millis) {
        clock.advanceTo(Duration.ofMillis(millis));
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
