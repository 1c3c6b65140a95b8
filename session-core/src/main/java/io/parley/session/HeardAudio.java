package io.parley.session;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What one speaker's audio input has delivered so far, so that a {@link UserTurn} counts its
 * end-of-turn wait in silence actually heard rather than in clock time while the audio is
 * late. Written by the one thread that delivers the speaker's audio (after each frame's voice
 * decision), read by the loop the turn is confined to; it allocates nothing. The writes are
 * release stores, not volatile ones: with one writer nothing needs their full fence, which
 * would cost every frame of every session; a reader that sees a delivery's arrival also sees
 * what that delivery was heard as.
 *
 * <pre>{@code
 * HeardAudio heard = new HeardAudio();
 * UserTurn turn = UserTurn.builder(clock, loop, listener).heardAudio(heard).build();
 * // on the audio thread, per frame:
 * heard.heard(frame.durationNanos(), vadResult.probability() >= 0.5f);
 * heard.arrived(clock.nanoTime(), frame.durationNanos());
 * }</pre>
 */
public final class HeardAudio {

    /** Audio heard since the speaker's voice was last heard, in nanoseconds of audio; through {@link #SILENCE}. */
    private volatile long silenceNanos;
    /** The writer's own copy of {@link #silenceNanos}, read without a barrier. */
    private long silence;
    /** Clock reading of the latest delivery, or {@link Long#MIN_VALUE} before any or after {@link #ended()}; through {@link #ARRIVAL}. */
    private volatile long arrivalNanos = Long.MIN_VALUE;
    /** How much audio the latest delivery held; through {@link #DELIVERY}. */
    private volatile long deliveryNanos;

    /**
     * A piece of the speaker's audio was classified: {@code voiced} if it held their voice
     * (which restarts the silence), otherwise it adds {@code durationNanos} of silence.
     */
    public void heard(long durationNanos, boolean voiced) {
        silence = voiced ? 0 : silence + durationNanos;
        SILENCE.setRelease(this, silence);
    }

    /**
     * A delivery of {@code durationNanos} of audio arrived at clock reading {@code clockNanos}
     * (once per delivery, however it was sliced for {@link #heard}).
     */
    public void arrived(long clockNanos, long durationNanos) {
        DELIVERY.setRelease(this, durationNanos);
        ARRIVAL.setRelease(this, clockNanos);
    }

    /**
     * The speaker's input has ended (push-to-talk released, the host closed its microphone):
     * no more audio is coming until the next delivery, so the turn's wait runs on the clock.
     */
    public void ended() {
        arrivalNanos = Long.MIN_VALUE;
    }

    /** Audio heard since the speaker's voice was last heard, in nanoseconds of audio. */
    public long silenceNanos() {
        return silenceNanos;
    }

    /** Clock reading of the latest delivery; {@link Long#MIN_VALUE} before any and after {@link #ended()}. */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** How much audio the latest delivery held, in nanoseconds. */
    public long deliveryNanos() {
        return deliveryNanos;
    }

    private static final VarHandle SILENCE;
    private static final VarHandle ARRIVAL;
    private static final VarHandle DELIVERY;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SILENCE = l.findVarHandle(HeardAudio.class, "silenceNanos", long.class);
            ARRIVAL = l.findVarHandle(HeardAudio.class, "arrivalNanos", long.class);
            DELIVERY = l.findVarHandle(HeardAudio.class, "deliveryNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
