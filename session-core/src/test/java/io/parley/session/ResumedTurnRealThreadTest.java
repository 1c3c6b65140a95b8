package io.parley.session;

import static io.parley.audio.TestSignals.concat;
import static io.parley.session.RealThreads.FORMAT;
import static io.parley.session.RealThreads.FRAME;
import static io.parley.session.RealThreads.WORDS;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.spi.ConversationTurn;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.testing.ScaledClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
    private static final long FRAME_NANOS = FORMAT.nanosFor(FRAME);

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
                VoiceSession s = RealThreads.answering(clock, new LateStt(clock, lag, finalDelay), text -> { }, errors)
                        .config(SessionConfig.builder().endpointingMinDelay(Duration.ofMillis(100))
                                .endpointingMaxDelay(Duration.ofMillis(400)).interruptionMinDuration(Duration.ofMillis(100)).build())
                        .build();
                s.start();
                sessions.add(s);
                Thread t = new Thread(() -> feed(s, clock, audio), "resumed-turn-feeder-" + k);
                feeders.add(t);
                t.start();
            }
            for (Thread t : feeders) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            // Every late result is in: 3 s behind, 3 s more for a final, the 2 s timeout, with room.
            waitUntil(clock, clock.nanoTime() + Duration.ofSeconds(10).toNanos());
            for (int k = 0; k < SESSIONS; k++) {
                VoiceSession s = sessions.get(k);
                long quietBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (s.state() != SessionState.LISTENING && System.nanoTime() < quietBy) {
                    LockSupport.parkNanos(5_000_000L);
                }
                List<String> turns = new ArrayList<>();
                for (ConversationTurn turn : s.history()) {
                    if (turn.role() == ConversationTurn.Role.USER) {
                        turns.add(turn.text());
                    }
                }
                assertThat(String.join(" ", turns)).as("seed %d, %s: turns %s, errors %s", seed, described.get(k), turns, errors)
                        .isEqualTo(spoken.get(k));
            }
        }
    }

    /** Feeds {@code samples} in 20 ms frames stamped on arrival, paced by the session clock. */
    private static void feed(VoiceSession s, ScaledClock clock, short[] samples) {
        AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
        long due = clock.nanoTime();
        for (int off = 0; off < samples.length; off += FRAME) {
            waitUntil(clock, due);
            int n = Math.min(FRAME, samples.length - off);
            System.arraycopy(samples, off, f.samples(), 0, n);
            s.processAudio(f.setLength(n).setTimestampNanos(clock.nanoTime()));
            due += FRAME_NANOS;
        }
    }

    private static void waitUntil(ScaledClock clock, long sessionNanos) {
        long left;
        while ((left = sessionNanos - clock.nanoTime()) > 0) {
            LockSupport.parkNanos((long) (left / SCALE));
        }
    }

    /**
     * A recognizer of {@link RealThreads#speech} audio that answers late. With a lag, every
     * result comes that long after its audio, in order (a finalize's final after the results
     * before it, the next audio's after it); without, interims come at once and a final
     * {@code finalDelay} after its finalize, possibly after interims of later audio.
     */
    private static final class LateStt implements SttProvider {
        private final ScaledClock clock;
        private final long lagNanos;
        private final long finalNanos;

        LateStt(ScaledClock clock, long lagMillis, long finalMillis) {
            this.clock = clock;
            this.lagNanos = TimeUnit.MILLISECONDS.toNanos(lagMillis);
            this.finalNanos = TimeUnit.MILLISECONDS.toNanos(finalMillis);
        }

        @Override
        public String name() {
            return "late-stt";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new Stream(listener);
        }

        private record Due(long atNanos, long seq, Transcript result) {
        }

        private final class Stream implements SttStream {
            private final SttListener listener;
            private final List<String> utterance = new ArrayList<>();
            private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
                    ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.seq, b.seq));
            private long seq;
            private long lastDue;
            private int lastWord;
            private boolean closed;

            Stream(SttListener listener) {
                this.listener = listener;
            }

            @Override
            public void write(AudioFrame frame) {
                int w = frame.samples()[0] - 3000;
                synchronized (this) {
                    if (w > 0 && w < WORDS.size()) {
                        if (w != lastWord) {
                            utterance.add(WORDS.get(w));
                            later(Transcript.interim(String.join(" ", utterance)), lagNanos);
                        }
                    } else {
                        w = 0;
                    }
                    lastWord = w;
                }
            }

            @Override
            public synchronized void finalizeUtterance() {
                Transcript fin = Transcript.fin(String.join(" ", utterance), true);
                utterance.clear();
                later(fin, lagNanos + finalNanos);
            }

            /** Queues a result {@code delay} from now; with a lag, never before one queued earlier. */
            private void later(Transcript t, long delay) {
                long at = clock.nanoTime() + delay;
                if (lagNanos > 0) {
                    at = Math.max(at, lastDue);
                    lastDue = at;
                }
                queue.add(new Due(at, seq++, t));
                clock.schedule(this::deliverDue, Math.max(0, at - clock.nanoTime()), TimeUnit.NANOSECONDS);
            }

            /** Delivers every result now due, in order; the lock keeps two timers from interleaving them. */
            private synchronized void deliverDue() {
                long now = clock.nanoTime();
                while (!closed && !queue.isEmpty() && queue.peek().atNanos() <= now) {
                    listener.onTranscript(queue.poll().result());
                }
            }

            @Override
            public synchronized void close() {
                closed = true;
            }
        }
    }
}
