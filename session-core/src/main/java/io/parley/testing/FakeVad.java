package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Vad;
import io.parley.spi.VadProvider;
import io.parley.spi.VadResult;
import java.time.Duration;

/**
 * An energy detector for the clean signals of {@link InMemoryTransport}: a frame is speech
 * when its RMS level exceeds a threshold, with optional hangover. Exact and predictable,
 * which is what timing tests need; real audio wants {@code io.parley.audio.vad.DspVad}.
 */
public final class FakeVad implements VadProvider {

    private final double threshold;
    private final Duration hangover;
    private final int stride;

    /** Threshold 500 (of 32767), no hangover. */
    public FakeVad() {
        this(500, Duration.ZERO);
    }

    /**
     * @param threshold RMS level above which a frame is speech
     * @param hangover  how long speech is still reported after the level drops
     */
    public FakeVad(double threshold, Duration hangover) {
        this(threshold, hangover, 1);
    }

    /**
     * Measures the level from every {@code stride}-th sample only: for the chaos harness,
     * whose periodic tone and hiss need no more, and which must stay cheap next to the engine.
     */
    FakeVad(double threshold, Duration hangover, int stride) {
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("threshold must be positive");
        }
        this.threshold = threshold;
        this.hangover = hangover;
        this.stride = stride;
    }

    @Override
    public String name() {
        return "fake-vad";
    }

    @Override
    public Vad create(AudioFormat format) {
        long hangoverNanos = hangover.toNanos();
        return new Vad() {
            /** Quiet audio heard since the last loud frame: counted in audio, as real detectors count frames. */
            private long quietNanos;
            private boolean speech;

            @Override
            public VadResult process(AudioFrame frame) {
                short[] s = frame.samples();
                int n = frame.length();
                long sum = 0;
                int count = 0;
                for (int i = 0; i < n; i += stride) {
                    sum += s[i] * s[i];
                    count++;
                }
                double rms = Math.sqrt(sum / (double) Math.max(1, count));
                boolean loud = rms > threshold;
                if (loud) {
                    quietNanos = 0;
                    speech = true;
                } else if (speech) {
                    // The hangover counts the quiet audio heard, not the frames' timestamps: a
                    // host that delivers late audio in a burst, or stamps some frames on arrival
                    // and others as captured, must not keep the detector in speech.
                    quietNanos += frame.durationNanos();
                    speech = quietNanos < hangoverNanos;
                }
                return VadResult.of((float) Math.min(1.0, rms / (2 * threshold)), speech);
            }

            @Override
            public void reset() {
                speech = false;
                quietNanos = 0;
            }
        };
    }
}
