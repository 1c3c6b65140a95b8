package io.parley.session;

import static io.parley.audio.TestSignals.concat;
import static io.parley.session.RealThreads.WORDS;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.ScaledClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §1 item 8 on real threads: the user pauses mid-sentence long enough for the turn to
 * end, resumes while it is being committed (PROCESSING), and later says one more thing, while the
 * recognizer answers late: either far behind the audio with every result in order (an offline
 * decoder on a busy machine), or with quick interims and a slow final (rescoring, a slow
 * network), finals taking 0–3 s and sometimes missing the final-transcript timeout. Sessions
 * run side by side on a clock {@value #SCALE} times faster than the wall clock. Invariant: the
 * user turns the conversation is left with hold every word spoken once, in order.
 */
class ResumedTurnRealThreadTest {

    private static final double SCALE = 8;
    private static final int SESSIONS = 6;

    @Test
    void everyWordSpokenIsInExactlyOneTurnInOrder() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> spoken = new ArrayList<>();
        List<String> described = new ArrayList<>();
        List<VoiceSession> sessions = new ArrayList<>();
        List<SessionException> errors = new CopyOnWriteArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        // The sessions stop before the clock their timers run on.
        try (ScaledClock clock = new ScaledClock(SCALE); AutoCloseable stop = () -> sessions.forEach(VoiceSession::stop)) {
            for (int k = 0; k < SESSIONS; k++) {
                List<String> words = new ArrayList<>(WORDS.subList(1, WORDS.size()));
                Collections.shuffle(words, random);
                // A mid-sentence pause of 500-900 ms (the turn ends in it), then one more phrase after 1.5 s.
                short[] audio = concat(speech(8, words.subList(0, 3).toArray(String[]::new)), silence(25 + random.nextInt(21)),
                        speech(8, words.subList(3, 6).toArray(String[]::new)), silence(75),
                        speech(8, words.subList(6, 8).toArray(String[]::new)), silence(25));
                spoken.add(String.join(" ", words.subList(0, 8)));
                boolean inOrder = random.nextBoolean();
                long lag = inOrder ? random.nextInt(3001) : 0;
                long finalDelay = random.nextInt(3001);
                described.add(String.format("session %d: %s, results %d ms behind, finals %d ms after finalize", k,
                        inOrder ? "in order" : "quick interims", lag, finalDelay));
                VoiceSession s = RealThreads.answering(clock, new LateStt(clock, lag, finalDelay, 0), text -> { }, errors)
                        .config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(100))
                                .endpointingMaxDelay(Duration.ofMillis(400)).interruptionMinDuration(Duration.ofMillis(100)).build())
                        .build();
                s.start();
                sessions.add(s);
                feeders.add(RealThreads.startFeeding(s, clock, audio, "resumed-turn-feeder-" + k));
            }
            for (Thread t : feeders) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            // Every late result is in: 3 s behind, 3 s more for a final, the 2 s timeout, with room.
            RealThreads.waitUntil(clock, clock.nanoTime() + Duration.ofSeconds(10).toNanos());
            for (int k = 0; k < SESSIONS; k++) {
                List<String> turns = RealThreads.userTurns(sessions.get(k), 8);
                assertThat(String.join(" ", turns)).as("seed %d, %s: turns %s, errors %s", seed, described.get(k), turns, errors)
                        .isEqualTo(spoken.get(k));
            }
        }
    }
}
