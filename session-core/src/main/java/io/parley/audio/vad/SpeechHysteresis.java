package io.parley.audio.vad;

import java.time.Duration;

/**
 * Turns a stream of per-step speech probabilities into a steady speech/silence decision, the
 * way Silero's users expect: speech begins once the probability has stayed at or above the
 * activation threshold for {@code minSpeech}, and ends once it has stayed below the (lower)
 * deactivation threshold for {@code minSilence}. Any detector that produces probabilities can
 * use it; not thread-safe, no allocation.
 */
public final class SpeechHysteresis {

    private final float activation;
    private final float deactivation;
    private final int minSpeechSteps;
    private final int minSilenceSteps;
    private boolean speech;
    private int run;

    /**
     * @param activation   probability at or above which a step counts towards onset, in (0, 1)
     * @param deactivation probability below which a step counts towards the end, in (0, activation]
     * @param minSpeech    how long the probability must stay high
     * @param minSilence   how long it must stay low
     * @param step         the time one probability covers
     * @throws IllegalArgumentException if a threshold or duration is out of range
     */
    public SpeechHysteresis(float activation, float deactivation, Duration minSpeech, Duration minSilence, Duration step) {
        if (!(activation > 0 && activation < 1)) {
            throw new IllegalArgumentException("activation threshold must be within (0, 1), was " + activation);
        }
        if (!(deactivation > 0 && deactivation <= activation)) {
            throw new IllegalArgumentException("deactivation threshold must be within (0, " + activation + "], was " + deactivation);
        }
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        this.activation = activation;
        this.deactivation = deactivation;
        this.minSpeechSteps = steps(minSpeech, step);
        this.minSilenceSteps = steps(minSilence, step);
    }

    private static int steps(Duration d, Duration step) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative, was " + d);
        }
        return Math.max(1, (int) Math.ceil(d.toNanos() / (double) step.toNanos()));
    }

    /** Feeds one step's probability; returns the decision after it. */
    public boolean update(float probability) {
        return update(probability, 0);
    }

    /**
     * Feeds one step's probability, with speech ending only after {@code extraSilenceSteps}
     * more low steps than {@code minSilence} asks for; returns the decision after it.
     */
    boolean update(float probability, int extraSilenceSteps) {
        if (!speech) {
            run = probability >= activation ? run + 1 : 0;
            if (run >= minSpeechSteps) {
                speech = true;
                run = 0;
            }
        } else {
            run = probability < deactivation ? run + 1 : 0;
            if (run >= minSilenceSteps + extraSilenceSteps) {
                speech = false;
                run = 0;
            }
        }
        return speech;
    }

    /** The probability at or above which a step counts towards onset. */
    public float activation() {
        return activation;
    }

    /** The probability below which a step counts towards the end of speech. */
    public float deactivation() {
        return deactivation;
    }

    /** The current decision. */
    public boolean speech() {
        return speech;
    }

    /** Back to silence with no history. */
    public void reset() {
        speech = false;
        run = 0;
    }
}
