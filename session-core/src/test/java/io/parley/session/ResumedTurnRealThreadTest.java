package io.parley.session;

import static io.parley.audio.TestSignals.concat;
import static io.parley.session.RealThreads.WORDS;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §1 item 8 on real threads: the user pauses mid-sentence long enough for the turn to
 * end, resumes while it is being committed (PROCESSING), and later says one more thing, while the
 * recognizer answers late: either far behind the audio with every result in order (an offline
 * decoder on a busy machine), or with quick interims and a slow final (rescoring, a slow
 * network), finals taking 0–3 s and sometimes missing the final-transcript timeout. Sessions
 * run side by side on a clock 8 times faster than the wall clock ({@link SpokenWordsRun}).
 * Invariant: the user turns the conversation is left with hold every word spoken once, in order.
 */
class ResumedTurnRealThreadTest {

    @Test
    void everyWordSpokenIsInExactlyOneTurnInOrder() throws Exception {
        // Every late result is in after 10 s: 3 s behind, 3 s more for a final, the 2 s timeout, with room.
        SpokenWordsRun.everyWordOnceInOrder(8, 6, Duration.ofSeconds(10), (k, clock, random, errors) -> {
            List<String> words = new ArrayList<>(WORDS.subList(1, WORDS.size()));
            Collections.shuffle(words, random);
            // A mid-sentence pause of 500-900 ms (the turn ends in it), then one more phrase after 1.5 s.
            short[] audio = concat(speech(8, words.subList(0, 3).toArray(String[]::new)), silence(25 + random.nextInt(21)),
                    speech(8, words.subList(3, 6).toArray(String[]::new)), silence(75),
                    speech(8, words.subList(6, 8).toArray(String[]::new)), silence(25));
            boolean inOrder = random.nextBoolean();
            long lag = inOrder ? random.nextInt(3001) : 0;
            long finalDelay = random.nextInt(3001);
            VoiceSession s = RealThreads.answering(clock, new LateStt(clock, lag, finalDelay, 0), text -> { }, errors)
                    .config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(100))
                            .endpointingMaxDelay(Duration.ofMillis(400)).interruptionMinDuration(Duration.ofMillis(100)).build())
                    .build();
            return new SpokenWordsRun.Spoken(audio, String.join(" ", words.subList(0, 8)), String.format(
                    "session %d: %s, results %d ms behind, finals %d ms after finalize", k, inOrder ? "in order" : "quick interims",
                    lag, finalDelay), s);
        });
    }
}
