package io.parley.audio.prosody;

/**
 * How the end of the speaker's last voiced stretch sounded, as measured by a
 * {@link ProsodyTracker}. English speakers mark a finished statement with falling pitch that
 * ends low in their range, a lengthened last syllable and a gradual fade; a held or rising pitch
 * that stops abruptly at full loudness marks "more to come". Each measure is NaN when it could
 * not be taken (too little voiced speech, no pitch found).
 *
 * @param pitchSlope       pitch movement over the last voiced stretch's final 300 ms, in
 *                         semitones per second (negative: falling)
 * @param finalPitch       pitch at the very end relative to the speaker's running average, in
 *                         semitones (negative: ending low in the speaker's range)
 * @param finalLengthening duration of the last voiced stretch over the speaker's typical voiced
 *                         stretch (above 1: drawn out)
 * @param energyDecay      loudness change over the last 200 ms before the voice stopped, in dB
 *                         per second (strongly negative: fading out)
 */
public record Prosody(double pitchSlope, double finalPitch, double finalLengthening, double energyDecay) {

    /** Nothing measured: a detector should treat it as no evidence either way. */
    public static final Prosody UNKNOWN = new Prosody(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /**
     * How far below their running average, in semitones, an English speaker's voice typically
     * ends a finished turn, where {@link #finality()} turns from "continuing" to "final"
     * [4 st. On the large real-speech turn set of the benchmarks ({@code ProsodyProbe large}, real
     * human recordings, tuning split, quiet), the median turn end lay 5.9 st below the speaker's
     * average and the median mid-turn pause 1.8 st below; of the four measures, the final pitch
     * alone orders an (end, pause) pair right most often (0.86 of pairs, against 0.64 for the
     * fall, 0.61 for the fade and 0.59 for the lengthening), and this finality 0.84 (held-out
     * split 0.81). From the set's 8 kHz copy of Allison's prompts ({@code telephone}): 6.1 and
     * 1.7 st, final pitch 0.83, finality 0.81 and 0.82].
     */
    public static final double FINAL_LOW = 4;

    /** Semitones per second of fall that count as a clear fall. */
    private static final double CLEAR_FALL = 12;
    /** Semitones either side of the final-low threshold over which finality goes from none to full. */
    private static final double LOW_SPAN = 1;

    /** Whether no measure was taken at all. */
    public boolean isUnknown() {
        return Double.isNaN(pitchSlope) && Double.isNaN(finalPitch) && Double.isNaN(finalLengthening)
                && Double.isNaN(energyDecay);
    }

    /** {@link #finality(double)} at the usual threshold, {@link #FINAL_LOW}. */
    public double finality() {
        return finality(FINAL_LOW);
    }

    /**
     * How final the ending sounds, from -1 (clearly continuing: the voice stopped well above
     * {@code finalLow} semitones below the speaker's average) through 0 (no evidence, or right at
     * the threshold) to 1 (clearly final: ending well below it, falling). The final pitch carries
     * four fifths of the weight and the fall over the last 300 ms the rest; lengthening and fade
     * are measured but not weighed: on real recorded speech they ordered ends and pauses barely
     * better than chance, and telephone recordings fade at every splice. A measure that is NaN
     * contributes nothing, so a verdict from the slope alone stays weak.
     *
     * @param finalLow how far below their average this speaker's finished turns end, in semitones
     * @throws IllegalArgumentException if {@code finalLow} is not finite
     */
    public double finality(double finalLow) {
        if (!Double.isFinite(finalLow)) {
            throw new IllegalArgumentException("finalLow must be finite, was " + finalLow);
        }
        double sum = 0;
        if (!Double.isNaN(finalPitch)) {
            sum += 0.8 * clamp((-finalPitch - finalLow) / LOW_SPAN);
        }
        if (!Double.isNaN(pitchSlope)) {
            sum += 0.2 * clamp(-pitchSlope / CLEAR_FALL);
        }
        return sum;
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }
}
