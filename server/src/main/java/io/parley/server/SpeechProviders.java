package io.parley.server;

import io.parley.spi.SttProvider;
import io.parley.spi.TtsProvider;
import io.parley.spi.VadProvider;
import java.util.Objects;

/**
 * The speech providers of voice sessions; each opens one recognition stream per voice
 * participant and one synthesis stream per agent reply.
 *
 * @param stt speech-to-text
 * @param tts text-to-speech
 * @param vad voice activity detection, one instance per voice participant
 */
public record SpeechProviders(SttProvider stt, TtsProvider tts, VadProvider vad) {
    public SpeechProviders {
        Objects.requireNonNull(stt, "stt");
        Objects.requireNonNull(tts, "tts");
        Objects.requireNonNull(vad, "vad");
    }
}
