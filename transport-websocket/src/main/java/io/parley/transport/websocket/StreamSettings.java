package io.parley.transport.websocket;

import io.parley.audio.Resampler;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How calls are carried: the session's sample rate, how often playout marks go out, and the
 * limits that keep a misbehaving peer from holding resources.
 *
 * @param sessionRate     sample rate of the audio the session sees and produces [16 000 Hz]
 * @param markInterval    audio between playout marks [100 ms]
 * @param startTimeout    how long a socket may stay open without a {@code start} [10 s]
 * @param maxMessageBytes largest inbound message accepted [65 536]
 * @param earlyAudio      inbound audio kept while the session starts [2 s]
 * @param maxConcealment  longest sequence gap filled with silence [1 s]
 * @param clock           time source; the session's own clock [system]
 */
public record StreamSettings(int sessionRate, Duration markInterval, Duration startTimeout, int maxMessageBytes,
                             Duration earlyAudio, Duration maxConcealment, Clock clock) {

    public StreamSettings {
        if (!Resampler.supports(sessionRate)) {
            throw new IllegalArgumentException("sessionRate " + sessionRate + " is not a rate Resampler converts");
        }
        positive("markInterval", markInterval);
        positive("startTimeout", startTimeout);
        positive("earlyAudio", earlyAudio);
        positive("maxConcealment", maxConcealment);
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** The defaults listed above. */
    public static StreamSettings defaults() {
        return new StreamSettings(16_000, Duration.ofMillis(100), Duration.ofSeconds(10), 65_536,
                Duration.ofSeconds(2), Duration.ofSeconds(1), Clock.system());
    }

    /** A copy with another session rate. */
    public StreamSettings withSessionRate(int rate) {
        return new StreamSettings(rate, markInterval, startTimeout, maxMessageBytes, earlyAudio, maxConcealment, clock);
    }

    /** A copy with another mark interval. */
    public StreamSettings withMarkInterval(Duration d) {
        return new StreamSettings(sessionRate, d, startTimeout, maxMessageBytes, earlyAudio, maxConcealment, clock);
    }

    /** A copy with another start timeout. */
    public StreamSettings withStartTimeout(Duration d) {
        return new StreamSettings(sessionRate, markInterval, d, maxMessageBytes, earlyAudio, maxConcealment, clock);
    }

    /** A copy on another clock (the session's, so timestamps agree). */
    public StreamSettings withClock(Clock c) {
        return new StreamSettings(sessionRate, markInterval, startTimeout, maxMessageBytes, earlyAudio, maxConcealment, c);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
