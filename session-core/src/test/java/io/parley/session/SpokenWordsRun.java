package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.ScaledClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Sessions side by side on a clock faster than the wall clock, each fed its own audio on its own
 * thread ({@link RealThreads}), then checked: the user turns each is left with hold the words it
 * was fed, each once and in order.
 */
final class SpokenWordsRun {

    /**
     * One session of the run.
     *
     * @param audio     what it is fed ({@link RealThreads#speech}, {@link RealThreads#silence})
     * @param words     the words in it, in order, space-separated
     * @param described how it was set up, for the failure message
     * @param session   the session, not yet started
     */
    record Spoken(short[] audio, String words, String described, VoiceSession session) {
    }

    /** Builds session {@code k} of the run on {@code clock}, drawing from {@code random}; its errors go to {@code errors}. */
    @FunctionalInterface
    interface Setup {
        Spoken make(int k, ScaledClock clock, Random random, List<SessionException> errors);
    }

    private SpokenWordsRun() {
    }

    /**
     * Runs {@code sessions} sessions made by {@code setup} on a clock {@code scale} times faster
     * than the wall clock, waits {@code settle} of session time after the audio for late results
     * and replies, and asserts every word spoken is in exactly one user turn, in order.
     */
    static void everyWordOnceInOrder(double scale, int sessions, Duration settle, Setup setup) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Spoken> runs = new ArrayList<>();
        List<SessionException> errors = new CopyOnWriteArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        // The sessions stop before the clock their timers run on.
        try (ScaledClock clock = new ScaledClock(scale); AutoCloseable stop = () -> runs.forEach(r -> r.session().stop())) {
            for (int k = 0; k < sessions; k++) {
                Spoken s = setup.make(k, clock, random, errors);
                s.session().start();
                runs.add(s);
                feeders.add(RealThreads.startFeeding(s.session(), clock, s.audio(), "spoken-words-feeder-" + k));
            }
            for (Thread t : feeders) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            RealThreads.waitUntil(clock, clock.nanoTime() + settle.toNanos());
            for (Spoken s : runs) {
                List<String> turns = RealThreads.userTurns(s.session(), s.words().split(" ").length);
                assertThat(String.join(" ", turns)).as("seed %d, %s: turns %s, errors %s", seed, s.described(), turns, errors)
                        .isEqualTo(s.words());
            }
        }
    }
}
