package io.parley.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * A turn detector's verdict.
 *
 * @param endOfTurnProbability how likely the user is done, 0..1
 * @param delay                how long after the last detected speech to commit the turn if the
 *                             user stays silent; the session clamps it to its endpointing bounds
 */
public record TurnPrediction(double endOfTurnProbability, Duration delay) {
    public TurnPrediction {
        if (!(endOfTurnProbability >= 0 && endOfTurnProbability <= 1)) {
            throw new IllegalArgumentException("endOfTurnProbability must be within 0..1, was " + endOfTurnProbability);
        }
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
    }
}
