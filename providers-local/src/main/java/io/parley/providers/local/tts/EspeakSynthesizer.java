package io.parley.providers.local.tts;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * eSpeak NG through JNA in synchronous mode. The library is a process-wide singleton, so all
 * instances share one lock and the voice is selected again before each sentence.
 */
final class EspeakSynthesizer implements Synthesizer {

    /** The Debian package that provides {@code libespeak-ng.so.1} and its voice data. */
    static final String PACKAGE = "espeak-ng";

    private static final int OUTPUT_SYNCHRONOUS = 1;
    private static final int POS_CHARACTER = 1;
    private static final int CHARS_UTF8 = 1;
    private static final int PARAM_RATE = 1;
    private static final Object LOCK = new Object();

    /** The subset of espeak-ng's C API used here. */
    interface ESpeakNg extends Library {
        void espeak_ng_InitializePath(String path);

        int espeak_ng_Initialize(Pointer context);

        int espeak_ng_InitializeOutput(int mode, int bufferMillis, String device);

        int espeak_ng_GetSampleRate();

        int espeak_ng_SetVoiceByName(String name);

        int espeak_ng_SetParameter(int parameter, int value, int relative);

        void espeak_SetSynthCallback(SynthCallback callback);

        int espeak_Synth(byte[] text, NativeLong size, int position, int positionType, int endPosition,
                         int flags, Pointer uniqueIdentifier, Pointer userData);

        int espeak_ng_Synchronize();
    }

    /** Receives synthesized samples; returning non-zero aborts synthesis. */
    interface SynthCallback extends Callback {
        int invoke(Pointer wav, int samples, Pointer events);
    }

    private static ESpeakNg lib;
    private static int rate;
    // JNA callbacks must stay strongly reachable while native code may call them.
    private static SynthCallback callback;
    private static short[] collected = new short[0];
    private static int collectedLength;

    private final String voice;
    private final int wordsPerMinute;

    EspeakSynthesizer(String voice, int wordsPerMinute) {
        this.voice = voice;
        this.wordsPerMinute = wordsPerMinute;
        synchronized (LOCK) {
            init();
            selectVoice();
        }
    }

    /** Loads {@code libespeak-ng} by JNA name; separate from {@link #init} so tests can name an absent one. */
    static ESpeakNg load(String name) {
        try {
            return Native.load(name, ESpeakNg.class);
        } catch (UnsatisfiedLinkError e) {
            throw new SessionException(ErrorCode.PROVIDER_UNAVAILABLE, "the eSpeak NG library could not be loaded ("
                    + e.getMessage() + "); on Debian or Ubuntu install it with: apt-get install " + PACKAGE, e, false);
        }
    }

    /** Loads and initialises the library once per process. */
    private static void init() {
        synchronized (LOCK) {
            if (lib != null) {
                return;
            }
            ESpeakNg l = load("espeak-ng");
            l.espeak_ng_InitializePath(null);
            int status = l.espeak_ng_Initialize(null);
            if (status != 0) {
                throw new SessionException(ErrorCode.PROVIDER_UNAVAILABLE, "eSpeak NG failed to initialise (status "
                        + status + "); its voice data may be missing: apt-get install " + PACKAGE, null, false);
            }
            if (l.espeak_ng_InitializeOutput(OUTPUT_SYNCHRONOUS, 0, null) != 0) {
                throw new SessionException(ErrorCode.PROVIDER_UNAVAILABLE, "eSpeak NG could not set up in-memory output", null, false);
            }
            callback = (wav, samples, events) -> {
                if (wav != null && samples > 0) {
                    if (collectedLength + samples > collected.length) {
                        collected = Arrays.copyOf(collected, Math.max(collected.length * 2, collectedLength + samples));
                    }
                    wav.read(0, collected, collectedLength, samples);
                    collectedLength += samples;
                }
                return 0;
            };
            l.espeak_SetSynthCallback(callback);
            rate = l.espeak_ng_GetSampleRate();
            lib = l;
        }
    }

    private void selectVoice() {
        if (lib.espeak_ng_SetVoiceByName(voice) != 0) {
            throw new IllegalArgumentException("eSpeak NG has no voice named '" + voice + "' (try en-us, en, de, fr ...)");
        }
        lib.espeak_ng_SetParameter(PARAM_RATE, wordsPerMinute, 0);
    }

    @Override
    public int sampleRate() {
        return rate;
    }

    @Override
    public Synthesis synthesize(String sentence) {
        byte[] text = (sentence + "\0").getBytes(StandardCharsets.UTF_8);
        synchronized (LOCK) {
            selectVoice();
            collectedLength = 0;
            int status = lib.espeak_Synth(text, new NativeLong(text.length), 0, POS_CHARACTER, 0, CHARS_UTF8, null, null);
            if (status != 0) {
                throw new IllegalStateException("eSpeak NG failed to synthesise (status " + status + "): " + sentence);
            }
            lib.espeak_ng_Synchronize();
            return new Synthesis(Arrays.copyOf(collected, collectedLength), List.of());
        }
    }
}
