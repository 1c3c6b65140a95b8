package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.FakeVad;
import io.parley.testing.ManualClock;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What a spoken turn allocates, counted by this thread's allocated-byte counter on a
 * single-threaded {@link ManualClock} (every task, timer, listener call and provider answer
 * runs here). Two sessions share the clock and take turns to speak, one 6 s cycle each, many
 * times over, so the JIT's state is the same for both and only what differs between them
 * differs in their bytes. The bounds compare the two, never a machine-dependent absolute.
 */
class TurnAllocationTest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);
    private static final long FRAME_NANOS = 20_000_000L;
    /** Frames per turn: 1 s of speech, then 5 s in which the turn ends and the reply plays. */
    private static final int CYCLE = 300;
    private static final int SPEECH = 50;

    private final ManualClock clock = new ManualClock();
    private final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final AudioFrame loud = AudioFrame.allocate(FORMAT, FRAME).setLength(FRAME);
    private final AudioFrame quiet = AudioFrame.allocate(FORMAT, FRAME).setLength(FRAME);

    TurnAllocationTest() {
        for (int i = 0; i < FRAME; i++) {
            loud.samples()[i] = (short) (i % 2 == 0 ? 3000 : -3000);
        }
    }

    /**
     * A turn late in a long call costs what a turn early in it does: appending to the history
     * and handing it to the agent must not copy it (a copy-on-write list copied it three times
     * a turn, about 7 KB a turn after 300 turns).
     */
    @Test
    void aTurnLateInALongConversationAllocatesNoMoreThanOneEarlyInAShortOne() {
        Caller longCall = new Caller(new SessionListener() {
            @Override
            public void onError(SessionException error) {
                errors.add(error);
            }
        });
        for (int i = 0; i < 300; i++) {
            cycle(longCall, null);
        }
        assertThat(longCall.turns.get()).isEqualTo(300);
        assertThat(longCall.session.history()).hasSize(600);
        Caller shortCall = new Caller(new SessionListener() {
            @Override
            public void onError(SessionException error) {
                errors.add(error);
            }
        }, longCall);

        long[] bytes = alternate(longCall, shortCall, 20);

        assertThat(errors).isEmpty();
        assertThat(shortCall.turns.get()).isEqualTo(20);
        double perLongTurn = bytes[0] / 20.0;
        double perShortTurn = bytes[1] / 20.0;
        assertThat(perLongTurn).as("bytes per turn after 300 turns (%.0f) vs in a new conversation (%.0f)", perLongTurn, perShortTurn)
                .isLessThan(perShortTurn + 1024);
    }

    /**
     * A host that listens only for errors does not pay for the events it ignores: no state
     * change, turn, reply, agent text, playback or metrics object is built or queued for it.
     */
    @Test
    void eventsThatNoListenerImplementsAreNotBuilt() {
        Caller errorsOnly = new Caller(new SessionListener() {
            @Override
            public void onError(SessionException error) {
                errors.add(error);
            }
        });
        Caller everything = new Caller(new EveryCallback());
        for (int i = 0; i < 10; i++) {
            cycle(errorsOnly, everything);
            cycle(everything, errorsOnly);
        }

        long[] bytes = alternate(errorsOnly, everything, 20);

        assertThat(errors).isEmpty();
        double errorsOnlyPerTurn = bytes[0] / 20.0;
        double everythingPerTurn = bytes[1] / 20.0;
        assertThat(errorsOnlyPerTurn).as("bytes per turn listening for errors only (%.0f) vs for every event (%.0f)",
                errorsOnlyPerTurn, everythingPerTurn).isLessThan(everythingPerTurn - 800);
    }

    private final List<SessionException> errors = new ArrayList<>();

    /** {@code turns} cycles in which {@code a} speaks, alternating with as many in which {@code b} does: their bytes. */
    private long[] alternate(Caller a, Caller b, int turns) {
        long[] bytes = new long[2];
        long self = Thread.currentThread().getId();
        for (int i = 0; i < turns; i++) {
            long t0 = mx.getThreadAllocatedBytes(self);
            cycle(a, b);
            long t1 = mx.getThreadAllocatedBytes(self);
            cycle(b, a);
            long t2 = mx.getThreadAllocatedBytes(self);
            bytes[0] += t1 - t0;
            bytes[1] += t2 - t1;
        }
        return bytes;
    }

    /** One 6 s cycle in which {@code speaker} says something and is answered; {@code other}, if any, is silent meanwhile. */
    private void cycle(Caller speaker, Caller other) {
        for (int f = 0; f < CYCLE; f++) {
            speaker.session.processAudio(f < SPEECH ? loud : quiet);
            if (other != null) {
                other.session.processAudio(quiet);
            }
            clock.advance(FRAME_NANOS);
        }
    }

    /** A session with a scripted recognizer and synthesizer whose own allocation per turn is a few small objects. */
    private final class Caller {
        final AtomicLong turns = new AtomicLong();
        final VoiceSession session;

        Caller(SessionListener listener, Caller... started) {
            session = VoiceSession.builder()
                    .clock(clock)
                    .inputFormat(FORMAT)
                    .outputFormat(FORMAT)
                    .vad(new FakeVad())
                    .stt(new Recognizer())
                    .tts(new Synthesizer())
                    .agent((ctx, text) -> {
                        turns.incrementAndGet();
                        return "Sure, here is the answer.";
                    })
                    .listener(listener)
                    .build();
            CompletableFuture<Void> start = session.startAsync();
            for (int i = 0; i < 100 && !start.isDone(); i++) {
                for (Caller c : started) {
                    c.session.processAudio(quiet);
                }
                clock.advance(FRAME_NANOS);
            }
            start.join();
        }
    }

    /** Answers each finalize with the same final transcript 150 ms later. */
    private final class Recognizer implements SttProvider {
        private final Transcript answer = Transcript.fin("what is the answer", true);

        @Override
        public String name() {
            return "scripted-stt";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            Runnable deliver = () -> listener.onTranscript(answer);
            return new SttStream() {
                @Override
                public void write(AudioFrame frame) {
                }

                @Override
                public void finalizeUtterance() {
                    clock.schedule(deliver, 150, TimeUnit.MILLISECONDS);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Streams 1 s of silence per reply, a 100 ms chunk every 50 ms, from one frame shared by every stream. */
    private final class Synthesizer implements TtsProvider {
        private final AudioFrame chunk = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(100)).setLength(FORMAT.samplesFor(100));

        @Override
        public String name() {
            return "scripted-tts";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener listener) {
            return new TtsStream() {
                private int sent;
                private boolean stopped;
                private final Runnable step = this::step;

                @Override
                public void pushText(String text) {
                }

                @Override
                public void flush() {
                    clock.schedule(step, 50, TimeUnit.MILLISECONDS);
                }

                private void step() {
                    if (stopped) {
                        return;
                    }
                    if (sent == 10) {
                        listener.onComplete();
                        return;
                    }
                    listener.onAudio(chunk);
                    sent++;
                    clock.schedule(step, 50, TimeUnit.MILLISECONDS);
                }

                @Override
                public void cancel() {
                    stopped = true;
                }

                @Override
                public void close() {
                    stopped = true;
                }
            };
        }
    }

    /** Implements every callback, doing nothing. */
    private static final class EveryCallback implements SessionListener {
        @Override
        public void onStateChanged(StateChange change) {
        }

        @Override
        public void onUserSpeech(UserSpeech speech) {
        }

        @Override
        public void onUserTranscript(UserTranscript transcript) {
        }

        @Override
        public void onDtmf(DtmfEvent event) {
        }

        @Override
        public void onUserTurn(long turnId, String text) {
        }

        @Override
        public void onTurnCommitted(TurnCommit turn) {
        }

        @Override
        public void onReply(SpeechHandle reply) {
        }

        @Override
        public void onAgentText(AgentText text) {
        }

        @Override
        public void onPlayback(PlaybackEvent event) {
        }

        @Override
        public void onTurnMetrics(TurnMetrics metrics) {
        }

        @Override
        public void onError(SessionException error) {
        }
    }
}
