package io.parley.audio.echo;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.EchoCanceller;
import java.util.Arrays;

/**
 * Pure-Java acoustic echo cancellation built for barge-in: a linear adaptive filter learns the
 * echo path from the agent's audio as it played (delay and reverberation, up to
 * {@value #PATH_MILLIS} ms) and subtracts its prediction of the echo from the microphone, and
 * nothing suppresses what is left, so a user who starts talking over the agent comes through
 * from their first syllable instead of being held back with the echo. Whether a voiced frame
 * is the user or what the filter left of the echo is decided band by band against the residue
 * the filter is known to leave ({@link #userSpeech}), over the microphone's whole band (60 Hz
 * to 7.6 kHz), not only the voice band: many words start outside it (an /s/ above 4 kHz, a
 * plosive's breath burst below 150 Hz), where a telephone-band agent leaves little echo; while
 * the filter has not yet learned the
 * room (10 dB of echo removed: about 10 s of the agent's speech in a new session, since it
 * converges by 1 to 2 dB per second of speech), a barge-in must also stand above the echo of
 * what the agent recently played. What it learned is kept across replies, pauses and cuts;
 * only {@link #reset} (a new run of the session) forgets it.
 *
 * <pre>{@code
 * VoiceSession session = VoiceSession.builder()
 *         ...
 *         .echoCancellation(AdaptiveEchoCanceller.create())
 *         .build();
 * }</pre>
 *
 * <p>The filter adapts only while the far end plays and the frame is not the user's, and by
 * less as what it leaves exceeds the residue it expects, so the user talking does not teach
 * it their voice. It follows a linear path (a loudspeaker driven hard adds distortion it
 * cannot predict; the decision then hears that as the user only when it stands above the
 * learned residue). Works on 20 ms blocks at the microphone's rate; a session's 20 ms frames
 * come out with no added delay (other lengths are held back by less than a block). The far
 * end, mixed to mono and converted to the microphone's rate, waits in a queue (primed with
 * 20 ms, at most 120 ms) and goes in a block per microphone block.
 *
 * <p>One instance per session, used as {@link EchoCanceller} says: one thread at a time,
 * allocating nothing per frame after the first of each format. The microphone must be mono at
 * a rate with whole 20 ms blocks; a far end at another rate must be one {@link Resampler}
 * converts.
 */
public final class AdaptiveEchoCanceller implements EchoCanceller {

    /** Longest echo path followed: delay plus the reverberation worth removing. */
    static final int PATH_MILLIS = 800;
    private static final int BLOCK_MILLIS = 20;
    /** Far end queued before it is fed after running dry (20 ms), as the playout estimate advances in steps. */
    private static final int PRIME_MILLIS = 20;
    /** Far end queued beyond which the oldest is dropped (120 ms): the reference ran ahead of the capture. */
    private static final int MAX_QUEUE_MILLIS = 120;
    private static final double LOW_HZ = 150;
    private static final double HIGH_HZ = 3800;
    private static final int BANDS = 18;
    /**
     * Below the voice bands (18 from {@link #LOW_HZ} to {@link #HIGH_HZ}), one band from here,
     * and above them one band up to {@link #TOP_HZ} (or 95 % of the microphone's Nyquist
     * frequency): a user's first sound is often outside the voice band (the breath burst of a
     * plosive below 150 Hz, an /s/ above 4 kHz, up to 200 ms before the voice), and where the
     * agent's voice leaves little there (a telephone-band prompt leaves nothing above 4 kHz)
     * the echo bounds it by little, so it is heard at once.
     */
    private static final double BOTTOM_HZ = 60;
    private static final double TOP_HZ = 7600;
    private static final double FULL_SCALE = 32768.0 * 32768.0;

    private AudioFormat nearFormat;
    private int block;
    private EchoFilter filter;
    private ResidueJudge judge;
    private SampleQueue nearQueue;
    private SampleQueue outQueue;
    private short[] nearBlock;
    private short[] farBlock;
    private short[] outBlock;

    private AudioFormat farFormat;
    /** The far end mixed to mono at its own rate, until the next microphone frame converts it. */
    private SampleQueue farRaw;
    private short[] mono;
    private short[] converted;
    private Resampler resampler;
    private int resamplerRate;
    /** The far end at the microphone's rate, waiting for the blocks it goes with. */
    private SampleQueue farQueue;
    private int farPrime;
    private int farMax;
    private boolean primed;

    /** A block was cancelled since the last {@link #userSpeech} and has not been judged or learned from. */
    private boolean pending;
    private float pendingMic;
    private float pendingErr;
    private boolean lastSaid;

    private AdaptiveEchoCanceller() {
    }

    /** A canceller for one session. */
    public static AdaptiveEchoCanceller create() {
        return new AdaptiveEchoCanceller();
    }

    @Override
    public void played(AudioFrame farEnd) {
        if (!farEnd.format().equals(farFormat)) {
            farFormat(farEnd.format());
        }
        int channels = farFormat.channels();
        int frames = farEnd.length() / channels;
        short[] src = farEnd.samples();
        int from = 0;
        if (frames > farRaw.capacity()) {
            // Far more than the capture can have caught up with: keep the newest.
            from = frames - farRaw.capacity();
        }
        int room = farRaw.capacity() - farRaw.size();
        if (frames - from > room) {
            farRaw.drop(Math.min(farRaw.size(), frames - from - room));
        }
        for (int i = from; i < frames; i += mono.length) {
            int n = Math.min(mono.length, frames - i);
            for (int k = 0; k < n; k++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += src[(i + k) * channels + c];
                }
                mono[k] = (short) (sum / channels);
            }
            farRaw.add(mono, 0, n);
        }
    }

    @Override
    public void cancel(AudioFrame nearEnd, AudioFrame out) {
        if (!nearEnd.format().equals(nearFormat)) {
            nearFormat(nearEnd.format());
        }
        if (farFormat == null) {
            // Silence until the agent first plays, at the microphone's format.
            farFormat(nearFormat);
        }
        convertFar();
        if (farQueue.size() > farMax) {
            // The reference ran ahead of the capture (a long burst of playout estimates): resync.
            farQueue.drop(farQueue.size() - farPrime);
        }
        int n = nearEnd.length();
        nearQueue.add(nearEnd.samples(), 0, n);
        while (nearQueue.size() >= block) {
            if (pending) {
                // The last block was not judged (no detector verdict): learn as if it were not the user.
                learn(false);
            }
            feedFarBlock();
            nearQueue.poll(nearBlock, 0, block);
            filter.cancel(farBlock, 0, nearBlock, 0);
            judge.far(filter.farBands, meanSquare(farBlock));
            float[] err = filter.error();
            double errEnergy = 0;
            for (int i = 0; i < block; i++) {
                float v = err[i];
                errEnergy += (double) v * v;
                outBlock[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
            }
            outQueue.add(outBlock, 0, block);
            pendingMic = meanSquare(nearBlock);
            pendingErr = (float) (errEnergy / block / FULL_SCALE);
            pending = true;
        }
        short[] dst = out.samples();
        int have = outQueue.size();
        if (have >= n) {
            outQueue.poll(dst, 0, n);
        } else {
            // A frame that ends inside a block: its tail comes out with the next frame.
            Arrays.fill(dst, 0, n - have, (short) 0);
            outQueue.poll(dst, n - have, have);
        }
    }

    /**
     * Whether the frame just cancelled is the user's: the detector heard a voice, and enough of
     * the frame's energy stands above what the filter is known to leave of the echo (and, until
     * it has learned the room, above the far end recently played). Speech starts on one such
     * frame and lasts while they keep coming within 200 ms of voiced frames.
     */
    @Override
    public boolean userSpeech(AudioFrame cancelled, boolean voice) {
        if (pending) {
            lastSaid = learn(voice);
            return lastSaid;
        }
        return voice && lastSaid;
    }

    private boolean learn(boolean voice) {
        boolean said = judge.user(voice, filter.errBands, filter.echoBands, pendingMic, pendingErr);
        filter.adapt(judge.step());
        pending = false;
        return said;
    }

    @Override
    public void reset() {
        if (filter != null) {
            filter.reset();
            judge.reset();
            nearQueue.clear();
            outQueue.clear();
        }
        if (farQueue != null) {
            farQueue.clear();
        }
        if (farRaw != null) {
            farRaw.clear();
        }
        if (resampler != null) {
            resampler.reset();
        }
        primed = false;
        pending = false;
        lastSaid = false;
    }

    private void nearFormat(AudioFormat format) {
        if (format.channels() != 1) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "echo cancellation needs mono microphone audio; the session's input format is "
                    + format);
        }
        if (format.sampleRate() % (1000 / BLOCK_MILLIS) != 0) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "echo cancellation needs a sample rate with whole 20 ms blocks;"
                    + " the session's input format is " + format);
        }
        nearFormat = format;
        block = format.samplesFor(BLOCK_MILLIS);
        double top = Math.min(TOP_HZ, 0.475 * format.sampleRate());
        // At 8 kHz the voice bands already reach the top.
        boolean above = top > HIGH_HZ * 1.25;
        double[] edges = new double[BANDS + 2 + (above ? 1 : 0)];
        edges[0] = BOTTOM_HZ;
        for (int b = 0; b <= BANDS; b++) {
            edges[b + 1] = LOW_HZ * Math.pow(HIGH_HZ / LOW_HZ, (double) b / BANDS);
        }
        if (above) {
            edges[edges.length - 1] = top;
        }
        filter = new EchoFilter(block, format.samplesFor(PATH_MILLIS), format.sampleRate(), edges);
        judge = new ResidueJudge(edges.length - 1, 1, BANDS + 1);
        nearQueue = new SampleQueue(2 * block);
        outQueue = new SampleQueue(3 * block);
        nearBlock = new short[block];
        farBlock = new short[block];
        outBlock = new short[block];
        farPrime = format.samplesFor(PRIME_MILLIS);
        farMax = format.samplesFor(MAX_QUEUE_MILLIS);
        farQueue = new SampleQueue(2 * farMax + 2 * block);
        primed = false;
        pending = false;
        resampler = null;
        resamplerRate = 0;
    }

    private void farFormat(AudioFormat format) {
        farFormat = format;
        farRaw = new SampleQueue(2 * format.sampleRate() * MAX_QUEUE_MILLIS / 1000);
        mono = new short[format.sampleRate() * BLOCK_MILLIS / 1000];
        resamplerRate = 0;
    }

    /** Moves the far end handed over so far to the microphone's rate. */
    private void convertFar() {
        int rate = farFormat.sampleRate();
        if (rate != nearFormat.sampleRate() && resamplerRate != rate) {
            if (!Resampler.supports(rate) || !Resampler.supports(nearFormat.sampleRate())) {
                throw new SessionException(ErrorCode.INVALID_AUDIO, "echo cancellation cannot convert the session's output rate "
                        + rate + " Hz to its input rate " + nearFormat.sampleRate() + " Hz");
            }
            resampler = Resampler.create(rate, nearFormat.sampleRate(), 1);
            converted = new short[resampler.outputCapacity(mono.length)];
            resamplerRate = rate;
        }
        while (farRaw.size() > 0) {
            int n = Math.min(mono.length, farRaw.size());
            farRaw.poll(mono, 0, n);
            if (rate == nearFormat.sampleRate()) {
                addFar(mono, n);
            } else {
                addFar(converted, resampler.process(mono, 0, n, converted, 0));
            }
        }
    }

    private void addFar(short[] src, int n) {
        int room = farQueue.capacity() - farQueue.size();
        if (n > room) {
            farQueue.drop(Math.min(farQueue.size(), n - room));
        }
        farQueue.add(src, 0, n);
    }

    /**
     * The far end for the next block: the next block of the queue once it is primed, what is
     * left of it padded with silence when it runs dry, silence while it is empty.
     */
    private void feedFarBlock() {
        int queued = farQueue.size();
        if (!primed && queued >= farPrime) {
            primed = true;
        }
        if (primed && queued >= block) {
            farQueue.poll(farBlock, 0, block);
            return;
        }
        int n = primed ? queued : 0;
        farQueue.poll(farBlock, 0, n);
        Arrays.fill(farBlock, n, block, (short) 0);
        primed = false;
    }

    private static float meanSquare(short[] x) {
        double e = 0;
        for (short v : x) {
            e += (double) v * v;
        }
        return (float) (e / x.length / FULL_SCALE);
    }
}
