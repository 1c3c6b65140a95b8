package io.parley.providers.local.stt;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Offline speech recognition with Vosk (Kaldi), for users who bring their own Vosk model.
 *
 * <p>Vosk is an <em>optional</em> dependency of this module: add {@code com.alphacephei:vosk}
 * to your build to use this class. Parley ships no Vosk model and none could be obtained on the
 * machine Parley is developed on, so only the error paths (missing library, missing or invalid
 * model) are covered by Parley's tests; recognition itself is Vosk's and is untested here.
 * Unpack a model (for example one of the small English models the Vosk project publishes) and
 * pass its directory to {@link #create(Path)}.
 *
 * <p>The model is loaded once and shared; each stream gets its own recogniser and decoding
 * thread. Audio must be mono; other rates are resampled to 16 kHz. Results follow the same contract as {@link PocketSphinxStt}:
 * interim hypotheses while audio arrives, one {@code speechFinal} result per
 * {@link SttStream#finalizeUtterance()}.
 */
public final class VoskStt implements SttProvider {

    private final VoskEngine engine;
    private final Duration interimInterval;

    private VoskStt(VoskEngine engine, Duration interimInterval) {
        this.engine = engine;
        this.interimInterval = interimInterval;
    }

    /**
     * Loads the Vosk model in {@code modelDir}.
     *
     * @throws SessionException {@link ErrorCode#PROVIDER_UNAVAILABLE} if the Vosk library is not on
     *                          the class path, {@link ErrorCode#INVALID_CONFIG} if the directory is
     *                          missing or does not hold a model Vosk can load
     */
    public static VoskStt create(Path modelDir) {
        Objects.requireNonNull(modelDir, "modelDir");
        try {
            Class.forName("org.vosk.Model", false, VoskStt.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new SessionException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "Vosk is not on the class path; add the Maven dependency com.alphacephei:vosk to use VoskStt", e, false);
        }
        if (!Files.isDirectory(modelDir)) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "Vosk model directory " + modelDir
                    + " does not exist; download a Vosk model, unpack it and pass its directory");
        }
        return new VoskStt(VoskEngine.load(modelDir), Duration.ofMillis(300));
    }

    @Override
    public String name() {
        return "vosk";
    }

    @Override
    public SttStream open(SttRequest request, SttListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        DecodingStream.checkFormat(request.format(), "Vosk");
        return engine.open(request, listener, interimInterval, request.language());
    }
}
