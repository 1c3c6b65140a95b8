package io.parley.audio;

import io.parley.spi.NoiseCanceller;
import java.util.Arrays;
import java.util.Objects;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Removes steady background noise (fans, hum, road and room noise) from speech by spectral
 * gain: a short-time Fourier transform with square-root Hann windows at 50 % overlap, a
 * per-bin noise estimate by minimum statistics ({@link NoiseFloorTracker}), and a Wiener gain
 * driven by the decision-directed a-priori SNR of Ephraim and Malah, whose recursive smoothing
 * is what keeps isolated noise peaks from turning into "musical noise". Gains are also
 * smoothed across neighbouring bins and never fall below a floor ({@code maxAttenuationDb}),
 * so the residual noise stays natural rather than gated.
 *
 * <p>It does not remove non-stationary noise such as babble or clicks; nothing this simple can
 * without also eating speech.
 *
 * <p>It is not a front end for {@link io.parley.audio.vad.DspVad}: on real speech (the
 * benchmarks' {@code VadEval}) DspVad behind it scores within half a point of F1 of DspVad
 * alone in quiet, pink noise and clicks, a little worse at 15 dB, and better only with
 * impulsive noise at 5 dB SNR, for three times the CPU; DspVad tracks the noise floor itself.
 * Nor is it a front end for PocketSphinx, which removes noise itself: behind it, on the same
 * real speech in pink noise at 10 dB, the free-form recognizer misreads more words (the
 * benchmarks' {@code RecognizerTails}: word error rate 78 % alone, 88 % behind it) and ends
 * more finished turns in an inserted short word. Use it where people listen to the audio
 * (recordings, monitoring), and measure before putting it in front of another recognizer.
 *
 * <p>The first frame fixes the stream's format (any rate from 8 to 48 kHz, any channel count,
 * each channel processed on its own); later frames must match. Output is delayed by
 * {@link #latencyNanos()} (two hops, 16 ms at 16 kHz) and always has exactly as many samples
 * as the input. {@code in} and {@code out} may be the same frame. Not thread-safe; no
 * allocation per frame after the first.
 */
public final class SpectralNoiseSuppressor implements NoiseCanceller {

    private static final float DD_ALPHA = 0.98f;
    private static final float MAX_SNR = 1e4f;
    private static final float POWER_FLOOR = 1e-11f;

    private final float gainFloor;
    private final float smoothing;
    private AudioFormat format;
    private Channel[] channels;
    private int hop;

    /** A suppressor with the defaults of {@link Builder}. */
    public SpectralNoiseSuppressor() {
        this(builder());
    }

    private SpectralNoiseSuppressor(Builder b) {
        this.gainFloor = (float) Math.pow(10, -b.maxAttenuationDb / 20);
        this.smoothing = b.gainSmoothing;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Cleans {@code in} into {@code out}: same length, same timestamp, delayed by
     * {@link #latencyNanos()}.
     *
     * @throws IllegalArgumentException if the format differs from the first frame's, is outside
     *                                  8..48 kHz, or {@code out} is smaller than {@code in}
     */
    @Override
    public void process(AudioFrame in, AudioFrame out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (format == null) {
            bind(in.format());
        } else if (!in.format().equals(format)) {
            throw new IllegalArgumentException("frame format " + in.format() + " differs from the stream's " + format);
        }
        if (!out.format().equals(format)) {
            throw new IllegalArgumentException("output format " + out.format() + " differs from the stream's " + format);
        }
        int n = in.length();
        if (out.capacity() < n) {
            throw new IllegalArgumentException("output frame holds " + out.capacity() + " samples, needs " + n);
        }
        long ts = in.timestampNanos();
        short[] src = in.samples();
        short[] dst = out.samples();
        int ch = channels.length;
        for (int c = 0; c < ch; c++) {
            Channel state = channels[c];
            for (int i = c; i < n; i += ch) {
                dst[i] = state.push(src[i]);
            }
        }
        out.setLength(n);
        out.setTimestampNanos(ts);
    }

    /** How far output lags input; zero until the first frame fixes the format. */
    public long latencyNanos() {
        return format == null ? 0 : format.nanosFor((long) 2 * hop * format.channels());
    }

    @Override
    public void reset() {
        if (channels != null) {
            for (Channel c : channels) {
                c.reset();
            }
        }
    }

    private void bind(AudioFormat f) {
        int rate = f.sampleRate();
        if (rate < 8_000 || rate > 48_000) {
            throw new IllegalArgumentException("SpectralNoiseSuppressor supports 8000..48000 Hz, was " + rate);
        }
        this.hop = Integer.highestOneBit(rate / 100 + rate / 400);
        Channel[] cs = new Channel[f.channels()];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = new Channel(hop, rate);
        }
        this.channels = cs;
        this.format = f;
    }

    @Override
    public String toString() {
        return "SpectralNoiseSuppressor[floor=" + Math.round(-20 * Math.log10(gainFloor)) + " dB, "
                + (format == null ? "unbound" : format + ", hop=" + hop) + "]";
    }

    /** Overlap-add state for one channel. */
    private final class Channel {
        private final int hop;
        private final int size;
        private final int bins;
        private final float[] window;
        private final float[] input;
        private final float[] work;
        private final float[] overlap;
        private final short[] ready;
        private final float[] power;
        private final float[] gain;
        private final float[] smoothGain;
        private final float[] prevClean;
        private final FloatFFT_1D fft;
        private final NoiseFloorTracker noise;
        private int fill;
        private int readPos;
        private int readCount;

        Channel(int hop, int rate) {
            this.hop = hop;
            this.size = 2 * hop;
            this.bins = hop + 1;
            this.window = new float[size];
            for (int i = 0; i < size; i++) {
                // Periodic sqrt-Hann: analysis times synthesis sums to one at 50 % overlap.
                window[i] = (float) Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / size));
            }
            this.input = new float[size];
            this.work = new float[size];
            this.overlap = new float[size];
            this.ready = new short[2 * hop];
            this.power = new float[bins];
            this.gain = new float[bins];
            this.smoothGain = new float[bins];
            this.prevClean = new float[bins];
            this.fft = new FloatFFT_1D(size);
            this.noise = new NoiseFloorTracker(bins, (int) Math.round(1.5 * rate / hop), 0.8f, 1.8f, POWER_FLOOR);
            reset();
        }

        void reset() {
            Arrays.fill(input, 0f);
            Arrays.fill(overlap, 0f);
            Arrays.fill(prevClean, 0f);
            Arrays.fill(ready, (short) 0);
            noise.reset();
            fill = size - hop;
            // One hop of silence primes the output queue so that every input sample has an output.
            readPos = 0;
            readCount = hop;
        }

        short push(short sample) {
            input[fill++] = sample * (1f / 32768f);
            if (fill == size) {
                processHop();
                System.arraycopy(input, hop, input, 0, size - hop);
                fill = size - hop;
            }
            short v = ready[readPos];
            readPos = (readPos + 1) % ready.length;
            readCount--;
            return v;
        }

        private void processHop() {
            float[] b = work;
            for (int i = 0; i < size; i++) {
                b[i] = input[i] * window[i];
            }
            fft.realForward(b);
            // JTransforms packs Re[0], Re[N/2], then Re/Im pairs.
            power[0] = b[0] * b[0];
            power[hop] = b[1] * b[1];
            for (int k = 1; k < hop; k++) {
                power[k] = b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1];
            }
            noise.update(power);
            float[] lambda = noise.noise();
            for (int k = 0; k < bins; k++) {
                float gamma = Math.min(power[k] / lambda[k], MAX_SNR);
                float xi = DD_ALPHA * prevClean[k] + (1 - DD_ALPHA) * Math.max(gamma - 1, 0f);
                float g = xi / (1 + xi);
                gain[k] = g;
                prevClean[k] = Math.min(g * g * gamma, MAX_SNR);
            }
            // Smoothing across neighbouring bins removes isolated gain spikes (musical noise).
            float s = smoothing;
            for (int k = 0; k < bins; k++) {
                float left = gain[Math.max(0, k - 1)];
                float right = gain[Math.min(bins - 1, k + 1)];
                float g = (1 - s) * gain[k] + s * 0.5f * (left + right);
                smoothGain[k] = Math.max(g, gainFloor);
            }
            b[0] *= smoothGain[0];
            b[1] *= smoothGain[hop];
            for (int k = 1; k < hop; k++) {
                b[2 * k] *= smoothGain[k];
                b[2 * k + 1] *= smoothGain[k];
            }
            fft.realInverse(b, true);
            for (int i = 0; i < size; i++) {
                overlap[i] += b[i] * window[i];
            }
            int writePos = (readPos + readCount) % ready.length;
            for (int i = 0; i < hop; i++) {
                float v = overlap[i] * 32768f;
                int q = Math.round(v);
                ready[writePos] = (short) (q > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(q, Short.MIN_VALUE));
                writePos = (writePos + 1) % ready.length;
            }
            readCount += hop;
            System.arraycopy(overlap, hop, overlap, 0, size - hop);
            Arrays.fill(overlap, size - hop, size, 0f);
        }
    }

    /** Configuration; {@link #build()} checks it. */
    public static final class Builder {
        private double maxAttenuationDb = 15;
        private float gainSmoothing = 0.5f;

        private Builder() {
        }

        /** Most the noise is turned down, in dB; more is cleaner but sounds gated [15]. */
        public Builder maxAttenuationDb(double v) {
            maxAttenuationDb = v;
            return this;
        }

        /** How much each bin's gain is averaged with its neighbours', 0..1 [0.5]. */
        public Builder gainSmoothing(float v) {
            gainSmoothing = v;
            return this;
        }

        /** @throws IllegalArgumentException if maxAttenuationDb is outside 0..60 or smoothing outside 0..1 */
        public SpectralNoiseSuppressor build() {
            if (!(maxAttenuationDb >= 0 && maxAttenuationDb <= 60)) {
                throw new IllegalArgumentException("maxAttenuationDb must be within 0..60, was " + maxAttenuationDb);
            }
            if (!(gainSmoothing >= 0 && gainSmoothing <= 1)) {
                throw new IllegalArgumentException("gainSmoothing must be within 0..1, was " + gainSmoothing);
            }
            return new SpectralNoiseSuppressor(this);
        }
    }
}
