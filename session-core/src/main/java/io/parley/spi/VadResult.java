package io.parley.spi;

/**
 * Voice activity for one frame: the speech probability and the detector's debounced decision.
 *
 * <p>Instances are interned at 1/1000 probability resolution so that detectors return one
 * per frame without allocating; obtain them with {@link #of(float, boolean)}.
 */
public final class VadResult {

    private static final int STEPS = 1000;
    private static final VadResult[] SPEECH = new VadResult[STEPS + 1];
    private static final VadResult[] SILENCE = new VadResult[STEPS + 1];

    static {
        for (int i = 0; i <= STEPS; i++) {
            SPEECH[i] = new VadResult(i / (float) STEPS, true);
            SILENCE[i] = new VadResult(i / (float) STEPS, false);
        }
    }

    private final float probability;
    private final boolean speech;

    private VadResult(float probability, boolean speech) {
        this.probability = probability;
        this.speech = speech;
    }

    /**
     * The result for a probability (clamped to 0..1, rounded to 0.001) and a decision.
     *
     * @throws IllegalArgumentException if the probability is NaN
     */
    public static VadResult of(float probability, boolean speech) {
        if (Float.isNaN(probability)) {
            throw new IllegalArgumentException("VAD probability is NaN");
        }
        float p = Math.max(0f, Math.min(1f, probability));
        int i = Math.round(p * STEPS);
        return speech ? SPEECH[i] : SILENCE[i];
    }

    /** Probability that the frame contains speech, 0..1. */
    public float probability() {
        return probability;
    }

    /** The detector's decision after its own smoothing (min speech, min silence, hangover). */
    public boolean speech() {
        return speech;
    }

    @Override
    public String toString() {
        return "VadResult[p=" + probability + ", speech=" + speech + "]";
    }
}
