package io.parley.providers.local.tts;

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
 * Optional text-to-speech with eSpeak NG, many languages, through JNA.
 *
 * <p><b>Licence:</b> eSpeak NG, including {@code libespeak-ng}, is GPL-3.0-or-later. Parley does
 * not depend on it: nothing is linked or loaded until you call {@link #create()}, and the library
 * comes from the operating system ({@code apt-get install espeak-ng}), not from Parley's
 * artifacts. Whether using it is compatible with your distribution terms is your call.
 *
 * <p>The voice sounds robotic and is recognised poorly by the free-form PocketSphinx model
 * (about 60 % word error rate; 0 % with a grammar). eSpeak NG renders at 22 050 Hz; audio is
 * resampled to the requested rate and streamed sentence by sentence like {@link FreeTtsTts}.
 */
public final class EspeakTts implements TtsProvider {

    private final EspeakSynthesizer synth;
    private final ExecutorService executor;

    private EspeakTts(EspeakSynthesizer synth) {
        this.synth = synth;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-espeak-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * US English at 160 words per minute.
     *
     * @throws SessionException {@link ErrorCode#PROVIDER_UNAVAILABLE} naming the Debian package if
     *                          {@code libespeak-ng} is missing
     */
    public static EspeakTts create() {
        return create("en-us", 160);
    }

    /**
     * A voice by eSpeak NG name ({@code en-us}, {@code de}, {@code fr} ...) at a speaking rate.
     *
     * @throws IllegalArgumentException if the voice does not exist or the rate is outside 80..450
     * @throws SessionException {@link ErrorCode#PROVIDER_UNAVAILABLE} if {@code libespeak-ng} is missing
     */
    public static EspeakTts create(String voice, int wordsPerMinute) {
        Objects.requireNonNull(voice, "voice");
        if (wordsPerMinute < 80 || wordsPerMinute > 450) {
            throw new IllegalArgumentException("wordsPerMinute must be within 80..450, was " + wordsPerMinute);
        }
        return new EspeakTts(new EspeakSynthesizer(voice, wordsPerMinute));
    }

    @Override
    public String name() {
        return "espeak-ng";
    }

    /** Rate in Hz of the audio eSpeak NG produces before conversion. */
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
