package io.parley.examples.web;

import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.spi.SttProvider;
import io.parley.spi.TtsProvider;
import io.parley.spi.VadProvider;
import java.util.Objects;

/**
 * The speech providers every demo session uses; each opens one stream per session.
 *
 * @param stt         speech-to-text
 * @param tts         text-to-speech
 * @param vad         voice activity detection
 * @param description what is in use, shown on the page
 */
public record DemoProviders(SttProvider stt, TtsProvider tts, VadProvider vad, String description) {

    public DemoProviders {
        Objects.requireNonNull(stt, "stt");
        Objects.requireNonNull(tts, "tts");
        Objects.requireNonNull(vad, "vad");
        Objects.requireNonNull(description, "description");
    }

    /**
     * The offline grammar demo: pocketsphinx listening for the demo's requests (and telling
     * other speech apart), FreeTTS speaking, the DSP voice activity detector.
     */
    public static DemoProviders offline() {
        return new DemoProviders(PocketSphinxStt.builder().grammar(DemoAgent.GRAMMAR).build(), FreeTtsTts.create(),
                DspVad.defaults(), "pocketsphinx (demo phrases), offline + FreeTTS, offline");
    }
}
