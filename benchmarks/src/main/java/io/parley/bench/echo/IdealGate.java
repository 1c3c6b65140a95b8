package io.parley.bench.echo;

/**
 * What an echo gate could do at best: it is told the echo exactly (the simulated room's echo
 * apart from the user), so its only question is whether the user stands out from it. A block
 * is the user's when a share of its energy (a half by default) lies {@code marginDb} above the true echo,
 * band by band, in the bands {@code EchoGate} uses (18 from 150 Hz to 3.8 kHz, Hann window);
 * the real gate asks the same of its prediction. How late this says "user" after a true onset
 * is the floor for any gate that tells the user from the echo by level, however well it
 * predicts. 16 kHz, 20 ms blocks; offline only (a plain DFT over the bands' bins).
 */
final class IdealGate {

    private static final int N = EchoRoom.FRAME;
    private static final int FFT = 512;
    private static final int BANDS = 18;
    private static final double LOW_HZ = 150;
    private static final double HIGH_HZ = 3800;

    private final double margin;
    private final double share;
    /** Each band's bins, {@code [firstBin, endBin)}, as {@code EchoGate}'s analyzer takes them. */
    private final int[] firstBin = new int[BANDS];
    private final int[] endBin = new int[BANDS];
    private final int lowBin;
    private final double[][] cos;
    private final double[][] sin;
    private final double[] power;
    private final double[] nearBands = new double[BANDS];
    private final double[] echoBands = new double[BANDS];

    IdealGate(double marginDb, double share) {
        this.margin = Math.pow(10, marginDb / 10);
        this.share = share;
        int rate = EchoRoom.FORMAT.sampleRate();
        for (int b = 0; b < BANDS; b++) {
            double from = LOW_HZ * Math.pow(HIGH_HZ / LOW_HZ, (double) b / BANDS);
            double to = LOW_HZ * Math.pow(HIGH_HZ / LOW_HZ, (double) (b + 1) / BANDS);
            firstBin[b] = Math.max(1, (int) Math.round(from * FFT / rate));
            endBin[b] = Math.min(FFT / 2, Math.max(firstBin[b] + 1, (int) Math.round(to * FFT / rate)));
        }
        lowBin = firstBin[0];
        int bins = endBin[BANDS - 1] - lowBin;
        cos = new double[bins][N];
        sin = new double[bins][N];
        power = new double[bins];
        for (int k = 0; k < bins; k++) {
            for (int i = 0; i < N; i++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / N);
                cos[k][i] = w * Math.cos(2 * Math.PI * (k + lowBin) * i / FFT);
                sin[k][i] = w * Math.sin(2 * Math.PI * (k + lowBin) * i / FFT);
            }
        }
    }

    /** Whether the block {@code near} (microphone) is the user's, given its echo part {@code echo}. */
    boolean user(short[] near, float[] echo) {
        analyze(near, null, nearBands);
        analyze(null, echo, echoBands);
        double total = 0;
        double excess = 0;
        for (int b = 0; b < BANDS; b++) {
            total += nearBands[b];
            excess += Math.max(0, nearBands[b] - margin * echoBands[b]);
        }
        return total > 0 && excess >= share * total;
    }

    private void analyze(short[] pcm, float[] f, double[] out) {
        for (int k = 0; k < power.length; k++) {
            double re = 0;
            double im = 0;
            double[] c = cos[k];
            double[] s = sin[k];
            for (int i = 0; i < N; i++) {
                double v = pcm != null ? pcm[i] : f[i];
                re += v * c[i];
                im += v * s[i];
            }
            power[k] = re * re + im * im;
        }
        for (int b = 0; b < BANDS; b++) {
            out[b] = 0;
            for (int k = firstBin[b]; k < endBin[b]; k++) {
                out[b] += power[k - lowBin];
            }
        }
    }
}
