package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;

/**
 * A synthesizer whose reply never ends and that produces audio only when told to
 * ({@link #deliver(int)}), from one reused frame: for allocation benchmarks and long-speech
 * tests that pace the agent's speech themselves on a {@link ManualClock}. Single-threaded,
 * like that clock.
 *
 * <pre>{@code
 * ContinuousTts tts = new ContinuousTts(AudioFormat.PCM_16K_MONO);
 * // each 20 ms: keep about 200 ms buffered ahead of what the transport received
 * if (tts.delivered() - sent < 3200) tts.deliver(1600);
 * }</pre>
 */
public final class ContinuousTts implements TtsProvider {

    private final AudioFrame frame;
    private TtsListener listener;
    private long delivered;

    /** Delivers silence in {@code format}, at most 100 ms per {@link #deliver} call. */
    public ContinuousTts(AudioFormat format) {
        this.frame = AudioFrame.allocate(format, format.samplesFor(100));
    }

    @Override
    public String name() {
        return "continuous";
    }

    @Override
    public TtsStream open(TtsRequest request, TtsListener l) {
        this.listener = l;
        return new TtsStream() {
            @Override
            public void pushText(String chunk) {
            }

            @Override
            public void flush() {
            }

            @Override
            public void cancel() {
                listener = null;
            }

            @Override
            public void close() {
                listener = null;
            }
        };
    }

    /**
     * Hands {@code samples} of audio to the open stream, if one is open.
     *
     * @throws IllegalArgumentException if {@code samples} is not between 1 and 100 ms of audio
     */
    public void deliver(int samples) {
        if (samples < 1 || samples > frame.capacity()) {
            throw new IllegalArgumentException("samples must be between 1 and " + frame.capacity() + ", was " + samples);
        }
        TtsListener l = listener;
        if (l != null) {
            frame.setLength(samples);
            l.onAudio(frame);
            delivered += samples;
        }
    }

    /** Samples handed to open streams so far. */
    public long delivered() {
        return delivered;
    }
}
