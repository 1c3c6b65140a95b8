package io.parley.session;

import static io.parley.audio.TestSignals.concat;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.ExpectedAnswer;
import io.parley.testing.FakeVad;
import io.parley.testing.ScaledClock;
import io.parley.turn.AdaptiveTurnDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link VoiceSession#expect} on real threads: the user reads two three-digit numbers, each
 * with a 600-900 ms pause after its second digit; the host asks for the first from its own
 * thread while the audio is already flowing, the agent asks for the second from its callback
 * while answering the first (through the session, or through the reply's context). Each number must come as one turn, though each pause is longer
 * than the detector's neutral wait: sessions that are never told cut both numbers at their
 * pause. Sessions run side by side on a clock {@value #SCALE} times faster than the wall clock.
 */
class ExpectedAnswerRealThreadTest {

    private static final double SCALE = 4;
    private static final int SESSIONS = 4;

    /** "five five": the recognizer hears a word again only after a frame of silence, which the VAD's hangover bridges. */
    private static short[] twoFives() {
        return concat(speech(8, "five"), silence(1), speech(8, "five"));
    }

    @Test
    void eachNumberAskedForIsOneTurnAndUnaskedOnesAreCut() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<VoiceSession> asked = new ArrayList<>();
        List<VoiceSession> unasked = new ArrayList<>();
        // The turns each unasked session committed, in order: a turn later taken back still shows its cut here.
        List<List<String>> unaskedCommits = new ArrayList<>();
        List<SessionException> errors = new CopyOnWriteArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        try (ScaledClock clock = new ScaledClock(SCALE);
             AutoCloseable stop = () -> {
                 asked.forEach(VoiceSession::stop);
                 unasked.forEach(VoiceSession::stop);
             }) {
            for (int k = 0; k < 2 * SESSIONS; k++) {
                boolean asking = k % 2 == 0;
                // 20 ms frames: pauses of 600-900 ms inside each number, 1.6 s between them.
                short[] audio = concat(silence(10), twoFives(), silence(30 + random.nextInt(16)), speech(8, "five"),
                        silence(80), twoFives(), silence(30 + random.nextInt(16)), speech(8, "five"), silence(80));
                // Half the asking agents say it through the reply's context, half through the session.
                boolean viaContext = k % 4 == 0;
                List<String> committed = new CopyOnWriteArrayList<>();
                AtomicReference<VoiceSession> self = new AtomicReference<>();
                VoiceSession s = RealThreads.answering(clock, new RealThreads.WordStt(random.nextInt(200), false), text -> { }, errors)
                        .streamingAgent((ctx, text, sink) -> {
                            // The agent's callback thread: the reply to the first number asks for the second.
                            if (asking && text.split(" ").length == 3) {
                                if (viaContext) {
                                    ctx.expect(ExpectedAnswer.digits(3));
                                } else {
                                    self.get().expect(ExpectedAnswer.digits(3));
                                }
                            }
                            sink.write("ok");
                            sink.complete();
                        })
                        .listener(new SessionListener() {
                            @Override
                            public void onUserTurn(long turnId, String text) {
                                committed.add(text);
                            }
                        })
                        .turnDetector(new AdaptiveTurnDetector())
                        .vad(new FakeVad(500, Duration.ofMillis(60)))
                        .build();
                self.set(s);
                s.start();
                (asking ? asked : unasked).add(s);
                if (!asking) {
                    unaskedCommits.add(committed);
                }
                feeders.add(RealThreads.startFeeding(s, clock, audio, "expected-answer-feeder-" + k));
                if (asking) {
                    // The host thread, racing the audio already flowing.
                    s.expect(ExpectedAnswer.digits(3));
                }
            }
            for (Thread t : feeders) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            for (VoiceSession s : asked) {
                assertThat(RealThreads.userTurns(s, 6)).as("seed %d, errors %s", seed, errors)
                        .containsExactly("five five five", "five five five");
            }
            for (int i = 0; i < unasked.size(); i++) {
                // Only the first commit is asserted: the number is cut at its pause. The digit after
                // the cut either takes the turn back (begun before the answer could be heard) or
                // comes later, too short to interrupt it.
                RealThreads.userTurns(unasked.get(i), 2);
                assertThat(unaskedCommits.get(i)).as("seed %d", seed).first().isEqualTo("five five");
            }
            assertThat(errors).isEmpty();
        }
    }
}
