package io.parley.audio;

/**
 * Signal levels in dB relative to full scale (a full-scale square wave is 0 dBFS RMS). Digital
 * silence reads {@link #SILENCE_DBFS} rather than minus infinity, so levels can be averaged and
 * logged without special cases. No allocation.
 */
public final class LevelMeter {

    /** Level reported for digital silence or an empty frame. */
    public static final double SILENCE_DBFS = -120.0;

    private LevelMeter() {
    }

    /** RMS level of the frame's valid samples (all channels together). */
    public static double rmsDbfs(AudioFrame frame) {
        return rmsDbfs(frame.samples(), 0, frame.length());
    }

    /** RMS level of {@code samples[offset, offset+length)}. */
    public static double rmsDbfs(short[] samples, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, samples.length);
        if (length == 0) {
            return SILENCE_DBFS;
        }
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            double v = samples[i];
            sum += v * v;
        }
        return toDb(Math.sqrt(sum / length) / 32768.0);
    }

    /** Peak level of the frame's valid samples. */
    public static double peakDbfs(AudioFrame frame) {
        int peak = 0;
        short[] s = frame.samples();
        for (int i = 0; i < frame.length(); i++) {
            peak = Math.max(peak, Math.abs((int) s[i]));
        }
        return toDb(peak / 32768.0);
    }

    private static double toDb(double ratio) {
        return ratio <= 1e-6 ? SILENCE_DBFS : Math.max(SILENCE_DBFS, 20 * Math.log10(ratio));
    }
}
