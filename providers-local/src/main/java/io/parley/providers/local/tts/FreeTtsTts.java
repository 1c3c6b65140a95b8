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
 * requested format and delivered in 20 ms frames, preceded by the end time of every word (from
 * FreeTTS's own segment durations, scaled to the audio's length), so a session can cut an
 * interrupted reply at the last word heard. {@link TtsStream#cancel()} stops delivery
 * before the next frame. The voice is loaded when the provider is built (about 0.3 s); each
 * provider has its own voice instance, so two providers with different pitches are two speakers.
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
     * Loads the {@value #DEFAULT_VOICE} voice with its own pitch and speaking rate.
     *
     * @throws SessionException {@link ErrorCode#TTS_ERROR} if FreeTTS cannot load it
     */
    public static FreeTtsTts create() {
        return builder().build();
    }

    /** A builder for the {@value #DEFAULT_VOICE} voice. */
    public static Builder builder() {
        return new Builder();
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

    /** Voice settings for {@link FreeTtsTts}. */
    public static final class Builder {
        private String voice = DEFAULT_VOICE;
        private float pitch = Float.NaN;
        private float wordsPerMinute = Float.NaN;

        private Builder() {
        }

        /** {@code "kevin16"} (16 kHz, the default) or {@code "kevin"} (8 kHz), the voices FreeTTS ships. */
        public Builder voice(String name) {
            this.voice = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Baseline pitch in Hz, 50..300 (kevin16 speaks at 100 Hz); another pitch gives another speaker. */
        public Builder pitch(float hertz) {
            if (!(hertz >= 50 && hertz <= 300)) {
                throw new IllegalArgumentException("pitch must be within 50..300 Hz, was " + hertz);
            }
            this.pitch = hertz;
            return this;
        }

        /** Speaking rate, 80..400 words per minute (kevin16 speaks at 150). */
        public Builder wordsPerMinute(float wpm) {
            if (!(wpm >= 80 && wpm <= 400)) {
                throw new IllegalArgumentException("wordsPerMinute must be within 80..400, was " + wpm);
            }
            this.wordsPerMinute = wpm;
            return this;
        }

        /**
         * Loads the voice (about 0.3 s).
         *
         * @throws IllegalArgumentException if no voice has the configured name
         * @throws SessionException {@link ErrorCode#TTS_ERROR} if FreeTTS cannot load it
         */
        public FreeTtsTts build() {
            Voice chosen = null;
            for (Voice v : new KevinVoiceDirectory().getVoices()) {
                if (v.getName().equals(voice)) {
                    chosen = v;
                }
            }
            if (chosen == null) {
                throw new IllegalArgumentException("no FreeTTS voice named '" + voice + "' (available: kevin, kevin16)");
            }
            try {
                if (!Float.isNaN(pitch)) {
                    chosen.setPitch(pitch);
                }
                if (!Float.isNaN(wordsPerMinute)) {
                    chosen.setRate(wordsPerMinute);
                }
                return new FreeTtsTts(new FreeTtsSynthesizer(chosen));
            } catch (RuntimeException e) {
                throw new SessionException(ErrorCode.TTS_ERROR, "FreeTTS could not load voice " + voice + ": " + e, e, false);
            }
        }
    }
}
