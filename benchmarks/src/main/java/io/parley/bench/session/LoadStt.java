package io.parley.bench.session;

import io.parley.audio.AudioFrame;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Consumes every frame (its energy decides what it "hears"), sends an interim result 120 ms
 * after every 400 ms of loud audio and answers a finalize after 200 ms; or, instant, at once.
 */
final class LoadStt implements SttProvider {
    private static final Transcript INTERIM = Transcript.interim("what is");
    private static final Transcript FINAL = Transcript.fin("what is the answer", true);
    private static final long LOUD = 300L * 300L;
    private final Clock clock;
    private final boolean instant;

    /** Instant answers on the system clock. */
    LoadStt() {
        this(Clock.system(), true);
    }

    LoadStt(Clock clock, boolean instant) {
        this.clock = clock;
        this.instant = instant;
    }

    @Override
    public String name() {
        return "load-stt";
    }

    @Override
    public SttStream open(SttRequest request, SttListener listener) {
        return new SttStream() {
            private final int wordSamples = request.format().samplesFor(400);
            private int loudSamples;
            private long energy;

            @Override
            public void write(AudioFrame frame) {
                short[] s = frame.samples();
                long e = 0;
                for (int i = 0; i < frame.length(); i++) {
                    e += s[i] * s[i];
                }
                energy += e;
                if (frame.length() > 0 && e / frame.length() > LOUD) {
                    loudSamples += frame.length();
                    if (loudSamples >= wordSamples) {
                        loudSamples = 0;
                        answer(INTERIM, 120);
                    }
                }
            }

            @Override
            public void finalizeUtterance() {
                answer(FINAL, 200);
            }

            private void answer(Transcript t, long delayMs) {
                if (instant) {
                    deliver(t);
                } else {
                    clock.schedule(() -> deliver(t), delayMs, TimeUnit.MILLISECONDS);
                }
            }

            private synchronized void deliver(Transcript t) {
                listener.onTranscript(t);
            }

            @Override
            public void close() {
            }
        };
    }
}
