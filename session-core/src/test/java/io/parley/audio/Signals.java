package io.parley.audio;

/** Test signals and measurements shared by the audio tests. */
final class Signals {

    private Signals() {
    }

    static short[] sine(int rate, double hz, double amplitude, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** Amplitude of the best-fitting sinusoid at {@code hz} over {@code s[from, to)}, and the RMS of what remains. */
    static double[] fitSine(short[] s, int from, int to, int rate, double hz) {
        double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * hz * i / rate;
            double si = Math.sin(w), co = Math.cos(w);
            ss += si * si;
            cc += co * co;
            sc += si * co;
            ys += s[i] * si;
            yc += s[i] * co;
        }
        double det = ss * cc - sc * sc;
        double a = (ys * cc - yc * sc) / det;
        double b = (yc * ss - ys * sc) / det;
        double res = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * hz * i / rate;
            double e = s[i] - a * Math.sin(w) - b * Math.cos(w);
            res += e * e;
        }
        return new double[] {Math.hypot(a, b), Math.sqrt(res / (to - from))};
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from));
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
