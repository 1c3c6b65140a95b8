package io.parley.audio.vad;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.NoiseFloorTracker;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import org.jtransforms.fft.FloatFFT_1D;

/** One stream's state for {@link DspVad}. */
final class DspVadStream implements Vad {

    private static final float BAND_LOW_HZ = 150f;
    private static final float BAND_HIGH_HZ = 4000f;
    /** Decision-directed a-priori SNR smoothing (Ephraim and Malah's 0.98). */
    private static final float DD_ALPHA = 0.98f;
    private static final float MAX_SNR = 1000f;
    /** Bins whose (1 + a-priori SNR) factors share one logarithm: 1001^10 is about 1e30. */
    private static final int LOG_GROUP = 10;
    /** 10 / ln 10: power decibels per natural-log unit. */
    private static final float DB_PER_NEPER = 4.3429448f;
    /**
     * Mean log-likelihood ratio at which the probability is one half, and the slope around it
     * (chosen on VadEval's tuning split: lower and steeper than 0.1 and 10 before, for recall
     * at 5 dB SNR without new false alarms).
     */
    private static final float LLR_CENTER = 0.0667f;
    private static final float LLR_SLOPE = 15f;
    /** Width of the talker gate's transition, in dB. */
    private static final float GATE_SOFTNESS_DB = 2f;
    /** Noise power floor per bin for a full-scale-normalised signal, about -100 dBFS. */
    private static final float POWER_FLOOR = 1e-10f;
    /**
     * Band level (per sample, relative to full scale) below which a hop is never speech:
     * digital silence, dither and a muted microphone's last bits sit far below it, the
     * quietest speech worth answering far above.
     */
    static final float ABSOLUTE_FLOOR_DB = -75f;
    /** The band level of a window of zeros (about -120 dB). */
    private static final float ZEROS_DB = DB_PER_NEPER * fastLn(1e-12f);
    /** Hops below the floor after which the noise estimate starts afresh with the next sound. */
    private static final int FLOOR_RESET_HOPS = 8;
    /** How far back the noise tracker's minimum search reaches. */
    private static final double NOISE_WINDOW_SECONDS = 1.2;
    /**
     * How much of the first sound after a reset (at the start, and after digital silence)
     * seeds the noise estimate. The first hop's window still holds part of the silence, and
     * the seed is scaled down to a little above its quietest hop, so a voice that starts right
     * after zeros is not learned as the background; with a shorter seed, steady noise that
     * starts after zeros is under-estimated in a few bins for the next second, and reads as
     * speech for a hop or two (70 ms: a false segment on 6 of 42 noise seeds; 130 ms: none).
     */
    private static final double NOISE_SEED_SECONDS = 0.13;
    /** Hops (about 30 ms) whose quietest level is the baseline for a sudden rise. */
    private static final int RECENT_HOPS = 4;
    /** A rise this sudden, within a few hops, may be a knock or a click. */
    private static final float TRANSIENT_JUMP_DB = 12f;
    /** A suspected transient that falls this far below its peak within the hold was one. */
    private static final float TRANSIENT_DECAY_DB = 12f;
    /** How long a sudden onset is held back to see whether it lasts like speech. */
    /** A suspected transient that has fallen steadily this far below its peak was one too. */
    private static final float TRANSIENT_SOFT_DECAY_DB = 6f;
    /** A rise of this much out of a decaying sound is a new event. */
    private static final float TRANSIENT_RISE_DB = 3f;
    /** A fall of this much per hop counts as still decaying. */
    private static final float FALLING_DB = 0.5f;
    /** How long a sudden onset is held back at least to see whether it lasts like speech. */
    private static final float TRANSIENT_HOLD_SECONDS = 0.04f;
    /** How long a sudden onset that keeps falling may be held back at most. */
    private static final float TRANSIENT_MAX_HOLD_SECONDS = 0.12f;
    /** Weight of the previous hops in the probability the decision debounces. */
    private static final float DECISION_SMOOTHING = 0.3f;
    /** Outside speech, sounds this far below the talker's recent level cannot start speech. */
    private static final float ONSET_GATE_DB = 25f;
    /**
     * In speech, sounds this far below the talker's recent level do not continue it: a quiet
     * steady room tone after the last word, 35-40 dB below the talker, otherwise flickers about
     * the deactivation threshold and holds the turn open; quiet word endings sit well above.
     */
    private static final float CONTINUE_GATE_DB = 32f;

    /**
     * Talker level over the quietest recent level (the background) below which speech ends
     * later: at 16 dB and less by {@link #NOISY_EXTRA_HANGOVER_SECONDS}, from 22 dB down by a
     * share of it. In heavy noise the quiet ends of words and the short gaps between them drown,
     * and the probability dips below the deactivation threshold inside words; in quieter rooms
     * (15 dB SNR and up) the hangover stays as configured, so speech boundaries do not move.
     * Chosen on VadEval's tuning split, where the background estimate reads about 17 dB at 5 dB
     * SNR, 25 dB at 15 dB and 50 dB in a quiet room.
     */
    private static final float NOISY_HIGH_DB = 22f;
    private static final float NOISY_LOW_DB = 16f;
    private static final float NOISY_EXTRA_HANGOVER_SECONDS = 0.1f;
    /** How fast the background estimate rises while nothing quieter comes (dB per second). */
    private static final float BACKGROUND_RISE_DB_PER_SECOND = 2.5f;

    private static final java.util.concurrent.ConcurrentMap<Integer, float[]> WINDOWS = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * One FFT per size for all streams: a power-of-two JTransforms transform only reads its
     * tables, so it can serve any number of threads at once, and its tables stay in the cache
     * instead of one copy per stream.
     */
    private static final java.util.concurrent.ConcurrentMap<Integer, FloatFFT_1D> FFTS = new java.util.concurrent.ConcurrentHashMap<>();
    /** Each thread's working arrays, see {@link Scratch}. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final AudioFormat format;
    private final int channels;
    private final HalfbandDecimator decimator;
    private final int hop;
    private final int size;
    private final int lowBin;
    private final int bins;
    /** The analysis window, shared by every stream of this size. */
    private final float[] window;
    /**
     * The samples (mono, decimated) not yet analysed as the start of a window, {@link #fill} of
     * them: usually the last {@code size - hop}, which the next frame's first window begins with.
     */
    private final float[] tail;
    /** Each bin's clean-speech SNR estimate of the last hop, unclamped (clamped to {@link #MAX_SNR} where it is read). */
    private final float[] prevCleanSnr;
    private final FloatFFT_1D fft;
    private final NoiseFloorTracker noise;
    private final SpeechLevelTracker speechLevel;
    private final float energyScale;
    private final float gateDb;
    private final float sensitivity;
    private final SpeechHysteresis decision;
    private final int noisyExtraHops;
    private final float backgroundRiseDb;
    /** The quietest recent band level (dB), rising slowly: the background the talker is heard over. */
    private float backgroundDb;
    /** Hops of hangover added to {@code minSilence} for the current background. */
    private int extraSilenceHops;

    private final float[] held;
    private final int minHoldHops;
    private int heldCount;
    /** Whether a sudden onset is being held back. */
    private boolean holding;
    private float holdPeakDb;
    private float holdLastDb;
    private boolean roseAfterPeak;
    /** Whether a rejected impulse is still ringing out, and the least level it has reached. */
    private boolean decaying;
    private float ringMinDb;
    /** Band levels of the last few hops, the baseline a sudden onset is measured against. */
    private final float[] recentDb = new float[RECENT_HOPS];
    private int recentPos;
    private int quietHops;
    private float smoothedP;

    private int fill;
    /**
     * How many of the samples before {@link #fill} are exact zeros (digital silence), at most
     * {@code fill}: a window among them needs no transform, see {@link #analyse}.
     */
    private int zeroRun;
    /** Windows transformed so far (for tests). */
    private long transforms;
    private float lastProbability;
    private VadResult last = VadResult.of(0f, false);

    DspVadStream(DspVad config, AudioFormat format) {
        this.format = format;
        this.channels = format.channels();
        // From 16 kHz up, the band of interest is analysed at half the rate, for half the cost.
        this.decimator = format.sampleRate() >= 16_000 ? new HalfbandDecimator() : null;
        int rate = decimator == null ? format.sampleRate() : format.sampleRate() / 2;
        this.size = 2 * Integer.highestOneBit(rate / 100 + rate / 400);
        // 10 ms hops: two per 20 ms frame, against 2.5 for half-overlapping windows.
        this.hop = rate / 100;
        this.lowBin = Math.max(1, (int) Math.ceil(BAND_LOW_HZ * size / rate));
        int highBin = Math.min(size / 2 - 1, (int) Math.floor(Math.min(BAND_HIGH_HZ, 0.47f * rate) * size / rate));
        this.bins = highBin - lowBin + 1;
        this.window = hann(size);
        this.tail = new float[size];
        this.prevCleanSnr = new float[bins];
        this.fft = FFTS.computeIfAbsent(size, n -> new FloatFFT_1D(n));
        double hopSeconds = (double) hop / rate;
        this.noise = new NoiseFloorTracker(bins, (int) Math.round(NOISE_WINDOW_SECONDS / hopSeconds),
                (int) Math.round(NOISE_SEED_SECONDS / hopSeconds), 0.8f, 1.8f, POWER_FLOOR);
        this.energyScale = 1f / ((float) size * size);
        this.gateDb = config.talkerGateDb();
        this.speechLevel = new SpeechLevelTracker((int) Math.round(5.0 / hopSeconds));
        this.sensitivity = config.sensitivity();
        this.decision = new SpeechHysteresis(config.activationThreshold(), config.deactivationThreshold(),
                config.minSpeech(), config.minSilence(), java.time.Duration.ofNanos(Math.round(hopSeconds * 1e9)));
        this.noisyExtraHops = Math.round(NOISY_EXTRA_HANGOVER_SECONDS / (float) hopSeconds);
        this.backgroundRiseDb = BACKGROUND_RISE_DB_PER_SECOND * (float) hopSeconds;
        java.util.Arrays.fill(recentDb, -120f);
        this.minHoldHops = Math.max(1, (int) Math.ceil(TRANSIENT_HOLD_SECONDS / hopSeconds));
        this.held = new float[Math.max(minHoldHops, (int) Math.ceil(TRANSIENT_MAX_HOLD_SECONDS / hopSeconds))];
        this.fill = size - hop;
        this.zeroRun = fill;
        // The stream starts as if after a long silence: its first windows are part zeros.
        this.quietHops = FLOOR_RESET_HOPS;
    }

    @Override
    public VadResult process(AudioFrame frame) {
        if (!frame.format().equals(format)) {
            throw new IllegalArgumentException("frame format " + frame.format() + " does not match the VAD's " + format);
        }
        short[] s = frame.samples();
        int frames = frame.length() / channels;
        int room = decimator != null ? frames / 2 + 1 : frames;
        Scratch sc = SCRATCH.get();
        sc.ensure(size + room, size);
        // This frame's samples after the tail kept from the last: each window is taken from
        // here in place.
        float[] x = sc.signal;
        System.arraycopy(tail, 0, x, 0, fill);
        float scale = 1f / (32768f * channels);
        int from = fill;
        if (decimator != null) {
            fill += decimator.process(s, frames, channels, scale, x, fill, sc.decimation);
        } else {
            toMono(s, frames, channels, scale, x, fill);
            fill += frames;
        }
        // Usually one comparison: digital silence is the only audio whose last sample is
        // exactly zero more than now and then.
        int i = fill - 1;
        while (i >= from && x[i] == 0f) {
            i--;
        }
        zeroRun = i < from ? Math.min(zeroRun + fill - from, fill) : fill - 1 - i;
        float sum = 0;
        int hops = 0;
        int start = 0;
        for (; start + size <= fill; start += hop) {
            sum += analyse(x, start, sc, start >= fill - zeroRun);
            hops++;
        }
        // Fewer than size samples are left: no window fitted from start on.
        fill -= start;
        zeroRun = Math.min(zeroRun, fill);
        System.arraycopy(x, start, tail, 0, fill);
        if (hops > 0) {
            last = VadResult.of(sum / hops, decision.speech());
        }
        return last;
    }

    /**
     * Writes {@code frames} sample frames of {@code in} ({@code channels} interleaved channels),
     * summed and multiplied by {@code scale}, to {@code out} from {@code offset}.
     */
    static void toMono(short[] in, int frames, int channels, float scale, float[] out, int offset) {
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                out[offset + i] = in[i] * scale;
            }
        } else {
            for (int i = 0, j = 0; i < frames; i++) {
                int v = 0;
                for (int c = 0; c < channels; c++) {
                    v += in[j++];
                }
                out[offset + i] = v * scale;
            }
        }
    }

    /**
     * Processes the window of {@code x} from {@code start}, which holds only zeros if
     * {@code zeros}; returns its speech probability.
     */
    private float analyse(float[] x, int start, Scratch sc, boolean zeros) {
        float[] pw = sc.power;
        float bandEnergy = 0;
        // The spectrum of zeros is zeros (a signed zero squares to +0), so its band energy is
        // exactly 0 and the window takes the branch below the absolute floor, which reads no
        // bin's power: the transform can be skipped without changing a bit.
        if (!(zeros && ZEROS_DB < ABSOLUTE_FLOOR_DB)) {
            float[] b = sc.fft;
            float[] w = window;
            for (int i = 0; i < size; i++) {
                b[i] = x[start + i] * w[i];
            }
            fft.realForward(b);
            transforms++;
            for (int k = 0, j = 2 * lowBin; k < bins; k++, j += 2) {
                float re = b[j];
                float im = b[j + 1];
                float p = re * re + im * im;
                pw[k] = p;
                bandEnergy += p;
            }
        }
        // Band power per sample relative to full scale, so levels sit in the -120..0 dB range.
        float energyDb = DB_PER_NEPER * fastLn(bandEnergy * energyScale + 1e-12f);
        float base = recentDb[0];
        for (int i = 1; i < RECENT_HOPS; i++) {
            base = Math.min(base, recentDb[i]);
        }
        float jump = energyDb - base;
        recentDb[recentPos] = energyDb;
        recentPos = (recentPos + 1) % RECENT_HOPS;
        if (energyDb < ABSOLUTE_FLOOR_DB) {
            // Digital silence or near-silence is never speech, and must not teach the noise
            // tracker that the room is silent: after a while the next sound seeds it afresh, so
            // noise that starts after zeros is learned as noise instead of read as speech.
            if (++quietHops == FLOOR_RESET_HOPS) {
                noise.reset();
                java.util.Arrays.fill(prevCleanSnr, 0f);
            }
            holding = false;
            decaying = false;
            heldCount = 0;
            return decide(0f);
        }
        quietHops = 0;
        noise.update(pw);
        float[] lambda = noise.noise();
        backgroundDb = energyDb < backgroundDb ? energyDb : backgroundDb + backgroundRiseDb;
        float talker = speechLevel.level();
        if (talker > Float.NEGATIVE_INFINITY) {
            float share = (NOISY_HIGH_DB - (talker - backgroundDb)) / (NOISY_HIGH_DB - NOISY_LOW_DB);
            extraSilenceHops = Math.round(Math.max(0f, Math.min(1f, share)) * noisyExtraHops);
        }
        float[] prev = prevCleanSnr;
        float[] terms = sc.terms;
        float[] factors = sc.factors;
        // Per bin, in short passes with no running sum, which the JIT unrolls and vectorises
        // (Math.min and max on floats included; a long loop body is not unrolled enough): the
        // two divisions per bin run in loops of their own, and the clamps in one loop between
        // them. prev holds this hop's a-priori SNR between the passes, and
        // the clean-speech SNR estimate unclamped after them; it is clamped where it is read.
        for (int k = 0; k < bins; k++) {
            terms[k] = pw[k] / lambda[k];
        }
        for (int k = 0; k < bins; k++) {
            float gamma = Math.min(terms[k], MAX_SNR);
            terms[k] = gamma;
            float xi = DD_ALPHA * Math.min(prev[k], MAX_SNR) + (1 - DD_ALPHA) * Math.max(gamma - 1, 0f);
            xi = Math.max(xi, 1e-3f);
            prev[k] = xi;
            factors[k] = 1 + xi;
        }
        for (int k = 0; k < bins; k++) {
            // g is also the Wiener gain, whose estimate of this hop's clean-speech SNR feeds the
            // next hop's a-priori SNR.
            float g = prev[k] / factors[k];
            float gamma = terms[k];
            terms[k] = gamma * g;
            prev[k] = g * g * gamma;
        }
        float llr = 0;
        float product = 1;
        int inProduct = 0;
        for (int k = 0; k < bins; k++) {
            llr += terms[k];
            // One logarithm per LOG_GROUP bins, of their product: each factor is at most about
            // MAX_SNR, so the product stays far inside the float range.
            product *= factors[k];
            if (++inProduct == LOG_GROUP) {
                llr -= fastLn(product);
                product = 1;
                inProduct = 0;
            }
        }
        if (inProduct > 0) {
            llr -= fastLn(product);
        }
        llr /= bins;
        float p = 1f / (1f + (float) Math.exp(-LLR_SLOPE * (sensitivity * llr - LLR_CENTER)));
        if (p > 0.5f) {
            speechLevel.add(energyDb);
        }
        if (!decision.speech() && energyDb < speechLevel.level() - ONSET_GATE_DB) {
            // Far quieter than the talker has recently been: a breath, a lip smack or a distant
            // sound, not the start of their next phrase.
            p = Math.min(p, decision.activation() * 0.99f);
        } else if (decision.speech() && energyDb < speechLevel.level() - CONTINUE_GATE_DB) {
            // Far quieter than the talker, in speech: the room after their last word.
            p = Math.min(p, decision.deactivation() * 0.5f);
        }
        if (gateDb > 0) {
            float level = speechLevel.level();
            if (level > Float.NEGATIVE_INFINITY) {
                float below = level - gateDb - energyDb;
                p *= 1f / (1f + (float) Math.exp(below / GATE_SOFTNESS_DB));
            }
        }
        return transientCheck(p, energyDb, jump);
    }

    /**
     * Holds back a sudden onset outside speech until it has either lasted like speech (then
     * its probabilities are replayed into the decision, late by the hold) or decayed like a
     * knock, click or dropped object: fallen far below its peak, or steadily by a few dB
     * without rising again. A rejected impulse is followed while it rings out; a sound rising
     * out of that ringing is suspect in turn (the next rap of a knock, a bounce), so it is
     * held back whatever its jump.
     */
    private float transientCheck(float p, float energyDb, float jump) {
        if (decaying) {
            if (energyDb <= ringMinDb + TRANSIENT_RISE_DB) {
                ringMinDb = Math.min(ringMinDb, energyDb);
                return decide(0f);
            }
            decaying = false;
            if (p >= decision.activation()) {
                startHold(energyDb);
            }
        } else if (!holding && !decision.speech() && jump >= TRANSIENT_JUMP_DB) {
            startHold(energyDb);
        }
        if (!holding) {
            return decide(p);
        }
        boolean falling = energyDb < holdLastDb - FALLING_DB;
        if (energyDb > holdPeakDb) {
            holdPeakDb = energyDb;
            roseAfterPeak = false;
        } else if (energyDb > holdLastDb + TRANSIENT_RISE_DB / 2) {
            roseAfterPeak = true;
        }
        holdLastDb = energyDb;
        boolean decayed = energyDb < holdPeakDb - TRANSIENT_DECAY_DB;
        held[heldCount++] = p;
        // Past the shortest hold, a sound still falling steadily from its peak is watched on
        // until it either levels off (a voice) or has fallen far enough to be an impulse.
        boolean stillFalling = falling && !roseAfterPeak && heldCount < held.length;
        if (!decayed && (heldCount < minHoldHops || stillFalling)) {
            lastProbability = 0f;
            return 0f;
        }
        holding = false;
        if (decayed || (!roseAfterPeak && energyDb < holdPeakDb - TRANSIENT_SOFT_DECAY_DB)) {
            // Died away within the hold: an impulse, not a voice.
            heldCount = 0;
            decaying = true;
            ringMinDb = energyDb;
            return decide(0f);
        }
        for (int i = 0; i < heldCount - 1; i++) {
            smoothedP = DECISION_SMOOTHING * smoothedP + (1 - DECISION_SMOOTHING) * held[i];
            decision.update(smoothedP);
        }
        heldCount = 0;
        return decide(p);
    }

    private void startHold(float energyDb) {
        holding = true;
        holdPeakDb = energyDb;
        holdLastDb = energyDb;
        roseAfterPeak = false;
        heldCount = 0;
    }

    private float decide(float p) {
        lastProbability = p;
        // In steady noise the probability of single hops flickers around the deactivation
        // threshold, which could hold a decision open indefinitely; a light smoothing stops that.
        smoothedP = DECISION_SMOOTHING * smoothedP + (1 - DECISION_SMOOTHING) * p;
        decision.update(smoothedP, extraSilenceHops);
        return p;
    }

    /**
     * Natural logarithm to within 2e-4 for positive normal floats: exponent from the bits, a
     * quartic fitted to log2 on the mantissa. The likelihood ratio needs one per bin per hop,
     * and {@link Math#log} there costs more than the FFT.
     */
    static float fastLn(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xFF) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        float log2m = -2.4967738f + m * (4.0283728f + m * (-2.0810602f + m * (0.62881573f + m * -0.079150366f)));
        return (exponent + log2m) * 0.6931472f;
    }

    /** Windows transformed so far (for tests). */
    long transforms() {
        return transforms;
    }

    /** Hangover added to {@code minSilence} for the background heard now (for tests). */
    java.time.Duration extraHangover() {
        return java.time.Duration.ofNanos(Math.round(extraSilenceHops * (double) hop / decimatedRate() * 1e9));
    }

    private int decimatedRate() {
        return decimator == null ? format.sampleRate() : format.sampleRate() / 2;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(tail, 0f);
        java.util.Arrays.fill(prevCleanSnr, 0f);
        if (decimator != null) {
            decimator.reset();
        }
        noise.reset();
        speechLevel.reset();
        fill = size - hop;
        zeroRun = fill;
        decision.reset();
        holding = false;
        decaying = false;
        heldCount = 0;
        java.util.Arrays.fill(recentDb, -120f);
        quietHops = FLOOR_RESET_HOPS;
        smoothedP = 0;
        backgroundDb = 0f;
        extraSilenceHops = 0;
        lastProbability = 0;
        last = VadResult.of(0f, false);
    }

    /**
     * Working arrays whose contents no later frame needs: the frame's samples after the tail,
     * the FFT's buffer, each bin's power, likelihood-ratio term and factor, and the
     * decimator's. A stream used to keep its own, and at thousands of streams a frame spent
     * much of its time fetching them from memory only to overwrite them; one set per thread,
     * shared by its streams in turn, stays in the cache. Grown (never shrunk) when a stream
     * with a longer window or frame than any before on the thread needs more.
     */
    private static final class Scratch {
        private float[] signal = new float[0];
        /** The FFT's buffer, and each bin's power, likelihood-ratio term gamma * g and factor 1 + xi this hop. */
        private float[] fft = new float[0];
        private float[] power = new float[0];
        private float[] terms = new float[0];
        private float[] factors = new float[0];
        private final HalfbandDecimator.Work decimation = new HalfbandDecimator.Work();

        /** At least {@code signalLength} signal samples and a window of {@code size} (which has fewer than size / 2 bins). */
        void ensure(int signalLength, int size) {
            if (signal.length < signalLength) {
                signal = new float[signalLength];
            }
            if (fft.length < size) {
                fft = new float[size];
                power = new float[size / 2];
                terms = new float[size / 2];
                factors = new float[size / 2];
            }
        }
    }

    /** A Hann window of {@code size} points, one array per size for all streams (it is only read). */
    private static float[] hann(int size) {
        return WINDOWS.computeIfAbsent(size, n -> {
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
            }
            return w;
        });
    }

    @Override
    public String toString() {
        return "DspVadStream[" + format + ", hop=" + hop + ", speech=" + decision.speech() + ", p=" + lastProbability + "]";
    }
}
