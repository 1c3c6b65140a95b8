package io.parley.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A key the caller pressed on the phone's keypad (DTMF), as the transport reported it.
 *
 * @param digit    0-9, *, # or A-D
 * @param duration how long the key was held, or {@link Duration#ZERO} if the transport does not say
 * @param at       when the session received it, on the session's clock
 */
public record DtmfEvent(char digit, Duration duration, Instant at) {

    /** The keys DTMF can carry. */
    public static final String DIGITS = "0123456789*#ABCD";

    /**
     * Validates the event.
     *
     * @throws IllegalArgumentException if the digit is not a DTMF key, the duration is negative or
     *                                  an argument is null
     */
    public DtmfEvent {
        if (DIGITS.indexOf(digit) < 0) {
            throw new IllegalArgumentException("'" + digit + "' is not a DTMF key (0-9, *, #, A-D)");
        }
        if (Objects.requireNonNull(duration, "duration").isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, was " + duration);
        }
        Objects.requireNonNull(at, "at");
    }
}
