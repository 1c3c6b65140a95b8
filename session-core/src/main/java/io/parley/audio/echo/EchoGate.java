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
 * (150 Hz to 3.8 kHz, so telephone audio works too), finds the echo path delay by matching
 * binary spectra over the last second, and learns each band's echo gain as a high quantile of
 * near-to-far ratios while the user is not talking. The predicted echo is the far end's band
 * energy around that delay, held with a slow decay for room reverberation, times the gain.
 * A block is the user's when most of its energy lies at least {@link Builder#marginDb margin}
 * above the prediction; user speech starts after two such blocks out of three and lasts while
 * the detector hears voice and such blocks keep coming within a hangover.
 *
 * <p>Until the echo path is learned (about a second of the agent's speech) the gate assumes
 * echo as loud as the reference at any delay up to a second, so early barge-ins must be louder
 * than the agent to count. When the agent has been silent for over a second it is transparent.
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
    /** Quantile tracking of the gain in dB: up and down steps give the 80th percentile. */
    private static final float GAIN_UP_DB = 1.2f;
    private static final float GAIN_DOWN_DB = 0.3f;
    private static final float INITIAL_GAIN_DB = 0f;
    private static final float MIN_GAIN_DB = -60f;
    /** Largest far-end backlog kept waiting for near-end audio, in blocks. */
    private static final int MAX_FAR_BACKLOG_BLOCKS = 10;

    private final float marginDb;
    private final float userShare;
    private final int hangoverBlocks;

    private final double[] edges = new double[BANDS + 1];
    private final float[] nearBands = new float[BANDS];
    private final float[] farBands = new float[BANDS];
    private final float[] tail = new float[BANDS];
    private final float[] gainDb = new float[BANDS];
    private final float[] gain = new float[BANDS];
    private final float[][] history = new float[HISTORY][BANDS];
    private final int[] historyBits = new int[HISTORY];
    private final boolean[] historyActive = new boolean[HISTORY];
    /** History reordered by lag for the delay estimator: index 0 is the newest block. */
    private final int[] bitsByLag = new int[HISTORY];
    private final boolean[] activeByLag = new boolean[HISTORY];
    private final DelayEstimator delay = new DelayEstimator(HISTORY, BANDS);

    private AudioFormat nearFormat;
    private AudioFormat farFormat;
    private BandAnalyzer nearAnalyzer;
    private BandAnalyzer farAnalyzer;
    private float[] nearBlock;
    private int nearFill;
    private float[] farBlock;
    private float[] farFifo;
    private int farHead;
    private int farSize;
    private int newest = -1;
    private int blocksSinceFar = Integer.MAX_VALUE;
    private int lastLag = -1;
    /** The last three blocks' verdicts, newest in bit 0. */
    private int recent;
    private int sinceUser = Integer.MAX_VALUE;
    private boolean open;
    private boolean echoPossible;

    private EchoGate(Builder b) {
        this.marginDb = b.marginDb;
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
        Arrays.fill(tail, 0f);
        Arrays.fill(gainDb, INITIAL_GAIN_DB);
        Arrays.fill(gain, 1f);
        for (float[] h : history) {
            Arrays.fill(h, 0f);
        }
        Arrays.fill(historyBits, 0);
        Arrays.fill(historyActive, false);
        delay.reset();
        nearFill = 0;
        farHead = 0;
        farSize = 0;
        blocksSinceFar = Integer.MAX_VALUE;
        lastLag = -1;
        recent = 0;
        sinceUser = Integer.MAX_VALUE;
        open = false;
        echoPossible = false;
    }

    @Override
    public void played(AudioFrame farEnd) {
        if (!farEnd.format().equals(farFormat)) {
            farFormat = farEnd.format();
            int block = farFormat.sampleRate() * BLOCK_MS / 1000;
            farAnalyzer = new BandAnalyzer(farFormat.sampleRate(), block, edges);
            farBlock = new float[block];
            farFifo = new float[block * MAX_FAR_BACKLOG_BLOCKS];
            farHead = 0;
            farSize = 0;
        }
        short[] s = farEnd.samples();
        int ch = farFormat.channels();
        float norm = 1f / (32768f * ch);
        for (int i = 0; i + ch <= farEnd.length(); i += ch) {
            float v = 0;
            for (int c = 0; c < ch; c++) {
                v += s[i + c];
            }
            if (farSize == farFifo.length) {
                // The near end fell behind: keep the newest reference, the delay estimate adapts.
                farHead = (farHead + 1) % farFifo.length;
                farSize--;
            }
            farFifo[(farHead + farSize) % farFifo.length] = v * norm;
            farSize++;
        }
    }

    @Override
    public boolean userSpeech(AudioFrame nearEnd, boolean voice) {
        if (!nearEnd.format().equals(nearFormat)) {
            nearFormat = nearEnd.format();
            int block = nearFormat.sampleRate() * BLOCK_MS / 1000;
            nearAnalyzer = new BandAnalyzer(nearFormat.sampleRate(), block, edges);
            nearBlock = new float[block];
            nearFill = 0;
        }
        short[] s = nearEnd.samples();
        int ch = nearFormat.channels();
        float norm = 1f / (32768f * ch);
        for (int i = 0; i + ch <= nearEnd.length(); i += ch) {
            float v = 0;
            for (int c = 0; c < ch; c++) {
                v += s[i + c];
            }
            nearBlock[nearFill++] = v * norm;
            if (nearFill == nearBlock.length) {
                nearFill = 0;
                block(voice);
            }
        }
        if (!voice) {
            open = false;
            return false;
        }
        return !echoPossible || open;
    }

    /** Whether the echo path delay has been found (for tests and diagnostics). */
    boolean delayKnown() {
        return delay.lag() >= 0;
    }

    /** The echo path delay in milliseconds, or -1 while unknown (for tests and diagnostics). */
    int delayMillis() {
        return delay.lag() < 0 ? -1 : delay.lag() * BLOCK_MS;
    }

    private void block(boolean voice) {
        float far = takeFarBlock();
        newest = (newest + 1) % HISTORY;
        boolean farActive = far > SILENT;
        System.arraycopy(farBands, 0, history[newest], 0, BANDS);
        historyActive[newest] = farActive;
        historyBits[newest] = farActive ? delay.farBits(farBands) : 0;
        blocksSinceFar = farActive ? 0 : blocksSinceFar == Integer.MAX_VALUE ? blocksSinceFar : blocksSinceFar + 1;

        nearAnalyzer.analyze(nearBlock, nearBands);
        float near = 0;
        for (float e : nearBands) {
            near += e;
        }
        echoPossible = blocksSinceFar <= HISTORY + 2 * hangoverBlocks;
        if (!echoPossible) {
            Arrays.fill(tail, 0f);
            open = voice;
            return;
        }
        if (near > SILENT && blocksSinceFar < HISTORY) {
            for (int l = 0; l < HISTORY; l++) {
                int idx = Math.floorMod(newest - l, HISTORY);
                bitsByLag[l] = historyBits[idx];
                activeByLag[l] = historyActive[idx];
            }
            delay.update(delay.nearBits(nearBands), bitsByLag, activeByLag);
        }
        int lag = delay.lag();
        if (lag != lastLag) {
            // A new echo path: its gains are unknown, start from the cautious guess again.
            lastLag = lag;
            Arrays.fill(gainDb, INITIAL_GAIN_DB);
            Arrays.fill(gain, 1f);
        }
        int from = lag < 0 ? 0 : Math.max(0, lag - 2);
        int to = lag < 0 ? HISTORY - 1 : Math.min(HISTORY - 1, lag + 2);
        float margin = (float) Math.pow(10, marginDb / 10);
        float excess = 0;
        for (int b = 0; b < BANDS; b++) {
            float ref = 0;
            for (int l = from; l <= to; l++) {
                ref = Math.max(ref, history[Math.floorMod(newest - l, HISTORY)][b]);
            }
            tail[b] = Math.max(ref, tail[b] * TAIL_DECAY);
            excess += Math.max(0f, nearBands[b] - margin * gain[b] * tail[b]);
        }
        boolean user = near > SILENT && excess >= userShare * near;
        recent = ((recent << 1) | (user ? 1 : 0)) & 7;
        sinceUser = user ? 0 : sinceUser == Integer.MAX_VALUE ? sinceUser : sinceUser + 1;
        if (!voice) {
            open = false;
        } else if (open) {
            open = sinceUser <= hangoverBlocks;
        } else {
            open = Integer.bitCount(recent) >= 2;
        }
        if (!open && !user) {
            learnGains();
        }
    }

    /** Takes one block of far-end reference from the backlog (silence where there is none). */
    private float takeFarBlock() {
        int n = farBlock == null ? 0 : Math.min(farSize, farBlock.length);
        for (int i = 0; i < n; i++) {
            farBlock[i] = farFifo[farHead];
            farHead = (farHead + 1) % farFifo.length;
        }
        farSize -= n;
        if (farBlock == null || n == 0) {
            Arrays.fill(farBands, 0f);
            return 0f;
        }
        Arrays.fill(farBlock, n, farBlock.length, 0f);
        farAnalyzer.analyze(farBlock, farBands);
        float sum = 0;
        for (float e : farBands) {
            sum += e;
        }
        return sum;
    }

    /** Moves each band's gain toward a high quantile of what the echo alone gave this block. */
    private void learnGains() {
        for (int b = 0; b < BANDS; b++) {
            if (tail[b] <= SILENT / BANDS) {
                continue;
            }
            float ratioDb = (float) (10 * Math.log10((nearBands[b] + 1e-12) / tail[b]));
            gainDb[b] += ratioDb > gainDb[b] ? GAIN_UP_DB : -GAIN_DOWN_DB;
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
