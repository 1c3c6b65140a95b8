package io.parley.audio.prosody;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import java.util.Objects;

/**
 * Follows one speaker's pitch and loudness in steps of 20 ms, so that when they stop speaking
 * {@link #snapshot()} can say how the last voiced stretch ended: falling or level pitch, low or
 * high in the speaker's range, drawn out or clipped, fading or abrupt.
 *
 * <p>Pitch comes from the YIN method (cumulative mean normalised difference, absolute
 * threshold, parabolic refinement) on the first channel, box-filtered down to about 4 kHz, over
 * a 20 ms window with lags for 60-400 Hz; it is estimated only on steps the caller marks as
 * voiced, which is where it means something and what keeps the cost down. Loudness is the
 * step's RMS level. The last second of both is kept in rings, with the speaker's running
 * average pitch and typical voiced-stretch length.
 *
 * <p>{@link #process} allocates nothing; {@link #snapshot()} allocates its result. Not
 * thread-safe: one audio thread feeds it and takes the snapshots.
 */
public final class ProsodyTracker {

    private static final int HISTORY = 64;
    private static final double MIN_PITCH_HZ = 60;
    private static final double MAX_PITCH_HZ = 400;
    /** YIN's absolute threshold on the normalised difference. */
    private static final float YIN_THRESHOLD = 0.35f;
    /** Quietest frame, in dBFS, in which pitch is looked for. */
    private static final double PITCH_FLOOR_DB = -65;
    /** How much of the end of the last stretch the pitch slope is fitted over. */
    private static final long SLOPE_NANOS = 300_000_000L;
    private static final long DECAY_NANOS = 200_000_000L;
    /** Frames of voiceless ending searched back through for the last pitched frame (300 ms). */
    private static final int CODA_FRAMES = 15;
    /** Least number of pitched frames a slope is fitted to. */
    private static final int MIN_SLOPE_POINTS = 4;
    /** Unpitched frames a voiced stretch may contain (a voiceless consonant) before it ends. */
    private static final int MAX_GAP = 2;
    /** Weight of each new pitched frame in the speaker's average pitch (about two seconds of voice). */
    private static final double PITCH_AVERAGE_RATE = 0.01;
    private static final double STRETCH_AVERAGE_RATE = 0.1;
    /** Octave errors: a pitch this far from the speaker's average is not believed. */
    private static final double MAX_DEVIATION_SEMITONES = 10;
    /**
     * About the rate the pitch is sought at. A voice's pitch (60-400 Hz) and the low harmonics
     * that carry its periodicity lie below 2 kHz. At 4 kHz rather than 8 the window and the
     * lags are half as many, so the search, most of the tracker's cost and about a fifth of the
     * inbound path's, costs a quarter: the tracker took 2.0 instead of 4.1 us per frame at
     * 2,000 streams (benchmarks' FrameCpu). The snapshots at the real turns' offsets moved
     * little (ProsodyProbe: finality within 0.06 at all but one of 34), and TurnEval's tuning
     * split kept its cut-offs and delays.
     */
    private static final double PITCH_RATE_HZ = 4000;

    private final int channels;
    private final int factor;
    /**
     * 1 / {@link #factor}, and whether multiplying by it gives exactly the quotient, as it does
     * for a power of two: a multiplication instead of a division per decimated sample.
     */
    private final float scale;
    private final boolean exactScale;
    private final double rate;
    private final int minLag;
    private final int maxLag;
    private final int window;
    /** Samples per channel in one analysis step (20 ms), and how many of the current step came so far. */
    private final int step;
    private int stepFilled;
    private long stepEnergy;
    /**
     * The first channel's samples in a ring, the newest at {@link #received} - 1 (modulo its
     * length): at least the {@link #rawSpan} newest, which the pitch search reads once
     * decimated. Kept raw and decimated only for a frame whose pitch is sought, so a frame
     * without voice costs a copy and its level. A ring rather than a buffer whose newest part
     * is moved to the front every few frames: with thousands of streams on a thread that move
     * read and wrote again lines that had left the cache, and the ring takes less than half the memory.
     */
    private final short[] raw;
    /** {@link #raw}'s length minus one: its length is a power of two. */
    private final int rawMask;
    private final int rawSpan;
    /** The raw samples decimated, for the pitch search: window + maxLag + 1 samples. */
    private final float[] signal;
    /** Samples per channel taken since the start or the last reset. */
    private long received;
    /**
     * {@link #received} when {@link #signal} was last decimated, or -1 if it does not hold
     * decimated audio. Voiced frames come in runs, and the window of one overlaps the one before
     * by more than half: that part is moved, not decimated again.
     */
    private long signalEnd = -1;
    private final float[] diff;
    /** The difference sums of the lags {@link #yin} takes together. */
    private final float[] lagSums = new float[4];

    // Rings of the last HISTORY steps ("frames" below: 20 ms each), indexed by step number modulo HISTORY.
    /**
     * Per frame: pitch (semitones), level (dB), voiced (1 or 0) and end time (ns), as bits in
     * four slots side by side, so that one frame's entries share a cache line: with thousands
     * of streams on a thread, each array touched per frame is a cache miss.
     */
    private final long[] history = new long[4 * HISTORY];
    private long frames;

    private double averagePitch = Double.NaN;
    private int pitchedFrames;
    private double typicalStretchFrames = 10;
    private int stretchFrames;
    private int gapFrames;

    /** @param format the audio it will be given (any rate and channel count; the first channel is used) */
    public ProsodyTracker(AudioFormat format) {
        Objects.requireNonNull(format, "format");
        this.channels = format.channels();
        this.factor = Math.max(1, (int) Math.round(format.sampleRate() / PITCH_RATE_HZ));
        this.scale = 1f / factor;
        this.exactScale = Integer.bitCount(factor) == 1;
        this.rate = (double) format.sampleRate() / factor;
        this.minLag = (int) Math.floor(rate / MAX_PITCH_HZ);
        this.maxLag = (int) Math.ceil(rate / MIN_PITCH_HZ);
        this.window = (int) Math.round(rate * 0.02);
        this.step = Math.max(1, (int) Math.round(format.sampleRate() * 0.02));
        this.signal = new float[window + maxLag + 1];
        this.diff = new float[maxLag + 2];
        this.rawSpan = signal.length * factor;
        this.raw = new short[Integer.highestOneBit(rawSpan - 1) << 1];
        this.rawMask = raw.length - 1;
    }

    /**
     * Takes audio of any length. It is analysed in steps of 20 ms of its own time, whatever
     * the frames' sizes: a host that sends 10 ms frames or odd-sized chunks gets the same
     * pitch track and the same snapshot as one that sends 20 ms frames, and the pitch search
     * runs once per 20 ms, not once per call.
     *
     * @param frame  the audio, in the format given at construction
     * @param voice  whether the frame holds voice (the VAD's verdict); pitch is only sought
     *               there. A step is voiced if the frame that completes it is.
     */
    public void process(AudioFrame frame, boolean voice) {
        short[] s = frame.samples();
        int count = (frame.length() + channels - 1) / channels;
        for (int done = 0; done < count; ) {
            int take = Math.min(count - done, step - stepFilled);
            keep(s, done, take);
            stepEnergy += energy(s, done, take);
            stepFilled += take;
            done += take;
            if (stepFilled == step) {
                analyse(voice, frame.timestampNanos() + frame.format().nanosFor((long) done * channels));
                stepFilled = 0;
                stepEnergy = 0;
            }
        }
    }

    /** Pitch and level of the step just completed, which ended at {@code endNanos}. */
    private void analyse(boolean voice, long endNanos) {
        double db = 10 * Math.log10((double) stepEnergy / step / (32768.0 * 32768.0) + 1e-12);
        double f0 = voice && db > PITCH_FLOOR_DB && received >= rawSpan ? yin() : Double.NaN;
        double semis = Double.NaN;
        if (!Double.isNaN(f0)) {
            semis = 12 * Math.log(f0 / 100.0) / Math.log(2);
            if (pitchedFrames > 25 && Math.abs(semis - averagePitch) > MAX_DEVIATION_SEMITONES) {
                semis = Double.NaN;
            }
        }
        int at = (int) (frames % HISTORY);
        history[4 * at] = Double.doubleToRawLongBits(semis);
        history[4 * at + 1] = Double.doubleToRawLongBits(db);
        history[4 * at + 2] = voice ? 1 : 0;
        history[4 * at + 3] = endNanos;
        frames++;
        if (!Double.isNaN(semis)) {
            averagePitch = Double.isNaN(averagePitch) ? semis : averagePitch + PITCH_AVERAGE_RATE * (semis - averagePitch);
            pitchedFrames++;
            stretchFrames += gapFrames + 1;
            gapFrames = 0;
        } else if (stretchFrames > 0 && ++gapFrames > MAX_GAP) {
            if (stretchFrames >= 3) {
                typicalStretchFrames += STRETCH_AVERAGE_RATE * (stretchFrames - typicalStretchFrames);
            }
            stretchFrames = 0;
            gapFrames = 0;
        }
    }

    /** The sum of the squares of the first channel's samples {@code from .. from + take} (per channel). */
    private long energy(short[] s, int from, int take) {
        // Integer sums are exact: the same in any order and for any split of the step.
        long energy = 0;
        if (channels == 1) {
            // Mono, the common case: a loop of unit stride rather than one whose stride the
            // compiler does not know.
            for (int i = from, end = from + take; i < end; i++) {
                int v = s[i];
                energy += v * v;
            }
        } else {
            for (int i = from * channels, end = (from + take) * channels; i < end; i += channels) {
                int v = s[i];
                energy += v * v;
            }
        }
        return energy;
    }

    /** Appends the first channel of the frame's samples {@code from .. from + take} (per channel) to {@link #raw}. */
    private void keep(short[] s, int from, int take) {
        int at = (int) received & rawMask;
        if (channels == 1) {
            int first = Math.min(take, raw.length - at);
            System.arraycopy(s, from, raw, at, first);
            System.arraycopy(s, from + first, raw, 0, take - first);
        } else {
            for (int i = from * channels, j = at, end = (from + take) * channels; i < end; i += channels, j = (j + 1) & rawMask) {
                raw[j] = s[i];
            }
        }
        received += take;
    }

    /** {@link #raw} box-filtered down to {@link #signal}'s rate, aligned on the newest sample. */
    private float[] decimate() {
        int from = 0;
        int fresh = step / factor;
        if (signalEnd == received - step && step % factor == 0) {
            // The means of the groups seen the step before, aligned the same way.
            System.arraycopy(signal, fresh, signal, 0, signal.length - fresh);
            from = signal.length - fresh;
        }
        short[] r = raw;
        int mask = rawMask;
        for (int k = from, i = (int) (received - rawSpan) + from * factor; k < signal.length; k++) {
            int sum = 0;
            for (int end = i + factor; i < end; i++) {
                sum += r[i & mask];
            }
            signal[k] = exactScale ? sum * scale : (float) sum / factor;
        }
        signalEnd = received;
        return signal;
    }

    /** The pitch of the latest window in Hz, or NaN if it is not periodic enough. */
    private double yin() {
        float[] x = decimate();
        int w = window;
        // Compare the newest window with the audio before it.
        int base = x.length - w;
        diff[0] = 1;
        float running = 0;
        // The lag is the first below the threshold, walked down to the bottom of its dip. Lags
        // are taken in order and the running mean needs only the ones before, so the search
        // stops one lag past that bottom: the same answer as computing all lags, at a fraction
        // of the cost for a voice above the lowest pitch. The difference sums are most of the
        // tracker's time; as float sums they do not vectorise, so four lags are summed side by
        // side (four independent additions in flight, one load of the window's sample), each
        // in the same order as alone.
        int found = -1;
        float[] sums = lagSums;
        for (int first = 1; first <= maxLag; first += 4) {
            int lags = Math.min(4, maxLag - first + 1);
            if (lags == 4) {
                float d0 = 0;
                float d1 = 0;
                float d2 = 0;
                float d3 = 0;
                for (int j = 0; j < w; j++) {
                    int at = base + j;
                    float now = x[at];
                    float e0 = now - x[at - first];
                    float e1 = now - x[at - first - 1];
                    float e2 = now - x[at - first - 2];
                    float e3 = now - x[at - first - 3];
                    d0 += e0 * e0;
                    d1 += e1 * e1;
                    d2 += e2 * e2;
                    d3 += e3 * e3;
                }
                sums[0] = d0;
                sums[1] = d1;
                sums[2] = d2;
                sums[3] = d3;
            } else {
                for (int k = 0; k < lags; k++) {
                    float d = 0;
                    for (int j = 0; j < w; j++) {
                        float e = x[base + j] - x[base + j - first - k];
                        d += e * e;
                    }
                    sums[k] = d;
                }
            }
            for (int k = 0; k < lags; k++) {
                int tau = first + k;
                float d = sums[k];
                running += d;
                diff[tau] = running == 0 ? 1 : d * tau / running;
                if (found >= 0) {
                    if (diff[tau] < diff[found]) {
                        found = tau;
                    } else {
                        return refine(found);
                    }
                } else if (tau >= minLag && diff[tau] < YIN_THRESHOLD) {
                    found = tau;
                }
            }
        }
        return found < 0 ? Double.NaN : refine(found);
    }

    /** The pitch for lag {@code found}, refined between its neighbours' differences. */
    private double refine(int found) {
        double refined = found;
        if (found > minLag && found < maxLag) {
            double a = diff[found - 1];
            double b = diff[found];
            double c = diff[found + 1];
            double denom = a - 2 * b + c;
            if (denom > 0) {
                refined = found + 0.5 * (a - c) / denom;
            }
        }
        return rate / refined;
    }

    /**
     * How the speaker's last voiced stretch ended, from the frames seen so far. Meant for the
     * moment the VAD reports the end of speech; frames after the voice stopped are skipped.
     */
    public Prosody snapshot() {
        if (frames == 0) {
            return Prosody.UNKNOWN;
        }
        long oldest = Math.max(0, frames - HISTORY);
        long lastVoiced = -1;
        for (long f = frames - 1; f >= oldest; f--) {
            if (voiced((int) (f % HISTORY))) {
                lastVoiced = f;
                break;
            }
        }
        if (lastVoiced < 0) {
            return Prosody.UNKNOWN;
        }
        long lastPitched = -1;
        // A final voiceless consonant ("clubs", "himself") may follow the last pitched frame.
        for (long f = lastVoiced; f >= oldest && lastVoiced - f < CODA_FRAMES; f--) {
            if (!Double.isNaN(pitch((int) (f % HISTORY)))) {
                lastPitched = f;
                break;
            }
        }
        double slope = Double.NaN;
        double finalPitch = Double.NaN;
        double lengthening = Double.NaN;
        if (lastPitched >= 0) {
            long endAt = endNanos((int) (lastPitched % HISTORY));
            // Least squares of semitones against time over the end of the last stretch.
            Fit fit = new Fit();
            int gap = 0;
            long stretchStart = lastPitched;
            for (long f = lastPitched; f >= oldest; f--) {
                int i = (int) (f % HISTORY);
                if (Double.isNaN(pitch(i))) {
                    if (++gap > MAX_GAP) {
                        break;
                    }
                    continue;
                }
                gap = 0;
                stretchStart = f;
                if (endAt - endNanos(i) <= SLOPE_NANOS) {
                    fit.add((endNanos(i) - endAt) / 1e9, pitch(i));
                }
            }
            slope = fit.slope(MIN_SLOPE_POINTS);
            double end = pitch((int) (lastPitched % HISTORY));
            long prev = lastPitched - 1;
            if (prev >= oldest && !Double.isNaN(pitch((int) (prev % HISTORY)))) {
                end = (end + pitch((int) (prev % HISTORY))) / 2;
            }
            if (pitchedFrames > 25) {
                finalPitch = end - averagePitch;
            }
            lengthening = (lastPitched - stretchStart + 1) / typicalStretchFrames;
        }
        double decay = levelSlope(lastVoiced, oldest);
        return new Prosody(slope, finalPitch, lengthening, decay);
    }

    private double pitch(int i) {
        return Double.longBitsToDouble(history[4 * i]);
    }

    private double level(int i) {
        return Double.longBitsToDouble(history[4 * i + 1]);
    }

    private boolean voiced(int i) {
        return history[4 * i + 2] != 0;
    }

    private long endNanos(int i) {
        return history[4 * i + 3];
    }

    /** Least squares of level against time over the last {@link #DECAY_NANOS} up to {@code last}. */
    private double levelSlope(long last, long oldest) {
        long endAt = endNanos((int) (last % HISTORY));
        Fit fit = new Fit();
        for (long f = last; f >= oldest; f--) {
            int i = (int) (f % HISTORY);
            if (endAt - endNanos(i) > DECAY_NANOS) {
                break;
            }
            fit.add((endNanos(i) - endAt) / 1e9, level(i));
        }
        return fit.slope(3);
    }

    /** A least-squares line through points added one by one; used at snapshots only. */
    private static final class Fit {
        private double sx;
        private double sy;
        private double sxx;
        private double sxy;
        private int n;

        void add(double x, double y) {
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            n++;
        }

        /** The slope, or NaN with fewer than {@code minPoints} points or no spread in x. */
        double slope(int minPoints) {
            double denom = n * sxx - sx * sx;
            return n < minPoints || denom <= 0 ? Double.NaN : (n * sxy - sx * sy) / denom;
        }
    }

    /** The speaker's running average pitch in Hz, NaN before any voiced frame. */
    public double averagePitchHz() {
        return Double.isNaN(averagePitch) ? Double.NaN : 100 * Math.pow(2, averagePitch / 12);
    }

    /** Forgets the speaker, as for a new conversation. */
    public void reset() {
        frames = 0;
        received = 0;
        signalEnd = -1;
        stepFilled = 0;
        stepEnergy = 0;
        averagePitch = Double.NaN;
        pitchedFrames = 0;
        typicalStretchFrames = 10;
        stretchFrames = 0;
        gapFrames = 0;
    }
}
