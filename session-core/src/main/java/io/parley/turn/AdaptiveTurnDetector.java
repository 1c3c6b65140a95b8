package io.parley.turn;

import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import java.time.Duration;
import java.util.Objects;

/**
 * Decides when the user has finished from two things a fixed silence timeout ignores: what
 * they said and how this speaker pauses.
 *
 * <p><b>Transcript.</b> A turn that ends with a conjunction, a filler, a preposition or an
 * article ("and", "um", "to", "the"), trails off, or stops part-way through a phone or card
 * number read out in groups, is almost certainly not over, so the detector waits long. One
 * that ends with terminal punctuation, is a question, or completes a phone or card number
 * ends quickly. Anything else gets the speaker's neutral wait.
 *
 * <p><b>Speaker.</b> The neutral wait follows an exponential moving average of the pauses
 * after which this speaker went on talking ({@link #observePause(Duration, boolean)}), kept
 * a margin above it, in the manner of LiveKit's dynamic endpointing: someone who pauses for
 * 700 ms between clauses is not cut off at 500 ms, and a brisk speaker is answered sooner.
 *
 * <p>The returned delay is interpolated, on a log scale, between a quick wait (at certainty
 * the turn is over), the neutral wait and a long wait (certainty it is not), and always lies
 * within the session's {@link TurnContext#minDelay()} and {@link TurnContext#maxDelay()}.
 * Not thread-safe; the session calls it from its event loop.
 */
public final class AdaptiveTurnDetector implements TurnDetector {

    private final Duration quickDelay;
    private final Duration neutralDelay;
    private final Duration longDelay;
    private final double pauseMargin;
    private final double smoothing;

    /** Average of this speaker's mid-turn pauses in nanoseconds, or negative before the first. */
    private double averagePauseNanos = -1;
    private int observedPauses;

    /** A detector with the defaults of {@link Builder}. */
    public AdaptiveTurnDetector() {
        this(builder());
    }

    private AdaptiveTurnDetector(Builder b) {
        this.quickDelay = b.quickDelay;
        this.neutralDelay = b.neutralDelay;
        this.longDelay = b.longDelay;
        this.pauseMargin = b.pauseMargin;
        this.smoothing = b.smoothing;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TurnPrediction predict(TurnContext context) {
        Objects.requireNonNull(context, "context");
        TranscriptCues.Cue cue = TranscriptCues.analyse(context.transcript());
        double p = cue.probability;
        double neutral = speakerNeutralNanos();
        double quick = Math.min(quickDelay.toNanos(), neutral);
        double slow = Math.max(longDelay.toNanos(), neutral);
        double delay;
        double pivot = TranscriptCues.NEUTRAL_PROBABILITY;
        if (p >= pivot) {
            double t = (p - pivot) / (1 - pivot);
            delay = Math.exp((1 - t) * Math.log(neutral) + t * Math.log(quick));
        } else {
            double t = (pivot - p) / pivot;
            delay = Math.exp((1 - t) * Math.log(neutral) + t * Math.log(slow));
        }
        long nanos = Math.round(delay);
        nanos = Math.max(context.minDelay().toNanos(), Math.min(context.maxDelay().toNanos(), nanos));
        return new TurnPrediction(p, Duration.ofNanos(nanos));
    }

    /**
     * Learns from a pause the user resumed after ({@code endedTurn} false). Pauses that ended
     * the turn say nothing about mid-turn hesitation and are ignored.
     */
    @Override
    public void observePause(Duration pause, boolean endedTurn) {
        Objects.requireNonNull(pause, "pause");
        if (endedTurn || pause.isNegative() || pause.isZero()) {
            return;
        }
        // Beyond the long wait the pause was not a hesitation but a new thought; do not let it stretch every turn.
        double nanos = Math.min(pause.toNanos(), longDelay.toNanos());
        averagePauseNanos = averagePauseNanos < 0 ? nanos : smoothing * averagePauseNanos + (1 - smoothing) * nanos;
        observedPauses++;
    }

    @Override
    public void reset() {
        averagePauseNanos = -1;
        observedPauses = 0;
    }

    /** The wait for a transcript with no cue either way, as adapted to this speaker so far. */
    public Duration neutralDelay() {
        return Duration.ofNanos(Math.round(speakerNeutralNanos()));
    }

    private double speakerNeutralNanos() {
        double base = neutralDelay.toNanos();
        if (averagePauseNanos < 0) {
            return base;
        }
        // Blend towards the learned value as evidence accumulates, never below the quick wait.
        double learned = averagePauseNanos * pauseMargin;
        double weight = Math.min(1.0, observedPauses / 3.0);
        return Math.max(quickDelay.toNanos(), (1 - weight) * base + weight * learned);
    }

    @Override
    public String toString() {
        return "AdaptiveTurnDetector[quick=" + quickDelay.toMillis() + "ms, neutral=" + neutralDelay().toMillis()
                + "ms, long=" + longDelay.toMillis() + "ms, pauses=" + observedPauses + "]";
    }

    /** Configuration; {@link #build()} checks it. */
    public static final class Builder {
        private Duration quickDelay = Duration.ofMillis(250);
        private Duration neutralDelay = Duration.ofMillis(700);
        private Duration longDelay = Duration.ofMillis(2000);
        private double pauseMargin = 1.4;
        private double smoothing = 0.7;

        private Builder() {
        }

        /** Wait when the transcript is surely complete (a question, terminal punctuation) [250 ms]. */
        public Builder quickDelay(Duration v) {
            quickDelay = v;
            return this;
        }

        /** Wait with no cue, before anything is learned about the speaker [700 ms]. */
        public Builder neutralDelay(Duration v) {
            neutralDelay = v;
            return this;
        }

        /** Wait when the transcript is surely unfinished (ends with "and", "um", half a phone number) [2 s]. */
        public Builder longDelay(Duration v) {
            longDelay = v;
            return this;
        }

        /** Factor above the speaker's average mid-turn pause that the neutral wait keeps [1.4]. */
        public Builder pauseMargin(double v) {
            pauseMargin = v;
            return this;
        }

        /** Weight of history in the moving average of pauses, 0..1; higher adapts more slowly [0.7]. */
        public Builder smoothing(double v) {
            smoothing = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException unless 0 &lt; quick &le; neutral &le; long &le; 60 s,
         *                                  pauseMargin is within 1..5 and smoothing within [0, 1)
         */
        public AdaptiveTurnDetector build() {
            Objects.requireNonNull(quickDelay, "quickDelay");
            Objects.requireNonNull(neutralDelay, "neutralDelay");
            Objects.requireNonNull(longDelay, "longDelay");
            if (quickDelay.isNegative() || quickDelay.isZero() || neutralDelay.compareTo(quickDelay) < 0
                    || longDelay.compareTo(neutralDelay) < 0 || longDelay.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("delays must satisfy 0 < quick <= neutral <= long <= 60 s, were "
                        + quickDelay + ", " + neutralDelay + ", " + longDelay);
            }
            if (!(pauseMargin >= 1 && pauseMargin <= 5)) {
                throw new IllegalArgumentException("pauseMargin must be within 1..5, was " + pauseMargin);
            }
            if (!(smoothing >= 0 && smoothing < 1)) {
                throw new IllegalArgumentException("smoothing must be within [0, 1), was " + smoothing);
            }
            return new AdaptiveTurnDetector(this);
        }
    }
}
