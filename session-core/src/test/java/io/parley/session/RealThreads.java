package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.ConversationTurn;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.ScaledClock;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Pieces for tests on real threads (the system clock): audio whose words are encoded in the
 * samples, a recognizer that decodes them, and a transport that records who called it.
 *
 * <p>A speech frame of word {@code w} holds the constant sample {@code 3000 + w} (loud enough
 * for {@code FakeVad}); silence is zeros. {@link WordStt} hears a word once a frame of it
 * arrives, so words whose audio never reaches the recognizer are never recognised.
 */
final class RealThreads {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    static final int FRAME = FORMAT.samplesFor(20);
    static final List<String> WORDS = List.of("", "saved", "to", "folder", "five", "what", "time", "is", "it", "hello", "may",
            "fifth");

    private RealThreads() {
    }

    static int word(String w) {
        int i = WORDS.indexOf(w);
        if (i <= 0) {
            throw new IllegalArgumentException("unknown word " + w);
        }
        return i;
    }

    /** Samples of {@code words}, {@code framesPerWord} 20 ms frames each. */
    static short[] speech(int framesPerWord, String... words) {
        short[] out = new short[words.length * framesPerWord * FRAME];
        int k = 0;
        for (String w : words) {
            short v = (short) (3000 + word(w));
            for (int i = 0; i < framesPerWord * FRAME; i++) {
                out[k++] = v;
            }
        }
        return out;
    }

    static short[] silence(int frames) {
        return new short[frames * FRAME];
    }

    static byte[] pcm(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        byte[] b = new byte[n * 2];
        int k = 0;
        for (short[] p : parts) {
            for (short v : p) {
                b[k++] = (byte) v;
                b[k++] = (byte) (v >> 8);
            }
        }
        return b;
    }

    /**
     * Feeds {@code samples} as 20 ms frames stamped with the clock, at real-time pace if
     * {@code paced}: each frame is due 20 ms after the previous one's due time, so a busy
     * machine that oversleeps delays frames but does not stretch the whole recording.
     */
    static void feed(VoiceSession session, Clock clock, short[] samples, boolean paced) throws InterruptedException {
        AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
        long due = System.nanoTime();
        for (int off = 0; off < samples.length; off += FRAME) {
            int n = Math.min(FRAME, samples.length - off);
            System.arraycopy(samples, off, f.samples(), 0, n);
            f.setLength(n);
            f.setTimestampNanos(clock.nanoTime());
            session.processAudio(f);
            if (paced) {
                due += TimeUnit.MILLISECONDS.toNanos(20);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
    }

    /**
     * Feeds {@code samples} in 20 ms frames stamped on arrival, paced by a clock faster than the
     * wall clock: each frame is due 20 ms of session time after the previous one's due time.
     * Notes in {@code handedAt[i]} the clock when frame {@code i} was handed over: a starved
     * feeder hands frames over late, and the session hears the user silent for longer than they were.
     */
    static void feed(VoiceSession s, ScaledClock clock, short[] samples, long[] handedAt) {
        AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
        long due = clock.nanoTime();
        for (int off = 0, i = 0; off < samples.length; off += FRAME, i++) {
            waitUntil(clock, due);
            int n = Math.min(FRAME, samples.length - off);
            System.arraycopy(samples, off, f.samples(), 0, n);
            handedAt[i] = clock.nanoTime();
            s.processAudio(f.setLength(n).setTimestampNanos(handedAt[i]));
            due += FORMAT.nanosFor(FRAME);
        }
    }

    /** How many 20 ms frames {@code samples} makes, the last one possibly short. */
    static int frames(short[] samples) {
        return (samples.length + FRAME - 1) / FRAME;
    }

    /** A thread named {@code name}, started, that feeds {@code samples} to {@code s} at {@code clock}'s pace. */
    static Thread startFeeding(VoiceSession s, ScaledClock clock, short[] samples, String name) {
        return startFeeding(s, clock, samples, name, new long[frames(samples)]);
    }

    /** As {@link #startFeeding(VoiceSession, ScaledClock, short[], String)}, noting when each frame was handed over. */
    static Thread startFeeding(VoiceSession s, ScaledClock clock, short[] samples, String name, long[] handedAt) {
        Thread t = new Thread(() -> feed(s, clock, samples, handedAt), name);
        t.start();
        return t;
    }

    /** Parks until {@code clock} reads {@code sessionNanos}. */
    static void waitUntil(ScaledClock clock, long sessionNanos) {
        long left;
        while ((left = sessionNanos - clock.nanoTime()) > 0) {
            LockSupport.parkNanos((long) (left / clock.scale()));
        }
    }

    /**
     * The texts of the user turns in {@code s}'s history, in order, once they hold {@code words}
     * words and the session is listening again, or after thirty seconds of wall time, whatever
     * they hold then. The bound is wall time because a starved machine fires the session's
     * timers (end of turn, a late final) late on any clock.
     */
    static List<String> userTurns(VoiceSession s, int words) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> turns = userTurns(s);
        while ((s.state() != SessionState.LISTENING || wordCount(turns) < words) && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(5_000_000L);
            turns = userTurns(s);
        }
        return turns;
    }

    private static List<String> userTurns(VoiceSession s) {
        List<String> turns = new ArrayList<>();
        for (ConversationTurn turn : s.history()) {
            if (turn.role() == ConversationTurn.Role.USER) {
                turns.add(turn.text());
            }
        }
        return turns;
    }

    private static int wordCount(List<String> turns) {
        int n = 0;
        for (String t : turns) {
            n += t.isBlank() ? 0 : t.trim().split("\\s+").length;
        }
        return n;
    }

    /**
     * A session on {@code clock} with {@code FakeVad}, {@code stt} and a quick synthesizer whose
     * agent answers "ok" at once, telling {@code asked} each question; errors go to {@code errors}.
     */
    static VoiceSession.Builder answering(Clock clock, SttProvider stt, Consumer<String> asked, List<SessionException> errors) {
        return VoiceSession.builder()
                .clock(clock)
                .vad(new FakeVad())
                .stt(stt)
                .tts(FakeTts.builder(clock).firstAudioLatency(Duration.ofMillis(5)).build())
                .streamingAgent((ctx, text, sink) -> {
                    asked.accept(text);
                    sink.write("ok");
                    sink.complete();
                })
                .listener(new SessionListener() {
                    @Override
                    public void onError(SessionException error) {
                        errors.add(error);
                    }
                });
    }

    /** A recognizer that decodes {@link #speech} frames into words. */
    static final class WordStt implements SttProvider {
        final long finalDelayMillis;
        final boolean endsUtterances;
        final List<Stream> streams = new CopyOnWriteArrayList<>();
        final AtomicInteger opens = new AtomicInteger();
        final List<String> openThreads = new CopyOnWriteArrayList<>();
        final List<String> closeThreads = new CopyOnWriteArrayList<>();
        volatile int failOpens;
        volatile Consumer<SttRequest> onOpen = r -> { };
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "word-stt");
            t.setDaemon(true);
            return t;
        });

        /**
         * @param finalDelayMillis how long a finalize takes to answer
         * @param endsUtterances   whether it sends a speech-final result by itself after 200 ms of silence
         */
        WordStt(long finalDelayMillis, boolean endsUtterances) {
            this.finalDelayMillis = finalDelayMillis;
            this.endsUtterances = endsUtterances;
        }

        @Override
        public String name() {
            return "word-stt";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            opens.incrementAndGet();
            openThreads.add(Thread.currentThread().getName());
            onOpen.accept(request);
            synchronized (this) {
                if (failOpens > 0) {
                    failOpens--;
                    throw new SessionException(ErrorCode.PROVIDER_CONNECTION, "scripted open failure");
                }
            }
            Stream s = new Stream(listener);
            streams.add(s);
            return s;
        }

        final class Stream implements SttStream {
            private final SttListener listener;
            private final List<String> pending = new ArrayList<>();
            final List<String> heard = new CopyOnWriteArrayList<>();
            private int lastWord;
            private int silentFrames;
            volatile boolean closed;

            Stream(SttListener listener) {
                this.listener = listener;
            }

            @Override
            public void write(AudioFrame frame) {
                int w = frame.samples()[0] - 3000;
                String interim = null;
                boolean endpoint = false;
                synchronized (this) {
                    if (closed) {
                        throw new IllegalStateException("write after close");
                    }
                    if (w > 0 && w < WORDS.size()) {
                        silentFrames = 0;
                        if (w != lastWord) {
                            lastWord = w;
                            pending.add(WORDS.get(w));
                            heard.add(WORDS.get(w));
                            interim = String.join(" ", pending);
                        }
                    } else {
                        lastWord = 0;
                        if (++silentFrames == 10 && endsUtterances && !pending.isEmpty()) {
                            endpoint = true;
                        }
                    }
                }
                if (interim != null) {
                    Transcript t = Transcript.interim(interim);
                    timer.execute(() -> deliver(t));
                }
                if (endpoint) {
                    timer.execute(() -> deliver(Transcript.fin(take(), true)));
                }
            }

            private synchronized String take() {
                String text = String.join(" ", pending);
                pending.clear();
                return text;
            }

            @Override
            public void finalizeUtterance() {
                String text = take();
                timer.schedule(() -> deliver(Transcript.fin(text, true)), finalDelayMillis, TimeUnit.MILLISECONDS);
            }

            private void deliver(Transcript t) {
                if (!closed) {
                    listener.onTranscript(t);
                }
            }

            /** Fails the stream as a dropped connection would. */
            void fail() {
                closed = true;
                listener.onError(new SessionException(ErrorCode.PROVIDER_CONNECTION, "scripted stream failure"));
            }

            @Override
            public void close() {
                closeThreads.add(Thread.currentThread().getName());
                closed = true;
            }
        }
    }

    /** A transport playing out at real-time pace that records its calls and can fail a send. */
    static final class RecordingTransport implements Transport {
        final Clock clock;
        final RealTimePlayout playout = new RealTimePlayout(16_000, 1);
        final List<String> startThreads = new CopyOnWriteArrayList<>();
        final List<String> closeThreads = new CopyOnWriteArrayList<>();
        final AtomicInteger sends = new AtomicInteger();
        volatile int failSends;
        volatile int failPlayedSamples;

        RecordingTransport(Clock clock) {
            this.clock = clock;
        }

        @Override
        public AudioFormat inputFormat() {
            return FORMAT;
        }

        @Override
        public AudioFormat outputFormat() {
            return FORMAT;
        }

        @Override
        public void start(TransportListener listener) {
            startThreads.add(Thread.currentThread().getName());
        }

        @Override
        public void send(AudioFrame frame) {
            sends.incrementAndGet();
            synchronized (this) {
                if (failSends > 0) {
                    failSends--;
                    throw new IllegalStateException("scripted send failure");
                }
                playout.enqueue(frame.length(), clock.nanoTime());
            }
        }

        @Override
        public synchronized void clearPlayback() {
            playout.clear(clock.nanoTime());
        }

        @Override
        public synchronized long playedSamples() {
            if (failPlayedSamples > 0) {
                failPlayedSamples--;
                throw new IllegalStateException("scripted playedSamples failure");
            }
            return playout.played(clock.nanoTime());
        }

        @Override
        public void close() {
            closeThreads.add(Thread.currentThread().getName());
        }
    }
}
