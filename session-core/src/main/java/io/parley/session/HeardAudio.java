package io.parley.session;

/**
 * What one speaker's audio input has delivered so far, so that a {@link UserTurn} counts its
 * end-of-turn wait in silence actually heard rather than in clock time while the audio is
 * late. Written by the one thread that delivers the speaker's audio (after each frame's voice
 * decision), read by the loop the turn is confined to; it allocates nothing.
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

    /** Audio heard since the speaker's voice was last heard, in nanoseconds of audio. */
    private volatile long silenceNanos;
    /** Clock reading of the latest delivery, or {@link Long#MIN_VALUE} before any or after {@link #ended()}. */
    private volatile long arrivalNanos = Long.MIN_VALUE;
    /** How much audio the latest delivery held. */
    private volatile long deliveryNanos;

    /**
     * A piece of the speaker's audio was classified: {@code voiced} if it held their voice
     * (which restarts the silence), otherwise it adds {@code durationNanos} of silence.
     */
    public void heard(long durationNanos, boolean voiced) {
        silenceNanos = voiced ? 0 : silenceNanos + durationNanos;
    }

    /**
     * A delivery of {@code durationNanos} of audio arrived at clock reading {@code clockNanos}
     * (once per delivery, however it was sliced for {@link #heard}).
     */
    public void arrived(long clockNanos, long durationNanos) {
        deliveryNanos = durationNanos;
        arrivalNanos = clockNanos;
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
}
