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

    /** Semitones per second of fall that count as a clear fall. */
    private static final double CLEAR_FALL = 12;
    /** Semitones below the speaker's average that count as clearly low. */
    private static final double CLEAR_LOW = 3;
    /** dB per second of decay that counts as a clear fade. */
    private static final double CLEAR_FADE = 60;

    /** Whether no measure was taken at all. */
    public boolean isUnknown() {
        return Double.isNaN(pitchSlope) && Double.isNaN(finalPitch) && Double.isNaN(finalLengthening)
                && Double.isNaN(energyDecay);
    }

    /**
     * How final the ending sounds, from -1 (clearly continuing: level or rising pitch held high,
     * clipped, at full loudness) through 0 (no evidence) to 1 (clearly final: falling to low
     * pitch, drawn out, fading). Pitch carries most of the weight; the measures that are NaN
     * contribute nothing.
     */
    public double finality() {
        double sum = 0;
        double weights = 0;
        if (!Double.isNaN(pitchSlope)) {
            sum += 0.4 * clamp(-pitchSlope / CLEAR_FALL);
            weights += 0.4;
        }
        if (!Double.isNaN(finalPitch)) {
            sum += 0.3 * clamp(-finalPitch / CLEAR_LOW);
            weights += 0.3;
        }
        if (!Double.isNaN(finalLengthening)) {
            sum += 0.15 * clamp((finalLengthening - 1) / 0.5);
            weights += 0.15;
        }
        if (!Double.isNaN(energyDecay)) {
            sum += 0.15 * clamp(-energyDecay / CLEAR_FADE - 0.5);
            weights += 0.15;
        }
        // Missing measures shrink the score towards "no evidence" rather than renormalising,
        // so a verdict from energy alone stays weak.
        return weights == 0 ? 0 : sum;
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }
}
