package io.parley.session;

import io.parley.spi.ConversationTurn;
import io.parley.audio.prosody.Prosody;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How long a {@link UserTurn} waits in silence before ending the turn: the turn detector's
 * choice within the session's endpointing bounds, or a plain silence timeout without one; and
 * what the detector learns from the pauses that followed. A failing detector is reported and
 * replaced by the minimum wait. Loop-confined, like its turn.
 */
final class TurnEndDelay {

    private static final int HISTORY_FOR_TURN_DETECTION = 6;
    /** The wait without a turn detector: a plain silence timeout, as before detectors chose the wait. */
    private static final Duration SILENCE_WITHOUT_DETECTOR = Duration.ofMillis(500);

    private final SessionConfig config;
    private final TurnDetector detector;
    private final Supplier<List<ConversationTurn>> history;
    private final Consumer<SessionException> errors;

    TurnEndDelay(SessionConfig config, TurnDetector detector, Supplier<List<ConversationTurn>> history,
                 Consumer<SessionException> errors) {
        this.config = config;
        this.detector = detector;
        this.history = history;
        this.errors = errors;
    }

    boolean hasDetector() {
        return detector != null;
    }

    /** The wait after speech that ended {@code silenceNanos} ago, the turn's text so far and how the voice ended. */
    Duration delay(long silenceNanos, String text, Prosody prosody) {
        Duration min = config.endpointingMinDelay();
        Duration max = config.endpointingMaxDelay();
        Duration delay = detector == null ? SILENCE_WITHOUT_DETECTOR : min;
        if (detector != null) {
            try {
                TurnPrediction p = detector.predict(new TurnContext(Duration.ofNanos(Math.max(0, silenceNanos)),
                        text, recentHistory(), min, max, Double.NaN, prosody));
                delay = p.delay();
            } catch (RuntimeException e) {
                errors.accept(new SessionException(ErrorCode.INTERNAL_ERROR, "turn detector failed; using the minimum delay", e));
            }
        }
        if (delay.compareTo(min) < 0) {
            return min;
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** A pause of {@code pauseNanos} that ended the turn, or that the user broke by speaking on. */
    void observePause(long pauseNanos, boolean endedTurn) {
        if (detector == null) {
            return;
        }
        try {
            detector.observePause(Duration.ofNanos(Math.max(0, pauseNanos)), endedTurn);
        } catch (RuntimeException e) {
            errors.accept(new SessionException(ErrorCode.INTERNAL_ERROR, "turn detector failed to learn from a pause", e));
        }
    }

    void reset() {
        if (detector != null) {
            detector.reset();
        }
    }

    private List<ConversationTurn> recentHistory() {
        List<ConversationTurn> h = history.get();
        int n = h.size();
        return h.subList(Math.max(0, n - HISTORY_FOR_TURN_DETECTION), n);
    }
}
