package io.parley.providers.local.tts;

import io.parley.spi.WordTiming;
import java.util.List;

/**
 * A local engine that turns one sentence into mono PCM16 at its own fixed rate. Implementations
 * are thread-safe (they serialise access to engines that are not).
 */
interface Synthesizer {

    /**
     * One sentence's audio.
     *
     * @param samples mono samples at {@link #sampleRate()}
     * @param timings when each word ends, relative to the sentence's first sample; empty when
     *                the engine does not say
     */
    record Synthesis(short[] samples, List<WordTiming> timings) {
    }

    /** The engine's output rate in Hz. */
    int sampleRate();

    /** Audio for {@code sentence}; may be empty for text with nothing to say. */
    Synthesis synthesize(String sentence);
}
