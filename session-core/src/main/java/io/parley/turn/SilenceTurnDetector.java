package io.parley.turn;

import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import java.time.Duration;
import java.util.Objects;

/**
 * The baseline turn detector: the turn ends after a fixed stretch of silence, whatever was
 * said. Predictable and easy to reason about; it cuts people off who pause longer than the
 * timeout mid-sentence and keeps quick speakers waiting. The session still clamps the delay to
 * its endpointing bounds.
 */
public final class SilenceTurnDetector implements TurnDetector {

    private final Duration silence;

    /**
     * @param silence how long the user must be silent for the turn to end
     * @throws IllegalArgumentException if {@code silence} is negative
     */
    public SilenceTurnDetector(Duration silence) {
        Objects.requireNonNull(silence, "silence");
        if (silence.isNegative()) {
            throw new IllegalArgumentException("silence must not be negative, was " + silence);
        }
        this.silence = silence;
    }

    /** The fixed silence. */
    public Duration silence() {
        return silence;
    }

    /** Always {@link #silence()}; the probability is the fraction of it already elapsed. */
    @Override
    public TurnPrediction predict(TurnContext context) {
        double p = silence.isZero() ? 1.0 : Math.min(1.0, (double) context.silence().toNanos() / silence.toNanos());
        return new TurnPrediction(p, silence);
    }

    @Override
    public String toString() {
        return "SilenceTurnDetector[" + silence.toMillis() + " ms]";
    }
}
