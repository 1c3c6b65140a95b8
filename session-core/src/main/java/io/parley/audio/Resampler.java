package io.parley.audio;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streaming sample-rate converter for interleaved PCM16, built as a polyphase windowed-sinc
 * (Kaiser window) FIR filter. State carries across calls, so a stream cut into frames of any
 * size converts exactly as if it were converted in one piece.
 *
 * <p>With {@link Quality#STANDARD} (the default) the low-pass cutoff sits at 46 % of the lower
 * of the two rates, with the stop band starting at that rate's Nyquist frequency and about
 * 80 dB of attenuation designed in: content above the target Nyquist does not alias back into
 * speech, and the pass band is flat to within a fraction of a decibel up to 40 % of the lower
 * rate (6.4 kHz for 16 kHz audio). {@link Quality#TELEPHONE} trades that margin, which
 * narrowband telephone audio does not need, for a third of the work.
 *
 * <p>An exact 2:1 conversion at {@code TELEPHONE} quality (8 &lt;-&gt; 16 kHz, 24 &lt;-&gt; 48 kHz)
 * is a half-band filter: every other tap is zero by design, and it runs folded, mirrored taps
 * sharing one multiplication and the zero taps skipped, 13 multiplications per output sample
 * instead of 26 or 53 (and every other sample a copy when upsampling). The result is the same
 * convolution, equal to the direct form within one step of rounding.
 *
 * <p>Supported rates are 8 000, 16 000, 22 050, 24 000, 44 100 and 48 000 Hz in any direction;
 * equal rates copy. Filter tables are shared between instances of the same conversion.
 * Instances are not thread-safe; use one per stream. {@link #process(AudioFrame, AudioFrame)}
 * does not allocate.
 *
 * <p>The filter delays the signal by {@link #delayNanos()}; {@link #flush(AudioFrame)} pushes
 * out the last samples still held in the filter when a stream ends.
 */
public final class Resampler {

    private static final int[] RATES = {8_000, 16_000, 22_050, 24_000, 44_100, 48_000};
    /** Input is processed in blocks of this many samples per channel so the history buffer stays bounded. */
    private static final int BLOCK = 1024;

    private static final Map<FilterKey, Filter> FILTERS = new ConcurrentHashMap<>();

    /**
     * How much filter a conversion gets. Its cost per sample grows with the stop-band
     * attenuation and with the steepness of the transition band.
     */
    public enum Quality {
        /**
         * Pass band flat to 42 % of the lower rate, stop band from its Nyquist frequency at
         * 80 dB: nothing above the target Nyquist aliases into speech. The default.
         */
        STANDARD(0.42, 0.50, 80.0),
        /**
         * For telephone audio at 8 kHz, which the network has already band-limited to
         * 300-3400 Hz and µ-law quantizes at about 38 dB SNR: pass band to 42.5 % of the lower
         * rate (3.4 kHz at 8 kHz), stop band from 57.5 % (4.6 kHz) at 60 dB. Only content between
         * 4 and 4.6 kHz can fold back, and only above 3.4 kHz, outside the telephone band; the
         * residue lies below µ-law's own noise. About a third of {@link #STANDARD}'s work.
         */
        TELEPHONE(0.425, 0.575, 60.0);

        final double passEdge;
        final double stopEdge;
        final double stopbandDb;

        Quality(double passEdge, double stopEdge, double stopbandDb) {
            this.passEdge = passEdge;
            this.stopEdge = stopEdge;
            this.stopbandDb = stopbandDb;
        }
    }

    private record FilterKey(int from, int to, Quality quality) {
    }

    private final int fromRate;
    private final int toRate;
    private final int channels;
    private final AudioFormat inFormat;
    private final AudioFormat outFormat;
    private final Filter filter;
    /** The filter's branches in folded form, or null to convolve directly. */
    private final FoldedPhase[] folded;
    /** Per channel: taps-1 samples of history followed by up to BLOCK new samples. */
    private final float[][] history;
    /** Position of the next output sample, in units of 1/L input samples, relative to the current block start. */
    private long acc;

    private Resampler(int fromRate, int toRate, int channels, Quality quality, boolean direct) {
        this.fromRate = fromRate;
        this.toRate = toRate;
        this.channels = channels;
        this.inFormat = new AudioFormat(fromRate, channels);
        this.outFormat = new AudioFormat(toRate, channels);
        if (fromRate == toRate) {
            this.filter = null;
            this.folded = null;
            this.history = null;
        } else {
            this.filter = FILTERS.computeIfAbsent(new FilterKey(fromRate, toRate, quality),
                    k -> Filter.design(fromRate, toRate, quality));
            this.folded = direct ? null : filter.folded;
            this.history = new float[channels][filter.taps - 1 + BLOCK];
        }
    }

    /**
     * A resampler from {@code fromRate} to {@code toRate} for {@code channels} interleaved channels.
     *
     * @throws IllegalArgumentException if a rate is not one of 8000, 16000, 22050, 24000, 44100, 48000
     *                                  or the channel count is outside 1..8
     */
    public static Resampler create(int fromRate, int toRate, int channels) {
        return create(fromRate, toRate, channels, Quality.STANDARD);
    }

    /**
     * A resampler from {@code fromRate} to {@code toRate} for {@code channels} interleaved
     * channels, with the filter of {@code quality}.
     *
     * @throws IllegalArgumentException if a rate is not one of 8000, 16000, 22050, 24000, 44100, 48000,
     *                                  the channel count is outside 1..8 or {@code quality} is null
     */
    public static Resampler create(int fromRate, int toRate, int channels, Quality quality) {
        checkRate("fromRate", fromRate);
        checkRate("toRate", toRate);
        if (channels < 1 || channels > 8) {
            throw new IllegalArgumentException("channels must be within 1..8, was " + channels);
        }
        if (quality == null) {
            throw new IllegalArgumentException("quality must not be null");
        }
        return new Resampler(fromRate, toRate, channels, quality, false);
    }

    /** The same conversion computed as a plain convolution, never folded: the reference the folded form is tested against. */
    static Resampler directForm(int fromRate, int toRate, int channels, Quality quality) {
        Resampler r = create(fromRate, toRate, channels, quality);
        return new Resampler(r.fromRate, r.toRate, r.channels, quality, true);
    }

    /** A resampler between two formats with the same channel count. */
    public static Resampler create(AudioFormat from, AudioFormat to) {
        return create(from, to, Quality.STANDARD);
    }

    /** A resampler between two formats with the same channel count, with the filter of {@code quality}. */
    public static Resampler create(AudioFormat from, AudioFormat to, Quality quality) {
        if (from.channels() != to.channels()) {
            throw new IllegalArgumentException("channel counts differ: " + from + " -> " + to
                    + " (mix channels first with ChannelMixer)");
        }
        return create(from.sampleRate(), to.sampleRate(), from.channels(), quality);
    }

    /** Whether {@code rate} is one this class converts. */
    public static boolean supports(int rate) {
        for (int r : RATES) {
            if (r == rate) {
                return true;
            }
        }
        return false;
    }

    /**
     * Most interleaved output samples that converting {@code inputSamples} interleaved input
     * samples can produce, whatever the stream's state; size output buffers with it.
     */
    public static int outputCapacity(int fromRate, int toRate, int channels, int inputSamples) {
        if (inputSamples < 0) {
            throw new IllegalArgumentException("inputSamples must not be negative, was " + inputSamples);
        }
        long perChannel = inputSamples / channels;
        return Math.toIntExact(((perChannel * toRate + fromRate - 1) / fromRate + 1) * channels);
    }

    /** {@link #outputCapacity(int, int, int, int)} for this resampler's conversion. */
    public int outputCapacity(int inputSamples) {
        return outputCapacity(fromRate, toRate, channels, inputSamples);
    }

    /** Interleaved samples {@link #flush(AudioFrame)} may write at most. */
    public int flushCapacity() {
        return filter == null ? 0 : outputCapacity(filter.flushInputSamples() * channels);
    }

    /** Format this resampler expects as input. */
    public AudioFormat inputFormat() {
        return inFormat;
    }

    /** Format this resampler produces. */
    public AudioFormat outputFormat() {
        return outFormat;
    }

    /** How far the output lags the input, in nanoseconds (zero when rates are equal). */
    public long delayNanos() {
        return filter == null ? 0 : Math.round(filter.delayInputSamples() * 1e9 / fromRate);
    }

    /** How far the output lags the input, in output samples per channel (a whole number by design). */
    public int delayOutputSamples() {
        return filter == null ? 0 : (int) Math.round(filter.delayUp / filter.down);
    }

    /**
     * Converts {@code in} and writes the result into {@code out}, replacing its contents. The
     * output timestamp is the input's. May write zero samples when the input is very short.
     *
     * @return interleaved samples written (also {@code out.length()})
     * @throws IllegalArgumentException if the formats do not match this resampler or {@code out}
     *                                  holds fewer than {@link #outputCapacity(int)} samples
     */
    public int process(AudioFrame in, AudioFrame out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (!in.format().equals(inFormat)) {
            throw new IllegalArgumentException("input format " + in.format() + " does not match resampler input " + inFormat);
        }
        if (!out.format().equals(outFormat)) {
            throw new IllegalArgumentException("output format " + out.format() + " does not match resampler output " + outFormat);
        }
        if (in == out && filter != null) {
            throw new IllegalArgumentException("in and out must be different frames when rates differ");
        }
        int needed = outputCapacity(in.length());
        if (out.capacity() < needed && filter != null) {
            throw new IllegalArgumentException("output frame holds " + out.capacity() + " samples, needs " + needed);
        }
        long ts = in.timestampNanos();
        int written = process(in.samples(), 0, in.length(), out.samples(), 0);
        out.setLength(written);
        out.setTimestampNanos(ts);
        return written;
    }

    /**
     * Converts {@code in[inOffset, inOffset+inLength)} into {@code out} from {@code outOffset}.
     *
     * @return interleaved samples written
     * @throws IllegalArgumentException if {@code inLength} is not a whole number of channel groups
     *                                  or {@code out} has less room than {@link #outputCapacity(int)}
     */
    public int process(short[] in, int inOffset, int inLength, short[] out, int outOffset) {
        Objects.checkFromIndexSize(inOffset, inLength, in.length);
        if (inLength % channels != 0) {
            throw new IllegalArgumentException("input length " + inLength + " is not a multiple of " + channels + " channels");
        }
        if (filter == null) {
            Objects.checkFromIndexSize(outOffset, inLength, out.length);
            System.arraycopy(in, inOffset, out, outOffset, inLength);
            return inLength;
        }
        int room = out.length - outOffset;
        if (outOffset < 0 || room < outputCapacity(inLength)) {
            throw new IllegalArgumentException("output has room for " + Math.max(0, room) + " samples, needs " + outputCapacity(inLength));
        }
        int frames = inLength / channels;
        int written = 0;
        int done = 0;
        while (done < frames) {
            int n = Math.min(BLOCK, frames - done);
            int keep = filter.taps - 1;
            for (int c = 0; c < channels; c++) {
                float[] h = history[c];
                int src = inOffset + done * channels + c;
                for (int i = 0; i < n; i++) {
                    h[keep + i] = in[src + i * channels];
                }
            }
            written += runBlock(n, out, outOffset + written, false);
            done += n;
        }
        return written;
    }

    /**
     * Ends the stream: pushes silence through the filter so the input's last samples come out,
     * writes them to {@code out} and resets. {@code out} must hold {@link #flushCapacity()} samples.
     *
     * @return interleaved samples written
     */
    public int flush(AudioFrame out) {
        if (!out.format().equals(outFormat)) {
            throw new IllegalArgumentException("output format " + out.format() + " does not match resampler output " + outFormat);
        }
        if (filter == null) {
            out.setLength(0);
            return 0;
        }
        if (out.capacity() < flushCapacity()) {
            throw new IllegalArgumentException("output frame holds " + out.capacity() + " samples, flush needs " + flushCapacity());
        }
        int remaining = filter.flushInputSamples();
        int written = 0;
        int keep = filter.taps - 1;
        while (remaining > 0) {
            int n = Math.min(BLOCK, remaining);
            for (int c = 0; c < channels; c++) {
                java.util.Arrays.fill(history[c], keep, keep + n, 0f);
            }
            written += runBlock(n, out.samples(), written, true);
            remaining -= n;
        }
        out.setLength(written);
        reset();
        return written;
    }

    /** Forgets all history, as if newly created. */
    public void reset() {
        acc = 0;
        if (history != null) {
            for (float[] h : history) {
                java.util.Arrays.fill(h, 0f);
            }
        }
    }

    /** Filters one block of {@code n} new samples per channel already placed in the history buffers. */
    private int runBlock(int n, short[] out, int outOffset, boolean flushing) {
        Filter f = filter;
        int taps = f.taps;
        int keep = taps - 1;
        int l = f.up;
        int m = f.down;
        float[] coeffs = f.coeffs;
        FoldedPhase[] fold = folded;
        int o = outOffset;
        // Output positions step by m/l input samples; index and phase advance without a
        // division per sample (a 64-bit divide costs more than a folded output).
        int idx = (int) (acc / l);
        int phase = (int) (acc - (long) idx * l);
        int whole = m / l;
        int part = m % l;
        while (idx < n) {
            for (int c = 0; c < channels; c++) {
                // The window of this output starts idx samples into the history buffer.
                float sum = fold != null ? fold[phase].apply(history[c], idx) : convolve(coeffs, phase * taps, taps, history[c], idx);
                int v = Math.round(sum);
                out[o++] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(v, Short.MIN_VALUE));
            }
            idx += whole;
            phase += part;
            if (phase >= l) {
                phase -= l;
                idx++;
            }
        }
        acc = (long) (idx - n) * l + phase;
        for (int c = 0; c < channels; c++) {
            System.arraycopy(history[c], n, history[c], 0, keep);
        }
        return o - outOffset;
    }

    /**
     * One output sample the direct way. Coefficients are stored reversed per phase so the loop
     * walks both arrays forward; four accumulators break the add dependency chain.
     */
    private static float convolve(float[] coeffs, int base, int taps, float[] h, int start) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int k = 0;
        for (; k + 3 < taps; k += 4) {
            s0 += coeffs[base + k] * h[start + k];
            s1 += coeffs[base + k + 1] * h[start + k + 1];
            s2 += coeffs[base + k + 2] * h[start + k + 2];
            s3 += coeffs[base + k + 3] * h[start + k + 3];
        }
        for (; k < taps; k++) {
            s0 += coeffs[base + k] * h[start + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Greatest common divisor; {@code gcd(0, b)} is {@code b}. */
    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static void checkRate(String name, int rate) {
        if (!supports(rate)) {
            throw new IllegalArgumentException(name + " " + rate
                    + " Hz is not supported; use one of 8000, 16000, 22050, 24000, 44100, 48000");
        }
    }

    @Override
    public String toString() {
        return "Resampler[" + fromRate + " -> " + toRate + " Hz x" + channels
                + (filter == null ? ", copy]" : ", " + filter.taps + " taps/phase x " + filter.up + " phases"
                + (folded == null ? "]" : ", folded]"));
    }

    /** An immutable polyphase filter bank for one rate pair. */
    private static final class Filter {
        final int up;
        final int down;
        final int taps;
        /** {@code up} phases of {@code taps} coefficients each, oldest-sample coefficient first. */
        final float[] coeffs;
        final double delayUp;
        /** Every phase in folded form, or null when one of them does not fold. */
        final FoldedPhase[] folded;

        private Filter(int up, int down, int taps, float[] coeffs, double delayUp) {
            this.up = up;
            this.down = down;
            this.taps = taps;
            this.coeffs = coeffs;
            this.delayUp = delayUp;
            this.folded = fold(coeffs, up, taps);
        }

        /**
         * The phases in folded form where that pays: only when zero taps are skipped (a half-band
         * filter) does it do well under half the direct form's multiplications; folding mirrored
         * taps alone measured no faster than the four-accumulator direct loop.
         */
        private static FoldedPhase[] fold(float[] coeffs, int up, int taps) {
            FoldedPhase[] phases = new FoldedPhase[up];
            int multiplications = 0;
            for (int p = 0; p < up; p++) {
                phases[p] = FoldedPhase.of(coeffs, p * taps, taps);
                if (phases[p] == null) {
                    return null;
                }
                multiplications += phases[p].multiplications();
            }
            return multiplications * 10 <= 4 * taps * up ? phases : null;
        }

        double delayInputSamples() {
            return delayUp / up;
        }

        int flushInputSamples() {
            return (int) Math.ceil(delayInputSamples()) + 1;
        }

        static Filter design(int from, int to, Quality q) {
            int g = gcd(from, to);
            int l = to / g;
            int m = from / g;
            double upRate = (double) from * l;
            double minRate = Math.min(from, to);
            double transition = (q.stopEdge - q.passEdge) * minRate;
            double cutoff = (q.stopEdge + q.passEdge) / 2 * minRate;
            // Kaiser's estimate of the length that reaches the stop-band attenuation over the transition band.
            double dw = 2 * Math.PI * transition / upRate;
            int length = (int) Math.ceil((q.stopbandDb - 8) / (2.285 * dw)) + 1;
            // Centre the symmetric filter on a multiple of M so the delay is a whole number of
            // output samples; whole-clip conversion can then trim it exactly and stay aligned.
            long center = (long) Math.ceil((length - 1) / 2.0 / m) * m;
            int span = Math.toIntExact(2 * center + 1);
            int taps = Math.max(8, (span + l - 1) / l);
            int total = taps * l;
            double beta = 0.1102 * (q.stopbandDb - 8.7);
            double i0Beta = besselI0(beta);
            double fc = cutoff / upRate;
            double[] h = new double[total];
            double sum = 0;
            for (int j = 0; j < span; j++) {
                double x = j - center;
                double sinc = x == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
                double r = center == 0 ? 0 : x / center;
                double w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
                h[j] = sinc * w;
                sum += h[j];
            }
            double gain = l / sum;
            float[] coeffs = new float[total];
            for (int phase = 0; phase < l; phase++) {
                for (int k = 0; k < taps; k++) {
                    // Tap k of this phase multiplies input x[idx - k]; store it at position taps-1-k
                    // so the convolution reads the history buffer oldest to newest.
                    coeffs[phase * taps + (taps - 1 - k)] = (float) (h[phase + k * l] * gain);
                }
            }
            return new Filter(l, m, taps, coeffs, center);
        }

        private static double besselI0(double x) {
            double sum = 1;
            double term = 1;
            double q = x * x / 4;
            for (int k = 1; k < 200; k++) {
                term *= q / ((double) k * k);
                sum += term;
                if (term < sum * 1e-17) {
                    break;
                }
            }
            return sum;
        }
    }
}
