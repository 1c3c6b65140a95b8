package io.parley.session;

import static io.parley.session.RealThreads.WORDS;

import io.parley.audio.AudioFrame;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.testing.ScaledClock;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A recognizer of {@link RealThreads#speech} audio that answers late, on real threads. With a
 * lag, every result comes that long after its audio, in order (a finalize's final after the
 * results before it, the next audio's after it); without, interims come at once and a final
 * {@code finalDelay} after its finalize, possibly after interims of later audio.
 *
 * <p>Given {@code endpointFrames}, it also ends utterances itself, as Deepgram's endpointing
 * does: a speech-final result once that many silent frames follow words, coming {@code finalDelay}
 * late like a finalize's. Its results then say how far into the stream's audio they reach.
 */
final class LateStt implements SttProvider {
    private final ScaledClock clock;
    private final long lagNanos;
    private final long finalNanos;
    private final int endpointFrames;

    /**
     * @param endpointFrames silent frames after words that end an utterance; 0: only a finalize does,
     *                       and results do not say how far they reach
     */
    LateStt(ScaledClock clock, long lagMillis, long finalMillis, int endpointFrames) {
        this.clock = clock;
        this.lagNanos = TimeUnit.MILLISECONDS.toNanos(lagMillis);
        this.finalNanos = TimeUnit.MILLISECONDS.toNanos(finalMillis);
        this.endpointFrames = endpointFrames;
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
        private int silentFrames;
        /** The audio received, in nanoseconds: where every result formed now reaches. */
        private long receivedNanos;
        private boolean closed;

        Stream(SttListener listener) {
            this.listener = listener;
        }

        @Override
        public void write(AudioFrame frame) {
            int w = frame.samples()[0] - 3000;
            synchronized (this) {
                receivedNanos += frame.durationNanos();
                if (w > 0 && w < WORDS.size()) {
                    silentFrames = 0;
                    if (w != lastWord) {
                        utterance.add(WORDS.get(w));
                        later(timed(Transcript.interim(String.join(" ", utterance))), lagNanos);
                    }
                } else {
                    w = 0;
                    if (++silentFrames == endpointFrames && !utterance.isEmpty()) {
                        later(takeFinal(), lagNanos + finalNanos);
                    }
                }
                lastWord = w;
            }
        }

        @Override
        public synchronized void finalizeUtterance() {
            later(takeFinal(), lagNanos + finalNanos);
        }

        private Transcript takeFinal() {
            Transcript fin = timed(Transcript.fin(String.join(" ", utterance), true));
            utterance.clear();
            return fin;
        }

        private Transcript timed(Transcript t) {
            return endpointFrames > 0 ? t.withAudioEnd(receivedNanos) : t;
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
