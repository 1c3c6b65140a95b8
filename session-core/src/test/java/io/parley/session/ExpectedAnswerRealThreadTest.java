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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link VoiceSession#expect} on real threads: the user gives two answers of two parts, with a
 * pause inside each (two three-digit numbers, "five five | five"; two dates, "may | fifth"); the
 * host asks for the first from its own thread while the audio is already flowing, the agent asks
 * for the second from its callback while answering the first (through the session, or through
 * the reply's context). Each answer must come as one turn, though each pause is longer than the
 * detector's wait without the expectation: sessions that are never told cut both at their pause.
 * Sessions run side by side on a clock {@value #SCALE} times faster than the wall clock.
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
        // Pauses of 600-900 ms: longer than the neutral wait.
        run(ExpectedAnswer.digits(3), twoFives(), speech(8, "five"), 30, "five five five");
    }

    @Test
    void eachDateAskedForIsOneTurnAndUnaskedOnesAreCut() throws Exception {
        // Pauses of 800-900 ms: longer than the wait after "may" as a modal (about 660 ms, plus the VAD's hangover).
        run(ExpectedAnswer.date(), speech(8, "may"), speech(8, "fifth"), 40, "may fifth");
    }

    /**
     * Runs {@value #SESSIONS} asking and as many unasked sessions; each user says {@code first},
     * pauses {@code pauseFrames} to 15 frames more, says {@code second}, and after 2.4 s the same
     * again; asked, each answer is the turn {@code whole}, ended once; unasked, one at least is
     * also ended at its pause.
     */
    private static void run(ExpectedAnswer answer, short[] first, short[] second, int pauseFrames, String whole) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<VoiceSession> asked = new ArrayList<>();
        List<VoiceSession> unasked = new ArrayList<>();
        // How often each session ended a turn: the cut shows here even when the answer's second
        // part, begun before the agent could be heard, takes the turn back before it is answered.
        List<AtomicInteger> askedEnds = new ArrayList<>();
        List<AtomicInteger> unaskedEnds = new ArrayList<>();
        List<SessionException> errors = new CopyOnWriteArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        try (ScaledClock clock = new ScaledClock(SCALE);
             AutoCloseable stop = () -> {
                 asked.forEach(VoiceSession::stop);
                 unasked.forEach(VoiceSession::stop);
             }) {
            for (int k = 0; k < 2 * SESSIONS; k++) {
                boolean asking = k % 2 == 0;
                // 20 ms frames: a pause inside each answer, 2.4 s between them (after a cut the
                // detector waits longer, and the second answer must not begin as the reply to the
                // first does, which would make it the first one's continuation).
                short[] audio = concat(silence(10), first, silence(pauseFrames + random.nextInt(16)), second,
                        silence(120), first, silence(pauseFrames + random.nextInt(16)), second, silence(120));
                // Half the asking agents say it through the reply's context, half through the session.
                boolean viaContext = k % 4 == 0;
                AtomicInteger ends = new AtomicInteger();
                AtomicReference<VoiceSession> self = new AtomicReference<>();
                VoiceSession s = RealThreads.answering(clock, new RealThreads.WordStt(random.nextInt(200), false), text -> { }, errors)
                        .streamingAgent((ctx, text, sink) -> {
                            // The agent's callback thread: the reply to the first answer asks for the second.
                            if (asking && text.equals(whole)) {
                                if (viaContext) {
                                    ctx.expect(answer);
                                } else {
                                    self.get().expect(answer);
                                }
                            }
                            sink.write("ok");
                            sink.complete();
                        })
                        .listener(new SessionListener() {
                            @Override
                            public void onStateChanged(StateChange change) {
                                if (change.to() == SessionState.PROCESSING && change.reason().equals("end_of_turn")) {
                                    ends.incrementAndGet();
                                }
                            }
                        })
                        .turnDetector(new AdaptiveTurnDetector())
                        .vad(new FakeVad(500, Duration.ofMillis(60)))
                        .build();
                self.set(s);
                s.start();
                (asking ? asked : unasked).add(s);
                (asking ? askedEnds : unaskedEnds).add(ends);
                feeders.add(RealThreads.startFeeding(s, clock, audio, "expected-answer-feeder-" + k));
                if (asking) {
                    // The host thread, racing the audio already flowing.
                    s.expect(answer);
                }
            }
            for (Thread t : feeders) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            int words = 2 * whole.split(" ").length;
            for (int i = 0; i < asked.size(); i++) {
                assertThat(RealThreads.userTurns(asked.get(i), words)).as("seed %d, errors %s", seed, errors)
                        .containsExactly(whole, whole);
                assertThat(askedEnds.get(i).get()).as("seed %d", seed).isEqualTo(2);
            }
            for (int i = 0; i < unasked.size(); i++) {
                // Its turns are not asserted: a second part that began before the answer to the cut
                // could be heard takes the turn back; one that came later is too short to interrupt it.
                RealThreads.userTurns(unasked.get(i), words);
                assertThat(unaskedEnds.get(i).get()).as("seed %d", seed).isGreaterThanOrEqualTo(3);
            }
            assertThat(errors).isEmpty();
        }
    }
}
