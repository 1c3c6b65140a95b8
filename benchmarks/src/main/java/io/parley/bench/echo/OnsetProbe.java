package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.spi.EchoSuppressor;

/**
 * Splits a barge-in's onset-to-pause latency into its stages, from what the session asks its
 * {@link EchoSuppressor}: for every microphone frame it keeps when the frame was captured (its
 * timestamp), when the session judged it (arrival on the audio thread), the voice activity
 * detector's verdict and the gate's answer. After a trial, {@link #split} finds, from the
 * user's true onset: the arrival of the frame holding it (capture to arrival: frames held back
 * in a burst), the first frame the detector called voice, the first frame the gate let through
 * as the user's (the session's speech onset) and, given the pause, the hop from there to the
 * transport. A ring of the last {@value #FRAMES} frames, written on the audio thread without
 * allocation; read by the harness between trials.
 */
final class OnsetProbe implements EchoSuppressor {

    /** Frames kept: 80 s of 20 ms frames, longer than a barge-in trial. */
    static final int FRAMES = 4096;

    /** No gate: every voiced frame is the user's. */
    static final EchoSuppressor PASS = new EchoSuppressor() {
        @Override
        public void played(AudioFrame farEnd) {
        }

        @Override
        public boolean userSpeech(AudioFrame nearEnd, boolean voice) {
            return voice;
        }
    };

    private final EchoSuppressor inner;
    /**
     * A second gate fed, for each microphone frame, with what the room really played while it
     * was captured (perfect alignment, as offline) instead of the session's reference; null
     * without one. Tells a slow onset caused by the session's reference from one the gate gives
     * whatever its reference.
     */
    private final EchoSuppressor shadow;
    private final EchoRoom room;
    private final AudioFrame truthFrame = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
    private final boolean[] shadowUser = new boolean[FRAMES];
    private final long[] captured = new long[FRAMES];
    private final long[] arrived = new long[FRAMES];
    private final boolean[] voice = new boolean[FRAMES];
    private final boolean[] user = new boolean[FRAMES];
    private long count;
    private long shadowUnreferenced;
    /** The canceller in front, if any: the detector's verdict comes from it, not from the answer the suppressor is given. */
    private VerdictTap verdicts;

    OnsetProbe(EchoSuppressor inner) {
        this(inner, null, null);
    }

    OnsetProbe(EchoSuppressor inner, EchoSuppressor shadow, EchoRoom room) {
        this.inner = inner;
        this.shadow = shadow;
        this.room = room;
    }

    /** Reads the detector's verdicts from {@code tap}, the session's canceller, rather than from its answers. */
    OnsetProbe behind(VerdictTap tap) {
        this.verdicts = tap;
        return this;
    }

    @Override
    public void played(AudioFrame farEnd) {
        inner.played(farEnd);
    }

    @Override
    public synchronized boolean userSpeech(AudioFrame nearEnd, boolean voiced) {
        boolean answer = inner.userSpeech(nearEnd, voiced);
        int i = (int) (count++ % FRAMES);
        captured[i] = nearEnd.timestampNanos() + nearEnd.durationNanos();
        arrived[i] = System.nanoTime();
        // Behind a canceller, voiced is already its answer (never true without the detector's).
        voice[i] = verdicts != null ? verdicts.voice() : voiced;
        user[i] = answer;
        if (shadow != null) {
            short[] played = room.playedDuring(nearEnd.timestampNanos());
            if (played != null) {
                System.arraycopy(played, 0, truthFrame.samples(), 0, EchoRoom.FRAME);
                truthFrame.setLength(EchoRoom.FRAME);
                shadow.played(truthFrame);
            } else {
                // Older than the room keeps (a backlog over 2.5 s): the shadow judges this frame
                // without its reference, so the count goes into the report beside its figure.
                shadowUnreferenced++;
            }
            shadowUser[i] = shadow.userSpeech(nearEnd, voiced);
        }
        return answer;
    }

    @Override
    public void reset() {
        inner.reset();
        if (shadow != null) {
            shadow.reset();
        }
    }

    /**
     * Milliseconds from the arrival of the frame holding the onset captured at
     * {@code onsetNanos} to the shadow gate's first user frame, or NaN without a shadow or if
     * it gave none.
     */
    synchronized double shadowGate(long onsetNanos) {
        if (shadow == null) {
            return Double.NaN;
        }
        long onsetFrame = frameAfter(onsetNanos);
        if (onsetFrame < 0) {
            return Double.NaN;
        }
        for (long k = onsetFrame; k < count; k++) {
            int i = (int) (k % FRAMES);
            if (shadowUser[i]) {
                return (arrived[i] - arrived[(int) (onsetFrame % FRAMES)]) / 1e6;
            }
        }
        return Double.NaN;
    }

    /**
     * The stages from a true onset captured at {@code onsetNanos} to the pause at
     * {@code pausedNanos}, in milliseconds: capture to arrival of the onset's frame, arrival to
     * the detector's first voiced frame, that frame to the gate's first user frame, and that
     * frame's judgement to the pause; then, in media time, the onset to the end of the gate's
     * first user frame. The first four add up to onset to pause; under bursts a frame held back
     * counts in whichever stage it delays, so the last figure gives the gate's own delay, which
     * no holding changes. Null if the frames are no longer kept or never came.
     */
    synchronized double[] split(long onsetNanos, long pausedNanos) {
        long onsetFrame = frameAfter(onsetNanos);
        if (onsetFrame < 0) {
            return null;
        }
        long voiced = -1;
        long opened = -1;
        for (long k = onsetFrame; k < count && opened < 0; k++) {
            int i = (int) (k % FRAMES);
            if (voiced < 0 && voice[i]) {
                voiced = k;
            }
            if (user[i]) {
                opened = k;
            }
        }
        if (voiced < 0 || opened < 0) {
            return null;
        }
        long onsetArrival = arrived[(int) (onsetFrame % FRAMES)];
        long voiceArrival = arrived[(int) (voiced % FRAMES)];
        long openArrival = arrived[(int) (opened % FRAMES)];
        return new double[] {
            (onsetArrival - onsetNanos) / 1e6,
            (voiceArrival - onsetArrival) / 1e6,
            (openArrival - voiceArrival) / 1e6,
            (pausedNanos - openArrival) / 1e6,
            (captured[(int) (opened % FRAMES)] - onsetNanos) / 1e6,
        };
    }

    /** The first frame still kept that was captured after {@code onsetNanos}, or -1. */
    private long frameAfter(long onsetNanos) {
        for (long k = Math.max(0, count - FRAMES); k < count; k++) {
            if (captured[(int) (k % FRAMES)] > onsetNanos) {
                return k;
            }
        }
        return -1;
    }

    /** Frames the shadow gate judged without what the room played for them (it no longer kept it). */
    synchronized long shadowUnreferenced() {
        return shadowUnreferenced;
    }
}
