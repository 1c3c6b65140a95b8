package io.parley.audio.vad;

/**
 * Power spectrum of a windowed real signal whose length is a power of two, for DspVad's hot
 * path. The N real samples are packed as N/2 complex ones (even samples real, odd imaginary),
 * transformed by an iterative radix-2 FFT with precomputed twiddles and bit-reversal, and the
 * two interleaved half-spectra are then separated: half the work of a complex FFT of
 * zero-imaginary data, and several times faster than a general library transform at the 128
 * points DspVad uses, where call overhead and bounds checks weigh as much as arithmetic.
 * Unnormalised, like {@code FloatFFT_1D.realForward}. Not thread-safe; no allocation after
 * construction.
 */
final class RealFft {

    private final int size;
    private final int half;
    private final int[] reverse;
    /** exp(-2 pi i t / half) for t below half / 2. */
    private final float[] cos;
    private final float[] sin;
    /** exp(-2 pi i k / size) for k up to half: the split step's twiddles. */
    private final float[] splitCos;
    private final float[] splitSin;
    private final float[] re;
    private final float[] im;

    RealFft(int size) {
        if (size < 4 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two of at least 4, was " + size);
        }
        this.size = size;
        this.half = size / 2;
        this.reverse = new int[half];
        int bits = Integer.numberOfTrailingZeros(half);
        for (int i = 0; i < half; i++) {
            reverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        this.cos = new float[Math.max(1, half / 2)];
        this.sin = new float[cos.length];
        for (int t = 0; t < cos.length; t++) {
            double a = -2 * Math.PI * t / half;
            cos[t] = (float) Math.cos(a);
            sin[t] = (float) Math.sin(a);
        }
        this.splitCos = new float[half + 1];
        this.splitSin = new float[half + 1];
        for (int k = 0; k <= half; k++) {
            double a = -2 * Math.PI * k / size;
            splitCos[k] = (float) Math.cos(a);
            splitSin[k] = (float) Math.sin(a);
        }
        this.re = new float[half];
        this.im = new float[half];
    }

    /**
     * Transforms {@code x[0, size) * window[0, size)} and writes the power of bins
     * {@code from .. from + count - 1} (all below size / 2) to {@code power[0, count)}.
     *
     * @return the sum of the powers written
     */
    float power(float[] x, float[] window, int from, int count, float[] power) {
        if (x.length < size || window.length < size || from < 0 || from + count > half || power.length < count) {
            throw new IllegalArgumentException("buffers too short for " + size + " points or bins out of range");
        }
        float[] r = re;
        float[] m = im;
        int[] rev = reverse;
        for (int n = 0; n < half; n++) {
            int j = rev[n];
            r[j] = x[2 * n] * window[2 * n];
            m[j] = x[2 * n + 1] * window[2 * n + 1];
        }
        transform(r, m);
        float total = 0;
        for (int i = 0; i < count; i++) {
            int k = from + i;
            int mk = k == 0 ? 0 : half - k;
            float a = r[k];
            float b = m[k];
            float c = r[mk];
            float d = m[mk];
            // Even samples' spectrum (a + c, b - d) / 2 and odd samples' (b + d, c - a) / 2.
            float er = a + c;
            float ei = b - d;
            float or = b + d;
            float oi = c - a;
            float wr = splitCos[k];
            float wi = splitSin[k];
            float xr = 0.5f * (er + wr * or - wi * oi);
            float xi = 0.5f * (ei + wr * oi + wi * or);
            float p = xr * xr + xi * xi;
            power[i] = p;
            total += p;
        }
        return total;
    }

    private void transform(float[] r, float[] m) {
        int n = half;
        // First stage: twiddle one.
        for (int i = 0; i + 1 < n; i += 2) {
            float tr = r[i + 1];
            float ti = m[i + 1];
            r[i + 1] = r[i] - tr;
            m[i + 1] = m[i] - ti;
            r[i] += tr;
            m[i] += ti;
        }
        for (int len = 4; len <= n; len <<= 1) {
            int h = len >> 1;
            int step = n / len;
            for (int j = 0; j < h; j++) {
                float wr = cos[j * step];
                float wi = sin[j * step];
                for (int a = j; a < n; a += len) {
                    int b = a + h;
                    float br = r[b];
                    float bi = m[b];
                    float tr = wr * br - wi * bi;
                    float ti = wr * bi + wi * br;
                    r[b] = r[a] - tr;
                    m[b] = m[a] - ti;
                    r[a] += tr;
                    m[a] += ti;
                }
            }
        }
    }
}
