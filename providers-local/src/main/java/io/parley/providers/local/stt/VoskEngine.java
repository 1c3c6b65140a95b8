package io.parley.providers.local.stt;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.Transcript;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

/**
 * Everything that touches Vosk's classes, kept apart from {@link VoskStt} so that a missing
 * optional dependency surfaces as a clear error instead of a class-loading failure.
 */
final class VoskEngine {

    private static final Pattern TEXT = Pattern.compile("\"(?:text|partial)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Model model;
    private final Path dir;

    private VoskEngine(Model model, Path dir) {
        this.model = model;
        this.dir = dir;
    }

    static VoskEngine load(Path dir) {
        try {
            LibVosk.setLogLevel(LogLevel.WARNINGS);
        } catch (UnsatisfiedLinkError e) {
            throw new SessionException(ErrorCode.PROVIDER_UNAVAILABLE,
                    "the Vosk native library could not be loaded on this platform: " + e.getMessage(), e, false);
        }
        try {
            return new VoskEngine(new Model(dir.toString()), dir);
        } catch (IOException e) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "Vosk could not load a model from " + dir
                    + " (" + e.getMessage() + "); the directory must be an unpacked Vosk model (am/, conf/, graph/ ...)",
                    e, false);
        }
    }

    DecodingStream open(SttRequest request, SttListener listener, Duration interimInterval, String language) {
        Recognizer recognizer;
        try {
            recognizer = new Recognizer(model, DecodingStream.DECODER_RATE);
        } catch (IOException e) {
            throw new SessionException(ErrorCode.STT_ERROR, "Vosk could not create a recogniser for " + dir, e, false);
        }
        return new Stream(request, listener, interimInterval, recognizer, language);
    }

    /** The {@code text} or {@code partial} field of a Vosk JSON result. */
    static String text(String json) {
        Matcher m = TEXT.matcher(json == null ? "" : json);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\").trim() : "";
    }

    /** One recogniser. Vosk may end segments on its own; they are joined until the session finalizes. */
    private static final class Stream extends DecodingStream {
        private final Recognizer recognizer;
        private final String language;
        private final StringBuilder done = new StringBuilder();

        Stream(SttRequest request, SttListener listener, Duration interimInterval, Recognizer recognizer, String language) {
            super("parley-vosk-" + request.sessionId(), request.format(), listener, interimInterval, Duration.ofSeconds(30));
            this.recognizer = recognizer;
            this.language = language;
            start();
        }

        @Override
        void beginUtterance(long streamOffset) {
            done.setLength(0);
        }

        @Override
        void process(short[] samples, int n) {
            if (recognizer.acceptWaveForm(samples, n)) {
                append(text(recognizer.getResult()));
            }
        }

        @Override
        String partial() {
            String p = text(recognizer.getPartialResult());
            return p.isEmpty() ? done.toString() : done.length() == 0 ? p : done + " " + p;
        }

        @Override
        Transcript endUtterance() {
            append(text(recognizer.getFinalResult()));
            return new Transcript(done.toString(), true, true, Double.NaN, List.of(), language);
        }

        private void append(String segment) {
            if (!segment.isEmpty()) {
                if (done.length() > 0) {
                    done.append(' ');
                }
                done.append(segment);
            }
        }

        @Override
        void release() {
            recognizer.close();
        }
    }
}
