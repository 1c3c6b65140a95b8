package io.parley.providers.local.vad;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.parley.audio.AudioFormat;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Vad;
import io.parley.spi.VadProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Silero VAD v5, a small recurrent network that is the accuracy reference for voice activity
 * detection, run in-process with ONNX Runtime on one intra-op thread (about 0.1 ms per 32 ms
 * chunk).
 *
 * <p>The model ({@code silero_vad_v5.onnx}, MIT licence, Silero Team) is not bundled: load it
 * from a file or a classpath resource, or by default from
 * {@code ${parley.models.dir}/silero_vad_v5.onnx} where {@code parley.models.dir} defaults to
 * {@code .cache/models} in the working directory or its nearest ancestor that has one. Run
 * {@code bin/setup-deps} in the Parley repository, or
 * {@code npm pack @ricky0123/vad-web@0.0.31} and take {@code package/dist/silero_vad_v5.onnx}
 * from the tarball, to get it.
 *
 * <p>The network takes 512 new samples at 16 kHz (256 at 8 kHz) plus 64 (32) samples of
 * context; other rates are resampled to 16 kHz first. Frames of any size are buffered into
 * those chunks. The speech decision uses the same debounce as Silero's own iterator and
 * Parley's DspVad: activation and deactivation thresholds, minimum speech and minimum
 * silence.
 *
 * <p>The provider holds the ONNX session and is thread-safe; close it when done. Each
 * {@link #create(AudioFormat) detector} is for one stream. ONNX Runtime's Java API allocates
 * a few small objects per inference, so unlike DspVad this detector is not allocation-free.
 */
public final class SileroVad implements VadProvider, AutoCloseable {

    /** File name of the model inside the models directory. */
    public static final String MODEL_FILE = "silero_vad_v5.onnx";

    private static final String HOW_TO_GET = "run bin/setup-deps in the Parley repository, or "
            + "`npm pack @ricky0123/vad-web@0.0.31` and extract package/dist/" + MODEL_FILE
            + " into the directory named by the system property parley.models.dir";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final float activationThreshold;
    private final float deactivationThreshold;
    private final Duration minSpeech;
    private final Duration minSilence;
    private boolean closed;

    private SileroVad(byte[] model, Builder b) {
        this.env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            this.session = env.createSession(model, options);
        } catch (OrtException e) {
            throw new SessionException(ErrorCode.VAD_ERROR, "cannot load the Silero VAD model: " + e.getMessage(), e);
        }
        this.activationThreshold = b.activationThreshold;
        this.deactivationThreshold = b.deactivationThreshold;
        this.minSpeech = b.minSpeech;
        this.minSilence = b.minSilence;
    }

    /**
     * The model from {@code ${parley.models.dir}/silero_vad_v5.onnx} with default settings.
     *
     * @throws SessionException ({@link ErrorCode#VAD_ERROR}) if the model is missing or unreadable,
     *                          saying how to get it
     */
    public static SileroVad defaults() {
        return builder().build();
    }

    /** A builder with the default model location and thresholds. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the default model is looked for. */
    public static Path defaultModelPath() {
        String dir = System.getProperty("parley.models.dir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir).resolve(MODEL_FILE);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve(".cache").resolve("models");
            if (Files.isDirectory(candidate)) {
                return candidate.resolve(MODEL_FILE);
            }
        }
        return start.resolve(".cache").resolve("models").resolve(MODEL_FILE);
    }

    @Override
    public String name() {
        return "silero";
    }

    /**
     * A detector for one stream.
     *
     * @throws IllegalArgumentException if the rate is not one {@link io.parley.audio.Resampler} converts
     *                                  (8, 16, 22.05, 24, 44.1 or 48 kHz)
     * @throws IllegalStateException    if the provider is closed
     */
    @Override
    public Vad create(AudioFormat format) {
        Objects.requireNonNull(format, "format");
        if (!io.parley.audio.Resampler.supports(format.sampleRate())) {
            throw new IllegalArgumentException("SileroVad supports 8000, 16000, 22050, 24000, 44100 and 48000 Hz, was "
                    + format.sampleRate());
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("SileroVad is closed");
            }
        }
        return new SileroVadStream(this, format);
    }

    /** Releases the ONNX session; detectors already created must not be used afterwards. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new SessionException(ErrorCode.VAD_ERROR, "closing the Silero session failed: " + e.getMessage(), e);
            }
        }
    }

    OrtEnvironment env() {
        return env;
    }

    OrtSession session() {
        return session;
    }

    float activationThreshold() {
        return activationThreshold;
    }

    float deactivationThreshold() {
        return deactivationThreshold;
    }

    Duration minSpeech() {
        return minSpeech;
    }

    Duration minSilence() {
        return minSilence;
    }

    @Override
    public String toString() {
        return "SileroVad[activation=" + activationThreshold + ", deactivation=" + deactivationThreshold
                + ", minSpeech=" + minSpeech.toMillis() + "ms, minSilence=" + minSilence.toMillis() + "ms]";
    }

    /** Configuration; {@link #build()} loads the model. */
    public static final class Builder {
        private Path modelPath;
        private String resource;
        private float activationThreshold = 0.5f;
        private float deactivationThreshold = 0.35f;
        private Duration minSpeech = Duration.ofMillis(40);
        private Duration minSilence = Duration.ofMillis(150);

        private Builder() {
        }

        /** Loads the model from this file [{@link #defaultModelPath()}]. */
        public Builder modelPath(Path path) {
            this.modelPath = requireArg(path, "path");
            this.resource = null;
            return this;
        }

        /** Loads the model from this classpath resource, e.g. {@code "/models/silero_vad_v5.onnx"}. */
        public Builder modelResource(String resource) {
            this.resource = requireArg(resource, "resource");
            this.modelPath = null;
            return this;
        }

        /** Probability at or above which a chunk counts towards speech onset [0.5]. */
        public Builder activationThreshold(float v) {
            activationThreshold = v;
            return this;
        }

        /** Probability below which a chunk counts towards the end of speech [0.35]. */
        public Builder deactivationThreshold(float v) {
            deactivationThreshold = v;
            return this;
        }

        /** How long the probability must stay high before speech is declared [40 ms]. */
        public Builder minSpeech(Duration v) {
            minSpeech = requireArg(v, "minSpeech");
            return this;
        }

        /** How long the probability must stay low before silence is declared [150 ms]. */
        public Builder minSilence(Duration v) {
            minSilence = requireArg(v, "minSilence");
            return this;
        }

        /**
         * Loads the model and builds the provider.
         *
         * @throws IllegalArgumentException if a threshold or duration is out of range
         * @throws SessionException         ({@link ErrorCode#VAD_ERROR}) if the model is missing or invalid
         */
        public SileroVad build() {
            if (!(activationThreshold > 0 && activationThreshold < 1)) {
                throw new IllegalArgumentException("activationThreshold must be within (0, 1), was " + activationThreshold);
            }
            if (!(deactivationThreshold > 0 && deactivationThreshold <= activationThreshold)) {
                throw new IllegalArgumentException("deactivationThreshold must be within (0, activationThreshold="
                        + activationThreshold + "], was " + deactivationThreshold);
            }
            for (Duration d : new Duration[] {minSpeech, minSilence}) {
                if (d == null || d.isNegative() || d.compareTo(Duration.ofSeconds(10)) > 0) {
                    throw new IllegalArgumentException("minSpeech and minSilence must be within 0..10 s, was " + d);
                }
            }
            return new SileroVad(loadModel(), this);
        }

        private byte[] loadModel() {
            if (resource != null) {
                try (InputStream in = SileroVad.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new SessionException(ErrorCode.VAD_ERROR, "Silero VAD model resource " + resource
                                + " is not on the classpath; " + HOW_TO_GET);
                    }
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new SessionException(ErrorCode.VAD_ERROR, "cannot read Silero VAD model resource " + resource, e);
                }
            }
            Path path = modelPath != null ? modelPath : defaultModelPath();
            if (!Files.isRegularFile(path)) {
                throw new SessionException(ErrorCode.VAD_ERROR, "Silero VAD model not found at " + path + "; " + HOW_TO_GET);
            }
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new SessionException(ErrorCode.VAD_ERROR, "cannot read Silero VAD model " + path + ": " + e.getMessage(), e);
            }
        }
    }

    private static <T> T requireArg(T v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return v;
    }
}
