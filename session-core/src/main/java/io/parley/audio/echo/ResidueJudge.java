package io.parley.audio.echo;

import java.util.Arrays;

/**
 * Tells the user from what {@link EchoFilter} left of the echo, band by band. What the filter
 * leaves is learned as a share of its prediction per band (rising fast, falling slowly, on
 * blocks that were not the user's); a voiced block is the user's when {@link #SHARE} of its
 * energy stands {@link #MARGIN} above that residue and the output's noise floor. Until the
 * filter removes {@link #COLD_ERLE} of the echo (a new session, a new room) the residue cannot
 * be trusted, and a block must also stand above the far end recently played; so must it always
 * in the bands outside the agent's voice band, which the filter may never learn. The filter adapts
 * by {@link #step()}: fully while the echo explains what is left, less as what is left exceeds
 * it, not at all while the user may be speaking, so double talk does not teach it the user.
 */
final class ResidueJudge {

    /** Margin over the residue and the noise floor (6 dB). */
    private static final float MARGIN = (float) Math.pow(10, 6 / 10.0);
    /** Share of a block's energy that must stand above the margin. */
    private static final float SHARE = 0.5f;
    /**
     * With an eighth of its energy above the margin over the residue, a block may be the user
     * starting: the filter does not learn from it.
     */
    private static final float SUSPECT_SHARE = SHARE / 4;
    /** The residue's share of the prediction rises by up to 3 dB per block... */
    private static final float UP = (float) Math.pow(10, 3 / 10.0);
    /** ...and falls by 0.2 dB per block (10 dB a second). */
    private static final float DOWN = (float) Math.pow(10, -0.2 / 10);
    /** The path gain falls by 0.5 dB per block (a new room's -10 dB within about half a second of speech). */
    private static final float DOWN_FAST = (float) Math.pow(10, -0.5 / 10.0);
    /** Echo return loss enhancement (10 dB) below which the filter has not learned the path. */
    private static final float COLD_ERLE = (float) Math.pow(10, 10 / 10.0);
    /**
     * How far above the output's noise floor (6 dB, so 12 dB with the margin) a block must
     * stand: where the far end starts or stops, the filter's small errors (taps not yet at zero,
     * a reverberation tail it predicts less well) leave a few dB over the noise that the
     * residue learned on louder blocks does not cover.
     */
    private static final float NOISE_MARGIN = (float) Math.pow(10, 6 / 10.0);
    /** The far end's recent peak falls by 0.5 dB per block, so it still covers an echo 250 ms late at 6 dB. */
    private static final float PEAK_DECAY = (float) Math.pow(10, -0.5 / 10);
    /** The noise floor rises by 0.05 dB per block (2.5 dB a second) when nothing quieter comes. */
    private static final float NOISE_RISE = (float) Math.pow(10, 0.05 / 10);
    /** Mean square (about -70 dBFS) below which a block of far end is silence. */
    private static final float SILENT = 1e-7f;
    /** Blocks after the last audible far end during which its echo may still come back (one second). */
    private static final int ECHO_BLOCKS = 50;
    /** Unclear voiced blocks that still count after a clear one (200 ms), so the quiet ends of words do not end speech. */
    private static final int HOLD_BLOCKS = 10;
    /**
     * Blocks after the user's last clear block during which the filter does not learn (500 ms):
     * between those blocks the user's speech is mostly not clear of the residue, and learning it
     * as echo turns the filter away from the room.
     */
    private static final int DOUBLE_TALK_BLOCKS = 25;
    /** Blocks of echo the enhancement estimate needs before it can say the room is learned (half a second). */
    private static final int LEARN_BLOCKS = 25;
    /** Smoothing of the energies behind the enhancement estimate (about a second of blocks it learned from). */
    private static final float AVERAGE = 0.05f;

    private final float[] share;
    private final float[] noise;
    private final float[] farPeak;
    /**
     * Per band, the echo path's gain from the far end's recent peak to what the filter leaves,
     * tracked upward fast and downward slowly: until the room is learned, the echo is taken to
     * be this loud, which a speakerphone's path (about -10 dB) reaches within a second of the
     * agent's speech, instead of as loud as the agent played.
     */
    private final float[] pathGain;
    /**
     * Bands {@code [voiceFrom, voiceTo)} are the agent's voice band; outside it the far end may
     * hold too little for the filter ever to learn the path (its step is normalized by the far
     * end's power), so there the learned residue says nothing and the echo is always bounded by
     * the far end recently played times the path gain as well.
     */
    private final int voiceFrom;
    private final int voiceTo;
    private float micAverage;
    private float errAverage;
    /** Blocks the enhancement estimate has learned from. */
    private int learnedBlocks;
    /**
     * Whether the filter has learned the room: once, until {@link #reset}. Double talk the judge
     * did not hear pulls the estimate down, and falling back to the far end's level after it
     * made users who then spoke over the agent wait until they were louder than it.
     */
    private boolean learned;
    private int echoBlocks;
    private boolean talking;
    private int hold;
    private int doubleTalk;
    private float step;

    /** A judge of {@code bands} bands, of which {@code [voiceFrom, voiceTo)} are the voice band. */
    ResidueJudge(int bands, int voiceFrom, int voiceTo) {
        this.voiceFrom = voiceFrom;
        this.voiceTo = voiceTo;
        this.share = new float[bands];
        this.noise = new float[bands];
        this.farPeak = new float[bands];
        this.pathGain = new float[bands];
        reset();
    }

    /** Forgets what it learned. */
    void reset() {
        Arrays.fill(share, 1f);
        Arrays.fill(noise, -1f);
        Arrays.fill(farPeak, 0f);
        Arrays.fill(pathGain, 1f);
        micAverage = 0;
        errAverage = 0;
        learnedBlocks = 0;
        learned = false;
        echoBlocks = 0;
        talking = false;
        hold = 0;
        doubleTalk = 0;
        step = 0;
    }

    /** The share of its full step the filter takes on the block just judged. */
    float step() {
        return echoBlocks > 0 && !talking && doubleTalk == 0 ? step : 0;
    }

    /** Takes a block's far-end bands and level; the far end's echo may come back for a while after it. */
    void far(float[] farBands, float farMeanSquare) {
        echoBlocks = farMeanSquare > SILENT ? ECHO_BLOCKS : Math.max(0, echoBlocks - 1);
        for (int b = 0; b < farPeak.length; b++) {
            farPeak[b] = Math.max(farBands[b], farPeak[b] * PEAK_DECAY);
        }
    }

    /**
     * Whether the block the filter just cancelled is the user's, given the voice activity
     * detector's verdict on it, the error's and the prediction's bands, and the mean squares
     * of the microphone and the error.
     */
    boolean user(boolean voice, float[] err, float[] echo, float micMeanSquare, float errMeanSquare) {
        boolean cold = !learned;
        // Sums over the voice band, and over the bands outside it.
        float total = 0;
        float excess = 0;
        float explained = 0;
        float outerTotal = 0;
        float outerExcess = 0;
        for (int b = 0; b < err.length; b++) {
            noise[b] = noise[b] < 0 ? err[b] : Math.min(noise[b] * NOISE_RISE, Math.max(err[b], SILENT * 1e-2f));
            boolean outer = b < voiceFrom || b >= voiceTo;
            float residue = share[b] * echo[b];
            if (cold || outer) {
                residue = Math.max(residue, pathGain[b] * farPeak[b]);
            }
            float bound = residue + NOISE_MARGIN * noise[b];
            float above = Math.max(0, err[b] - MARGIN * bound);
            if (outer) {
                outerTotal += err[b];
                outerExcess += above;
            } else {
                total += err[b];
                explained += bound;
                excess += above;
            }
        }
        // The bands outside the voice band only add evidence: a low voice's fundamental below
        // 150 Hz, bounded there by the agent's, must not dilute what its voice band shows.
        float allTotal = total + outerTotal;
        float allExcess = excess + outerExcess;
        boolean clear = voice && (total > 0 && excess >= SHARE * total || allTotal > 0 && allExcess >= SHARE * allTotal);
        // Whatever the detector says: it takes 40 ms or more to call a user's onset voiced, and learning those blocks as echo teaches the filter their voice.
        boolean suspect = total > 0 && excess >= SUSPECT_SHARE * total || allTotal > 0 && allExcess >= SUSPECT_SHARE * allTotal;
        // What the residue does not explain is the user or a changed room: learn the less, the more there is.
        float explainedShare = Math.min(1, explained / Math.max(total, Float.MIN_NORMAL));
        step = suspect ? 0 : explainedShare * explainedShare;
        doubleTalk = Math.max(0, doubleTalk - 1);
        boolean said;
        if (clear) {
            talking = true;
            hold = HOLD_BLOCKS;
            doubleTalk = DOUBLE_TALK_BLOCKS;
            said = true;
        } else if (voice && talking && hold > 0) {
            hold--;
            said = true;
        } else {
            talking = false;
            said = false;
        }
        if (!said && !suspect && echoBlocks > 0 && doubleTalk == 0) {
            micAverage += AVERAGE * (micMeanSquare - micAverage);
            errAverage += AVERAGE * (errMeanSquare - errAverage);
            learnedBlocks++;
            learned |= learnedBlocks >= LEARN_BLOCKS && micAverage >= COLD_ERLE * errAverage;
            for (int b = 0; b < share.length; b++) {
                if (echo[b] > noise[b]) {
                    float target = err[b] / echo[b];
                    share[b] = target > share[b] ? Math.min(target, share[b] * UP) : Math.max(target, share[b] * DOWN);
                }
                if (farPeak[b] > 0 && err[b] > NOISE_MARGIN * noise[b]) {
                    float target = err[b] / farPeak[b];
                    pathGain[b] = target > pathGain[b] ? Math.min(target, pathGain[b] * UP) : Math.max(target, pathGain[b] * DOWN_FAST);
                }
            }
        }
        return said;
    }
}
