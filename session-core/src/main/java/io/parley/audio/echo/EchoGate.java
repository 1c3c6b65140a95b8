package io.parley.audio.echo;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.EchoSuppressor;
import java.util.Arrays;

/**
 * An echo gate in pure Java: while the agent's voice may be coming back through the user's
 * microphone, a frame only counts as user speech if its energy clearly exceeds the echo
 * predicted from the far-end reference, band by band; otherwise the voice activity detector's
 * verdict stands unchanged. It does not alter the audio: recognition hears what the microphone
 * heard.
 *
 * <p>Every 20 ms it splits the near end and the far-end reference into {@value #BANDS} bands
 * (150 Hz to 3.8 kHz, so telephone audio works too), finds the echo path delay (up to a second)
 * by correlating level envelopes over the last two seconds, and learns each band's echo gain
 * as a high quantile of near-to-far ratios while the user is not talking and the reference
 * at that delay is fresh (not only the reverberation hold). The predicted echo is the far
 * end's band energy around that delay, held with a slow decay for room reverberation, times the gain.
 * A block is the user's when most of its energy lies at least {@link Builder#marginDb margin}
 * above the prediction; user speech starts after two such blocks out of three and lasts while
 * the detector hears voice and such blocks keep coming within a hangover. Energy above the
 * prediction in bands where the far end is quiet at the echo's delay is the user's (the echo
 * there only decays), so from such a block on the gains do not learn for half a second: a user
 * the gate has not heard yet is not learned as echo.
 *
 * <p>Until the echo path is learned (about a second of the agent's speech) the gate assumes
 * echo as loud as the reference at any delay up to a second, so early barge-ins must be louder
 * than the agent to count; the gains start there and move fast while young.
 * Each time the agent starts again after a pause (200 ms), the same unknown-delay bound holds until its
 * sound has had time to return at the learned delay, so a stale or chance delay cannot let the
 * first syllables of a reply through. When the agent has been silent for over a second it is
 * transparent.
 *
 * <p>Reference and microphone are paired by media time: what {@link #played} hands over before
 * a microphone frame is what played while that frame was captured, so it is placed on the
 * frame's own span of the far-end timeline (the newest audio ending the span, silence where
 * less came), never queued behind earlier surplus.
 * It allocates nothing per frame after the first frames of each format; not thread-safe.
 */
public final class EchoGate implements EchoSuppressor {

    static final int BLOCK_MS = 20;
    static final int BANDS = 18;
    /** Far-end history searched for the echo, in blocks: one second. */
    static final int HISTORY = 50;
    private static final double LOW_HZ = 150;
    private static final double HIGH_HZ = 3800;
    /** Far-end or near-end block energy below which a block is silent (about -70 dBFS). */
    private static final float SILENT = 1e-7f;
    /** Reverberation hold: the predicted echo decays by 1.5 dB per block at most. */
    private static final float TAIL_DECAY = (float) Math.pow(10, -1.5 / 10);
    /**
     * A band's gain learns only from blocks whose reference at the echo's delay is within 6 dB
     * of the held prediction. The hold decays more slowly than a room's own reverberation, so
     * the stretches where it alone carries the prediction show echo well below it and would talk
     * the gain down; the echo of the next loud onset then came back above gain and margin
     * (EchoEval seed 2 with bursts, reply 48: 8 dB above, a false barge-in).
     */
    private static final float FRESH_SHARE = 0.25f;
    /** Quantile tracking of the gain in dB: up and down steps give the 80th percentile. */
    private static final float GAIN_UP_DB = 1.2f;
    private static final float GAIN_DOWN_DB = 0.3f;
    private static final float INITIAL_GAIN_DB = 0f;
    private static final float MIN_GAIN_DB = -60f;
    /** Extra margin while the echo path delay is unknown (6 dB). */
    private static final float UNSURE = 4f;
    /** How far above the near end's noise floor the user's part must be (6 dB). */
    private static final float NOISE_MARGIN = 4f;
    /** The noise floor rises by 0.05 dB per block (2.5 dB a second) when nothing quieter comes. */
    private static final float NOISE_RISE = (float) Math.pow(10, 0.05 / 10);
    /** Learning updates per band with {@link #FAST_STEP} times larger upward steps. */
    private static final int FAST_BLOCKS = 40;
    private static final float FAST_STEP = 4f;
    /**
     * While learning a new path the gain also falls this many times faster than when settled.
     * It starts at the prior (echo as loud as the reference), about 10 dB above a speakerphone's
     * echo; at the settled pace it came down only after a second and a half of the first reply,
     * and a user talking over it meanwhile had to be that much louder than the echo (traced in
     * EchoGateSweep --cold on, tuning seeds 6 to 9: gains 0 to +4 dB at the user's onset, 20 of
     * 160 first-reply barge-ins not heard within a second).
     */
    private static final float FAST_DOWN = 3f;
    /**
     * Share of a block's energy above the margin in bands where no echo can be (the far end at
     * the echo's delay is quiet there and only the reverberation hold predicts, which decays
     * more slowly than the room) that marks the user talking. Echo never showed any there
     * (EchoGateSweep, tuning seeds 6 and 7: 0 of about 12,000 voiced echo-only blocks 10 dB
     * above the noise floor), the user did in 30 % of the blocks of the first 800 ms.
     */
    private static final float DOUBLE_TALK_SHARE = 0.05f;
    /**
     * Blocks after such a block from which the gains do not learn (500 ms): the user's speech
     * between those blocks is mostly in bands where echo could be, and learning it as echo
     * raised the gains by 5 to 7 dB within a second of a barge-in the gate had not yet heard,
     * which then stayed unheard (EchoGateSweep, tuning seed 7, two of 40).
     */
    private static final int DOUBLE_TALK_HOLD = 25;
    /** Far-end silence after which its sound starting again is a new reply (200 ms: longer than most gaps between words). */
    private static final int START_GAP = 10;
    /**
     * How much earlier (80 ms) and later (40 ms) than the learned delay the echo may come back,
     * in blocks. The session releases the reference as far as playout is estimated to have
     * reached when each microphone frame was captured, and that estimate can run late by tens
     * of milliseconds (the transport counts played audio a frame at a time, and a re-estimate
     * behind what was already handed over is not handed over twice), so the echo can arrive
     * before its reference is where the learned delay says; traced in EchoEval, where a window
     * of 40 ms either way let such echo through as the user.
     */
    private static final int EARLY_BLOCKS = 4;
    private static final int LATE_BLOCKS = 2;
    /**
     * Longest inbound frame whose far end is placed in full, in milliseconds; of a longer frame
     * only the newest {@value} ms of what played is kept (the session hands 20 ms frames).
     */
    private static final int MAX_FRAME_MS = 120;

    private final float margin;
    private final float userShare;
    private final int hangoverBlocks;

    private final double[] edges = new double[BANDS + 1];
    private final float[] nearBands = new float[BANDS];
    private final float[] farBands = new float[BANDS];
    private final float[] wideTail = new float[BANDS];
    private final float[] wideGainDb = new float[BANDS];
    private final float[] wideGain = new float[BANDS];
    private final float[] narrowTail = new float[BANDS];
    private final float[] narrowGainDb = new float[BANDS];
    private final float[] narrowGain = new float[BANDS];
    /** This block's reference before the reverberation hold, per band (wide and narrow windows). */
    private final float[] wideFresh = new float[BANDS];
    private final float[] narrowFresh = new float[BANDS];
    /** Learning updates per band so far (counted on the wide prediction). */
    private final int[] learned = new int[BANDS];
    private final float[][] history = new float[HISTORY][BANDS];
    private final boolean[] historyActive = new boolean[HISTORY];
    private final DelayEstimator delay = new DelayEstimator(HISTORY);

    private AudioFormat nearFormat;
    private AudioFormat farFormat;
    private BandAnalyzer nearAnalyzer;
    private BandAnalyzer farAnalyzer;
    private float[] nearBlock;
    private int nearFill;
    private float[] farBlock;
    /** What played since the previous inbound frame, newest {@link #MAX_FRAME_MS} ms (a ring by arrival). */
    private float[] farPending;
    private long farIn;
    private int farNew;
    /**
     * The far end on the inbound frames' timeline (a ring): each frame's span holds what played
     * while it was captured, silence where nothing did.
     */
    private float[] farTrack;
    /** The far-end timeline position of the end of the newest inbound frame. */
    private long farTime;
    /** Far-end samples per inbound sample, as a fraction: far rate over near rate. */
    private int farRemainder;
    private int newest = -1;
    private int blocksSinceFar = Integer.MAX_VALUE;
    /** Blocks since the far end began to sound after a pause. */
    private int sinceFarStart = Integer.MAX_VALUE;
    /** Far-end blocks with sound in the history. */
    private int farActiveBlocks;
    /** The last three blocks' verdicts, newest in bit 0. */
    private int recent;
    private int sinceUser = Integer.MAX_VALUE;
    /** Blocks since one showed user energy where no echo can be. */
    private int sinceDoubleTalk = Integer.MAX_VALUE;
    private boolean open;
    private boolean echoPossible;
    /** The near end's noise floor: the quietest recent block, rising slowly. */
    private float noiseFloor;

    private EchoGate(Builder b) {
        this.margin = (float) Math.pow(10, b.marginDb / 10);
        this.userShare = b.userShare;
        this.hangoverBlocks = b.hangoverMillis / BLOCK_MS;
        double ratio = HIGH_HZ / LOW_HZ;
        for (int i = 0; i <= BANDS; i++) {
            edges[i] = LOW_HZ * Math.pow(ratio, (double) i / BANDS);
        }
        reset();
    }

    /** A gate with the default settings. */
    public static EchoGate create() {
        return builder().build();
    }

    /** A builder for a gate with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void reset() {
        Arrays.fill(wideTail, 0f);
        Arrays.fill(narrowTail, 0f);
        Arrays.fill(wideGainDb, INITIAL_GAIN_DB);
        Arrays.fill(narrowGainDb, INITIAL_GAIN_DB);
        float g = (float) Math.pow(10, INITIAL_GAIN_DB / 10);
        Arrays.fill(wideGain, g);
        Arrays.fill(narrowGain, g);
        Arrays.fill(learned, 0);
        for (float[] h : history) {
            Arrays.fill(h, 0f);
        }
        Arrays.fill(historyActive, false);
        farActiveBlocks = 0;
        delay.reset();
        nearFill = 0;
        farNew = 0;
        if (farTrack != null) {
            Arrays.fill(farTrack, 0f);
        }
        blocksSinceFar = Integer.MAX_VALUE;
        sinceFarStart = Integer.MAX_VALUE;
        recent = 0;
        sinceUser = Integer.MAX_VALUE;
        sinceDoubleTalk = Integer.MAX_VALUE;
        open = false;
        echoPossible = false;
        noiseFloor = 0f;
    }

    @Override
    public void played(AudioFrame farEnd) {
        if (!farEnd.format().equals(farFormat)) {
            farFormat = farEnd.format();
            int block = farFormat.sampleRate() * BLOCK_MS / 1000;
            farAnalyzer = new BandAnalyzer(farFormat.sampleRate(), block, edges);
            farBlock = new float[block];
            int frame = farFormat.sampleRate() * MAX_FRAME_MS / 1000;
            farPending = new float[Integer.highestOneBit(frame) << 1];
            farTrack = new float[Integer.highestOneBit(frame + block) << 1];
            farIn = 0;
            farNew = 0;
            farRemainder = 0;
        }
        int ch = farFormat.channels();
        int mask = farPending.length - 1;
        for (int i = 0; i + ch <= farEnd.length(); i += ch) {
            farPending[(int) (farIn++ & mask)] = mono(farEnd.samples(), i, ch);
        }
        farNew = (int) Math.min(farPending.length, farNew + (long) (farEnd.length() / ch));
    }

    @Override
    public boolean userSpeech(AudioFrame nearEnd, boolean voice) {
        if (!nearEnd.format().equals(nearFormat)) {
            nearFormat = nearEnd.format();
            int block = nearFormat.sampleRate() * BLOCK_MS / 1000;
            nearAnalyzer = new BandAnalyzer(nearFormat.sampleRate(), block, edges);
            nearBlock = new float[block];
            nearFill = 0;
            farRemainder = 0;
        }
        int ch = nearFormat.channels();
        int frame = nearEnd.length() / ch;
        long frameStart = farTime;
        int farSpan = placeFar(frame);
        for (int i = 0, n = 0; i + ch <= nearEnd.length(); i += ch) {
            nearBlock[nearFill++] = mono(nearEnd.samples(), i, ch);
            n++;
            if (nearFill == nearBlock.length) {
                nearFill = 0;
                // Paired by media time: the far end that was playing while this block was captured.
                block(voice, frameStart + (long) farSpan * n / frame);
            }
        }
        if (!voice) {
            open = false;
            return false;
        }
        return !echoPossible || open;
    }

    /**
     * Places what played since the previous inbound frame on the far-end timeline, as the span
     * of the frame of {@code frame} samples that comes now, and returns that span's length.
     * Playout runs on its own clock, so a span may get a little more or less than its length:
     * the newest audio ends the span, older surplus is dropped and a shortfall is silence, so
     * the reference never drifts behind the microphone (a queue of the surplus did, by 20 to
     * 80 ms, for as long as the agent spoke).
     */
    private int placeFar(int frame) {
        if (farFormat == null) {
            return 0;
        }
        long scaled = (long) frame * farFormat.sampleRate() + farRemainder;
        int span = (int) (scaled / nearFormat.sampleRate());
        farRemainder = (int) (scaled % nearFormat.sampleRate());
        int trackMask = farTrack.length - 1;
        int pendingMask = farPending.length - 1;
        int placed = Math.min(Math.min(farNew, span), farTrack.length - farBlock.length);
        long end = farTime + span;
        for (long p = farTime; p < end - placed; p++) {
            farTrack[(int) (p & trackMask)] = 0f;
        }
        for (int k = 0; k < placed; k++) {
            farTrack[(int) ((end - placed + k) & trackMask)] = farPending[(int) ((farIn - placed + k) & pendingMask)];
        }
        farNew = 0;
        farTime = end;
        return span;
    }

    /** The interleaved sample at {@code i} mixed down to mono, full scale = 1. */
    private static float mono(short[] s, int i, int channels) {
        float v = 0;
        for (int c = 0; c < channels; c++) {
            v += s[i + c];
        }
        return v / (32768f * channels);
    }

    /** Whether the echo path delay has been found (for tests and diagnostics). */
    boolean delayKnown() {
        return delay.lag() >= 0;
    }

    /** The echo path delay in milliseconds, or -1 while unknown (for tests and diagnostics). */
    int delayMillis() {
        return delay.lag() < 0 ? -1 : delay.lag() * BLOCK_MS;
    }

    private void block(boolean voice, long farPos) {
        float far = farBlock(farPos);
        newest = (newest + 1) % HISTORY;
        boolean farActive = far > SILENT;
        System.arraycopy(farBands, 0, history[newest], 0, BANDS);
        farActiveBlocks += (farActive ? 1 : 0) - (historyActive[newest] ? 1 : 0);
        historyActive[newest] = farActive;
        if (farActive && blocksSinceFar > START_GAP) {
            sinceFarStart = 0;
        } else if (sinceFarStart != Integer.MAX_VALUE) {
            sinceFarStart++;
        }
        blocksSinceFar = farActive ? 0 : blocksSinceFar == Integer.MAX_VALUE ? blocksSinceFar : blocksSinceFar + 1;

        nearAnalyzer.analyze(nearBlock, nearBands);
        float near = 0;
        for (float e : nearBands) {
            near += e;
        }
        noiseFloor = near < noiseFloor || noiseFloor == 0 ? near : noiseFloor * NOISE_RISE;
        echoPossible = blocksSinceFar <= HISTORY + 2 * hangoverBlocks;
        if (!echoPossible) {
            Arrays.fill(wideTail, 0f);
            Arrays.fill(narrowTail, 0f);
            open = voice;
            return;
        }
        // Blocks where the user is not talking say where the echo is, its silences included.
        delay.update(far, near, !open && sinceUser > hangoverBlocks);
        // Two predictions, each with its own learned gains: against the far end anywhere in the
        // last second (used until the delay is known), and around the best-matching delay.
        boolean known = delay.lag() >= 0;
        int candidate = known ? delay.lag() : delay.candidate();
        // Until the far end's sound has had time to come back at the learned delay, the narrow
        // prediction says nothing (and says it wrongly if that delay is a chance match): the
        // echo could be arriving at any delay, so the unknown-delay prediction bounds it too.
        boolean guard = known && sinceFarStart <= delay.lag() + 2;
        float excess = 0;
        float echoFreeExcess = 0;
        for (int b = 0; b < BANDS; b++) {
            wideTail[b] = Math.max(wideFresh[b], wideTail[b] * TAIL_DECAY);
            wideFresh[b] = reference(b, 0, HISTORY - 1);
            narrowFresh[b] = candidate < 0 ? 0f
                    : reference(b, Math.max(0, candidate - EARLY_BLOCKS), Math.min(HISTORY - 1, candidate + LATE_BLOCKS));
            narrowTail[b] = Math.max(narrowFresh[b], narrowTail[b] * TAIL_DECAY);
            // Until the delay is known the gains are young too: a wider margin.
            float wide = UNSURE * wideGain[b] * wideTail[b];
            float predicted = !known ? wide
                    : guard ? Math.max(narrowGain[b] * narrowTail[b], wide) : narrowGain[b] * narrowTail[b];
            float above = Math.max(0f, nearBands[b] - margin * predicted);
            excess += above;
            boolean echoFree = known ? narrowFresh[b] < FRESH_SHARE * narrowTail[b] : wideFresh[b] < FRESH_SHARE * wideTail[b];
            echoFreeExcess += echoFree ? above : 0f;
        }
        // The user's part must stand out from the microphone's noise as well as from the echo.
        boolean user = near > SILENT && excess >= userShare * near && excess >= NOISE_MARGIN * noiseFloor;
        recent = ((recent << 1) | (user ? 1 : 0)) & 7;
        sinceUser = user ? 0 : sinceUser == Integer.MAX_VALUE ? sinceUser : sinceUser + 1;
        boolean doubleTalk = near > SILENT && echoFreeExcess >= DOUBLE_TALK_SHARE * near
                && echoFreeExcess >= NOISE_MARGIN * noiseFloor;
        sinceDoubleTalk = doubleTalk ? 0 : sinceDoubleTalk == Integer.MAX_VALUE ? sinceDoubleTalk : sinceDoubleTalk + 1;
        if (!voice) {
            open = false;
        } else if (open) {
            open = sinceUser <= hangoverBlocks;
        } else {
            // Two user blocks out of three, never one however clear. Opening on one block with
            // 70 % of its energy above the margin (echo-only blocks reached 59 % on tuning seeds
            // 6 to 9) was a block sooner there with no new echo onsets, but in EchoGateSweep it
            // added them on held-out seeds 2 and 5 (0 to 1 and 2 settled, 2 and 3 cold).
            open = Integer.bitCount(recent) >= 2;
        }
        // A quiet microphone only shows the echo is weak once the echo has had time to arrive.
        boolean evidence = near > NOISE_MARGIN * noiseFloor || farActiveBlocks >= HISTORY / 2;
        // Nor does the user's speech, whether or not the gate has heard it yet.
        if (!open && !user && evidence && sinceDoubleTalk > DOUBLE_TALK_HOLD) {
            learn(wideTail, wideFresh, wideGainDb, wideGain);
            learn(narrowTail, narrowFresh, narrowGainDb, narrowGain);
            for (int b = 0; b < BANDS; b++) {
                if (wideTail[b] > SILENT / BANDS && wideFresh[b] >= FRESH_SHARE * wideTail[b] && learned[b] < FAST_BLOCKS) {
                    learned[b]++;
                }
            }
        }
    }

    /** The far end's largest energy in band {@code b} between lags {@code from} and {@code to}. */
    private float reference(int b, int from, int to) {
        float ref = 0;
        for (int l = from; l <= to; l++) {
            ref = Math.max(ref, history[Math.floorMod(newest - l, HISTORY)][b]);
        }
        return ref;
    }

    /** Analyzes the far-end block that ends at timeline position {@code end}; returns its energy. */
    private float farBlock(long end) {
        if (farFormat == null) {
            Arrays.fill(farBands, 0f);
            return 0f;
        }
        int mask = farTrack.length - 1;
        boolean sound = false;
        for (int i = 0; i < farBlock.length; i++) {
            float v = farTrack[(int) ((end - farBlock.length + i) & mask)];
            farBlock[i] = v;
            sound |= v != 0f;
        }
        if (!sound) {
            Arrays.fill(farBands, 0f);
            return 0f;
        }
        farAnalyzer.analyze(farBlock, farBands);
        float sum = 0;
        for (float e : farBands) {
            sum += e;
        }
        return sum;
    }

    /** Moves each band's gain toward a high quantile of what the echo alone gave this block. */
    private void learn(float[] tail, float[] fresh, float[] gainDb, float[] gain) {
        for (int b = 0; b < BANDS; b++) {
            if (tail[b] <= SILENT / BANDS || fresh[b] < FRESH_SHARE * tail[b]) {
                continue;
            }
            float ratioDb = (float) (10 * Math.log10((nearBands[b] + 1e-12) / tail[b]));
            // While learning a new path the gain moves faster both ways, and it rises faster
            // than it falls (the 84th percentile rather than the 80th): it starts at the
            // conservative prior (echo as loud as the reference), and a few quiet blocks between
            // the first words must not talk it down before it has seen the echo's peaks.
            boolean young = learned[b] < FAST_BLOCKS;
            float up = young ? FAST_STEP * GAIN_UP_DB : GAIN_UP_DB;
            float down = young ? FAST_DOWN * GAIN_DOWN_DB : GAIN_DOWN_DB;
            gainDb[b] += ratioDb > gainDb[b] ? up : -down;
            gainDb[b] = Math.max(MIN_GAIN_DB, gainDb[b]);
            gain[b] = (float) Math.pow(10, gainDb[b] / 10);
        }
    }

    /** Settings of an {@link EchoGate}. */
    public static final class Builder {
        private float marginDb = 6f;
        private float userShare = 0.5f;
        private int hangoverMillis = 300;

        private Builder() {
        }

        /**
         * How far above the predicted echo a band's energy must be to count as the user's, in
         * dB [6]. Higher rejects louder echo and needs louder double talk.
         */
        public Builder marginDb(double marginDb) {
            if (!(marginDb >= 0 && marginDb <= 30)) {
                throw new IllegalArgumentException("marginDb must be within 0..30, was " + marginDb);
            }
            this.marginDb = (float) marginDb;
            return this;
        }

        /** Share of a block's energy that must lie above the margin for the block to be the user's [0.5]. */
        public Builder userShare(double userShare) {
            if (!(userShare > 0 && userShare < 1)) {
                throw new IllegalArgumentException("userShare must be within (0, 1), was " + userShare);
            }
            this.userShare = (float) userShare;
            return this;
        }

        /** How long user speech continues through blocks that the echo could explain [300 ms]. */
        public Builder hangover(java.time.Duration hangover) {
            if (hangover == null || hangover.isNegative() || hangover.toMillis() > 2000) {
                throw new IllegalArgumentException("hangover must be within 0..2 s, was " + hangover);
            }
            this.hangoverMillis = (int) hangover.toMillis();
            return this;
        }

        /** The gate. */
        public EchoGate build() {
            return new EchoGate(this);
        }
    }
}
