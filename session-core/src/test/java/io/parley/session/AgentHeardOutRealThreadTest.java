package io.parley.session;

import static io.parley.audio.TestSignals.concat;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import io.parley.testing.ScaledClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On real threads: the user answers the agent's short reply soon after their turn ended, once
 * the reply has played out. That is a new turn, and the detector must not learn it as the user
 * talking on from the ended turn (a cut-off, which lengthens every later wait). The recognizer
 * answers 0-200 ms behind the audio and its finals 0-200 ms after a finalize; sessions run side
 * by side on a clock {@value #SCALE} times faster than the wall clock.
 */
class AgentHeardOutRealThreadTest {

    private static final double SCALE = 2;
    private static final int SESSIONS = 6;

    /** A fixed 300 ms wait that records what it is told, from whichever thread. */
    private static final class Recording implements TurnDetector {
        final List<String> pauses = new CopyOnWriteArrayList<>();

        @Override
        public TurnPrediction predict(TurnContext context) {
            return new TurnPrediction(0.9, Duration.ofMillis(300));
        }

        @Override
        public void observePause(Duration pause, boolean endedTurn) {
            pauses.add(endedTurn ? "ended" : "resumed " + pause.toMillis());
        }
    }

    @Test
    void speechAfterTheWholeReplyIsANewTurnAndNoCutOff() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<VoiceSession> sessions = new ArrayList<>();
        List<Recording> detectors = new ArrayList<>();
        // What each session's loop did, in its order: the reply played out ("played"), an onset ("onset").
        List<List<String>> order = new ArrayList<>();
        List<String> described = new ArrayList<>();
        List<SessionException> errors = new CopyOnWriteArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        try (ScaledClock clock = new ScaledClock(SCALE); AutoCloseable stop = () -> sessions.forEach(VoiceSession::stop)) {
            for (int k = 0; k < SESSIONS; k++) {
                // "hello time", 1.3 s of silence (the turn ends and the 160 ms "ok" plays in it), "what is it".
                short[] audio = concat(speech(8, "hello", "time"), silence(65), speech(8, "what", "is", "it"), silence(50));
                long lag = random.nextInt(201);
                long finalDelay = random.nextInt(201);
                described.add(String.format("session %d: results %d ms behind, finals %d ms after finalize", k, lag, finalDelay));
                Recording detector = new Recording();
                List<String> seen = new CopyOnWriteArrayList<>();
                VoiceSession s = RealThreads.answering(clock, new LateStt(clock, lag, finalDelay, 0), text -> { }, errors)
                        .turnDetector(detector)
                        .listener(new SessionListener() {
                            @Override
                            public void onPlayback(PlaybackEvent e) {
                                if (e.kind() == PlaybackEvent.Kind.FINISHED) {
                                    seen.add("played");
                                }
                            }

                            @Override
                            public void onUserSpeech(UserSpeech u) {
                                if (u.speaking()) {
                                    seen.add("onset");
                                }
                            }
                        })
                        .build();
                s.start();
                sessions.add(s);
                detectors.add(detector);
                order.add(seen);
                feeders.add(RealThreads.startFeeding(s, clock, audio, "heard-out-feeder-" + k));
            }
            for (Thread t : feeders) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            RealThreads.waitUntil(clock, clock.nanoTime() + Duration.ofSeconds(3).toNanos());
            int heardOut = 0;
            for (int k = 0; k < SESSIONS; k++) {
                List<String> turns = RealThreads.userTurns(sessions.get(k), 5);
                String context = String.format("seed %d, %s: turns %s, pauses %s, loop saw %s, errors %s", seed,
                        described.get(k), turns, detectors.get(k).pauses, order.get(k), errors);
                assertThat(String.join(" ", turns)).as(context).isEqualTo("hello time what is it");
                if (order.get(k).size() >= 3 && order.get(k).subList(0, 3).equals(List.of("onset", "played", "onset"))) {
                    // The reply was heard out before the user spoke again: no cut-off is learnt.
                    heardOut++;
                    assertThat(detectors.get(k).pauses).as(context).noneMatch(p -> p.startsWith("resumed"));
                }
            }
            // The script leaves the reply room to play out; on a machine so loaded that it never
            // did, the test would have checked nothing.
            assertThat(heardOut).as("sessions whose reply played out before the user spoke again, seed %d", seed)
                    .isGreaterThanOrEqualTo(SESSIONS / 2);
        }
    }
}
