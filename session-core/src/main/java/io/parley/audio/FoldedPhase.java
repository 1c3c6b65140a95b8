package io.parley.audio;

/**
 * One polyphase branch of a {@link Resampler} filter in folded form: a linear-phase branch has
 * equal coefficients at mirrored positions, so each pair of samples is added before the one
 * multiplication, and coefficients that are zero by design (every other tap of a half-band
 * filter, all but one tap of a half-band interpolator's second branch) are skipped.
 *
 * <p>For the 2:1 conversions this is what makes them cheap: 8 &lt;-&gt; 16 kHz at
 * {@link Resampler.Quality#TELEPHONE} is a half-band filter, and each output sample costs
 * 13 multiplications instead of 26 (upsampling, every other output being a copy) or 53
 * (downsampling). The sum is the same convolution, only with the terms grouped differently,
 * so the output differs from the direct form by float rounding at most.
 */
final class FoldedPhase {

    /** A coefficient counts as zero below this fraction of the branch's largest one. */
    private static final double ZERO = 1e-9;
    /** Mirrored coefficients this close (relatively) are taken as equal. */
    private static final double SAME = 1e-6;

    /** Pair p multiplies history[at + lo + p*stride] + history[at + hi - p*stride]. */
    private final float[] pairs;
    private final int lo;
    private final int hi;
    private final int stride;
    /** Offset of the unpaired middle tap, or -1. */
    private final int middle;
    private final float middleCoeff;

    private FoldedPhase(float[] pairs, int lo, int hi, int stride, int middle, float middleCoeff) {
        this.pairs = pairs;
        this.lo = lo;
        this.hi = hi;
        this.stride = stride;
        this.middle = middle;
        this.middleCoeff = middleCoeff;
    }

    /**
     * The folded form of {@code coeffs[off, off+taps)} (the branch's coefficients in the order
     * they meet the history, oldest sample first), or null when the branch is not symmetric.
     */
    static FoldedPhase of(float[] coeffs, int off, int taps) {
        double max = 0;
        for (int i = 0; i < taps; i++) {
            max = Math.max(max, Math.abs(coeffs[off + i]));
        }
        if (max == 0) {
            return null;
        }
        int first = -1;
        int last = -1;
        for (int i = 0; i < taps; i++) {
            if (!zero(coeffs[off + i], max)) {
                last = i;
                if (first < 0) {
                    first = i;
                }
            }
        }
        int mirror = first + last;
        for (int i = first; i <= last; i++) {
            float a = coeffs[off + i];
            float b = coeffs[off + mirror - i];
            if (zero(a, max) != zero(b, max) || Math.abs(a - b) > SAME * max) {
                return null;
            }
        }
        int middle = mirror % 2 == 0 && !zero(coeffs[off + mirror / 2], max) ? mirror / 2 : -1;
        int lowHalfEnd = (mirror + 1) / 2; // exclusive: positions below the middle
        // The non-zero taps below the middle lie on a grid whose step is the gcd of their gaps
        // (2 for a half-band filter); taps on the grid that happen to be zero are kept.
        int stride = 0;
        int lastLow = -1;
        for (int i = first; i < lowHalfEnd; i++) {
            if (!zero(coeffs[off + i], max)) {
                if (lastLow >= 0) {
                    stride = Resampler.gcd(stride, i - lastLow);
                }
                lastLow = i;
            }
        }
        stride = Math.max(stride, 1);
        int count = lastLow < 0 ? 0 : (lastLow - first) / stride + 1;
        float[] pairs = new float[count];
        for (int p = 0; p < count; p++) {
            int i = first + p * stride;
            pairs[p] = (float) ((coeffs[off + i] + (double) coeffs[off + mirror - i]) / 2);
        }
        return new FoldedPhase(pairs, first, last, stride, middle, middle < 0 ? 0f : coeffs[off + middle]);
    }

    private static boolean zero(float c, double max) {
        return Math.abs(c) <= ZERO * max;
    }

    /** Multiplications per output sample. */
    int multiplications() {
        return pairs.length + (middle < 0 ? 0 : 1);
    }

    /** The filter's output for the history window starting at {@code at}. */
    float apply(float[] h, int at) {
        float[] c = pairs;
        int n = c.length;
        int a = at + lo;
        int b = at + hi;
        int s = stride;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int p = 0;
        // Four accumulators break the add dependency chain; indices written as a linear function
        // of p let the compiler hoist the array bounds checks out of the loop.
        for (; p + 3 < n; p += 4) {
            s0 += c[p] * (h[a + s * p] + h[b - s * p]);
            s1 += c[p + 1] * (h[a + s * (p + 1)] + h[b - s * (p + 1)]);
            s2 += c[p + 2] * (h[a + s * (p + 2)] + h[b - s * (p + 2)]);
            s3 += c[p + 3] * (h[a + s * (p + 3)] + h[b - s * (p + 3)]);
        }
        for (; p < n; p++) {
            s0 += c[p] * (h[a + s * p] + h[b - s * p]);
        }
        float sum = (s0 + s1) + (s2 + s3);
        return middle < 0 ? sum : sum + middleCoeff * h[at + middle];
    }
}
