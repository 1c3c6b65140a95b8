package io.parley.providers.local.tts;

/**
 * A local engine that turns one sentence into mono PCM16 at its own fixed rate. Implementations
 * are thread-safe (they serialise access to engines that are not).
 */
interface Synthesizer {

    /** The engine's output rate in Hz. */
    int sampleRate();

    /** Mono samples for {@code sentence}; may be empty for text with nothing to say. */
    short[] synthesize(String sentence);
}
