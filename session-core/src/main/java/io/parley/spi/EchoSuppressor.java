package io.parley.spi;

import io.parley.audio.AudioFrame;

/**
 * Tells the agent's own voice, coming back through the user's microphone (a speakerphone, a
 * kiosk, a phone line), from the user's speech, so that echo does not barge in on the agent
 * while the user talking over it still does.
 *
 * <p>The session gives it the far-end reference, the outbound audio as it is played out, and
 * asks it about every inbound frame that the voice activity detector has classified. One
 * instance per session; both methods are called on the thread that delivers inbound audio,
 * in time order, and must not allocate per call.
 */
public interface EchoSuppressor {

    /**
     * Outbound audio that has been played out to the user, in the session's output format.
     * Called before each inbound frame with what was playing while that frame was captured:
     * the frame's length of outbound audio ending where playout stood at the end of its
     * capture (nothing while the agent is silent or paused). The two streams are paired by
     * media time, frame by frame, so inbound frames that arrive late and together still meet
     * the reference that was playing when they were captured. An implementation should take
     * each call as the far end of the frame that follows; when it is shorter than the frame,
     * the rest of the frame had no reference. The frame is only valid during the call.
     */
    void played(AudioFrame farEnd);

    /**
     * Whether {@code nearEnd}, an inbound frame in the session's input format, holds the user's
     * own voice.
     *
     * @param voice the voice activity detector's verdict on this frame
     * @return true if the frame counts as user speech; never true when {@code voice} is false
     */
    boolean userSpeech(AudioFrame nearEnd, boolean voice);

    /** Forgets the echo path (a new call on the same session). */
    default void reset() {
    }
}
