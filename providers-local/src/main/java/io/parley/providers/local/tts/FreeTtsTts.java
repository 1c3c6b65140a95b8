package io.parley.providers.local.tts;

import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offline text-to-speech with FreeTTS, pure Java, using the CMU {@code kevin16} diphone voice
 * bundled in the FreeTTS jar (BSD licensed). Deterministic: the same text gives the same audio.
 *
 * <p>Replies are cut into sentences and each sentence is synthesised as soon as it is complete
 * (a few milliseconds each once warm), converted from FreeTTS's big-endian 16 kHz output to the
 * requested format and delivered in 20 ms frames. {@link TtsStream#cancel()} stops delivery
 * before the next frame. The voice is loaded when the provider is built (about 0.3 s).
 */
public final class FreeTtsTts implements TtsProvider {

    /** The only 16 kHz voice FreeTTS ships. */
    public static final String DEFAULT_VOICE = "kevin16";

    private final FreeTtsSynthesizer synth;
    private final ExecutorService executor;

    private FreeTtsTts(FreeTtsSynthesizer synth) {
        this.synth = synth;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-freetts-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads the {@value #DEFAULT_VOICE} voice.
     *
     * @throws SessionException {@link ErrorCode#TTS_ERROR} if FreeTTS cannot load it
     */
    public static FreeTtsTts create() {
        return create(DEFAULT_VOICE);
    }

    /**
     * Loads a FreeTTS voice by name; {@code "kevin16"} (16 kHz) and {@code "kevin"} (8 kHz) ship with FreeTTS.
     *
     * @throws IllegalArgumentException if no voice has that name
     * @throws SessionException {@link ErrorCode#TTS_ERROR} if FreeTTS cannot load it
     */
    public static FreeTtsTts create(String voiceName) {
        Objects.requireNonNull(voiceName, "voiceName");
        Voice chosen = null;
        for (Voice v : new KevinVoiceDirectory().getVoices()) {
            if (v.getName().equals(voiceName)) {
                chosen = v;
            }
        }
        if (chosen == null) {
            throw new IllegalArgumentException("no FreeTTS voice named '" + voiceName + "' (available: kevin, kevin16)");
        }
        try {
            return new FreeTtsTts(new FreeTtsSynthesizer(chosen));
        } catch (RuntimeException e) {
            throw new SessionException(ErrorCode.TTS_ERROR, "FreeTTS could not load voice " + voiceName + ": " + e, e, false);
        }
    }

    @Override
    public String name() {
        return "freetts";
    }

    /** Rate in Hz of the audio the voice produces before conversion. */
    public int nativeSampleRate() {
        return synth.sampleRate();
    }

    /**
     * @throws SessionException {@link ErrorCode#INVALID_AUDIO} if the requested format cannot be produced
     */
    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        SentenceStream.checkFormat(request.format(), synth.sampleRate());
        return new SentenceStream(synth, executor, listener, request.format());
    }
}
