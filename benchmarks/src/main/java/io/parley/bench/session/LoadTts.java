package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams 1.5 s of audio per reply in 100 ms chunks every 50 ms (twice real time), the first
 * 150 ms after the reply's text is complete; or, instant, the first chunk at once.
 */
final class LoadTts implements TtsProvider {
    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    /** Samples of one reply: 1.5 s. */
    static final int REPLY_SAMPLES = FORMAT.samplesFor(1500);
    private static final int CHUNK_SAMPLES = FORMAT.samplesFor(100);
    /**
     * The audio every stream sends, one chunk at a time: silence, never written after this, so
     * all streams share it (a listener may use a frame only during its call, and the session
     * copies it). A frame per stream lived as long as its reply, so a young collection during
     * any of the ~500 replies playing at 2,000 sessions copied it: 3.2 KB each, 42 % of the bytes
     * such a pause copied (JFR promotion samples), work the engine would not cause. Real
     * providers decode each network chunk into a frame of their own; Deepgram's and
     * ElevenLabs' allocate one per stream, as this did.
     */
    private static final AudioFrame CHUNK = AudioFrame.allocate(FORMAT, CHUNK_SAMPLES).setLength(CHUNK_SAMPLES);

    static {
        if (REPLY_SAMPLES % CHUNK_SAMPLES != 0) {
            throw new IllegalStateException("a reply must be whole chunks: the shared chunk's length never changes");
        }
    }
    private final Clock clock;
    private final boolean instant;
    private final Runnable opened;
    private final Runnable flushed;

    LoadTts(Clock clock, boolean instant) {
        this(clock, instant, () -> { }, () -> { });
    }

    /**
     * @param opened  told of every open, on the thread that opens
     * @param flushed told of every flush (the reply's text is complete), on the thread that flushes
     */
    LoadTts(Clock clock, boolean instant, Runnable opened, Runnable flushed) {
        this.clock = clock;
        this.instant = instant;
        this.opened = opened;
        this.flushed = flushed;
    }

    @Override
    public String name() {
        return "load-tts";
    }

    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        opened.run();
        return new TtsStream() {
            /** One task for every step, so the fake's own garbage does not add collector pauses to the measure. */
            private final Runnable next = this::step;
            private int sent;
            private volatile boolean stopped;

            @Override
            public void pushText(String text) {
            }

            @Override
            public void flush() {
                flushed.run();
                if (instant) {
                    step();
                } else {
                    clock.schedule(next, 150, TimeUnit.MILLISECONDS);
                }
            }

            private synchronized void step() {
                if (stopped) {
                    return;
                }
                if (sent >= REPLY_SAMPLES) {
                    listener.onComplete();
                    return;
                }
                listener.onAudio(CHUNK);
                sent += CHUNK_SAMPLES;
                clock.schedule(next, 50, TimeUnit.MILLISECONDS);
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
