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
 * An ended turn is not answered from an interim that stops before the turn's last stretch of
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

    private static void at(VirtualClock clock, long millis) {
        clock.advanceTo(Duration.ofMillis(millis));
    }

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
