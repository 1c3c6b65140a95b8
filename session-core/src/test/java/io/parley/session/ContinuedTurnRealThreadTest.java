package io.parley.session;

import static io.parley.audio.TestSignals.concat;
import static io.parley.session.RealThreads.WORDS;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ContinuedTurnTest} on real threads: the user pauses long enough for the turn to end,
 * then says one short word (160 ms, under the 500 ms an interruption needs) while the agent is
 * still thinking, and the recognizer answers late (0–1.5 s behind the audio, finals 0–1 s
 * after a finalize), so the word is heard before the reply plays or only once it does. Sessions
 * run side by side on a clock 8 times faster than the wall clock ({@link SpokenWordsRun}).
 * Invariant: the user turns hold every word spoken once, in order; the short word is never
 * taken for a backchannel and dropped.
 */
class ContinuedTurnRealThreadTest {

    @Test
    void aShortWordSaidWhileTheAgentThinksIsNeverLost() throws Exception {
        // Every late result and both replies are in after 12 s: 1.5 s behind, 1 s for a final, two 4 s replies, with room.
        SpokenWordsRun.everyWordOnceInOrder(8, 6, Duration.ofSeconds(12), (k, clock, random, errors) -> {
            List<String> words = new ArrayList<>(WORDS.subList(1, WORDS.size()));
            Collections.shuffle(words, random);
            // Three words, a pause of 600-900 ms (the turn ends in it), one 160 ms word.
            short[] audio = concat(speech(8, words.subList(0, 3).toArray(String[]::new)), silence(30 + random.nextInt(16)),
                    speech(8, words.get(3)), silence(100));
            long lag = random.nextInt(1501);
            long finalDelay = random.nextInt(1001);
            // The reply comes 3-4 s after the agent is asked: well after the short word begins.
            long think = 3000 + random.nextInt(1001);
            VoiceSession s = RealThreads.answering(clock, new LateStt(clock, lag, finalDelay, 0), text -> { }, errors)
                    .streamingAgent((ctx, text, sink) -> clock.schedule(() -> {
                        sink.write("ok");
                        sink.complete();
                    }, think, TimeUnit.MILLISECONDS))
                    .config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(100))
                            .endpointingMaxDelay(Duration.ofMillis(400)).build())
                    .build();
            return new SpokenWordsRun.Spoken(audio, String.join(" ", words.subList(0, 4)), String.format(
                    "session %d: results %d ms behind, finals %d ms after finalize, agent %d ms", k, lag, finalDelay, think), s);
        });
    }
}
