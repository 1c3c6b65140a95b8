package io.parley.spi;

import io.parley.audio.AudioFrame;

/**
 * Removes the agent's own voice, coming back through the user's microphone (a speakerphone, a
 * kiosk, a phone line), from inbound audio before voice activity detection and recognition,
 * so the user is heard as if the agent were silent: the user's speech over the agent counts
 * at its own level, and the agent's echo neither barges in nor reaches the recognizer.
 *
 * <p>Unlike an {@link EchoSuppressor}, which only judges frames, a canceller rewrites them.
 * Both can be used together: the suppressor then judges what the canceller left.
 *
 * <p><b>Threads and order.</b> One instance per session. {@link #played}, {@link #cancel} and
 * {@link #reset} are called on the thread that delivers inbound audio, one call at a time, in
 * time order: before each inbound frame, {@code played} zero or more times with the far end
 * of that frame, then {@code cancel} once with the frame, then (when a voice activity
 * detector classified the output) {@link #userSpeech}. {@link #close} is called when the
 * session stops, after the last of those calls has returned.
 *
 * <p><b>Frames.</b> Inbound frames are at most 20 ms long (the session slices longer input),
 * usually exactly 20 ms, in the session's input format; far-end frames are in its output
 * format, at most 20 ms each. A canceller that works on shorter blocks (WebRTC's works on
 * 10 ms) splits frames itself, and one that needs whole blocks may hold a frame's tail back
 * until the next frame, delaying its output by less than one block.
 *
 * <p><b>Allocation.</b> None per call: frames are only valid during the call that hands them
 * over, and {@code out} is the session's reusable buffer.
 */
public interface EchoCanceller {

    /**
     * Outbound audio as it played out to the user, in the session's output format: the
     * outbound stream in order, each sample once, handed over before each inbound frame up to
     * where playout stood at the end of that frame's capture (nothing while the agent is silent
     * or paused). Over time the stream keeps pace with the inbound frames, but one frame's
     * share varies with the playout estimate (more or less than the frame's duration, or none),
     * so a canceller queues it rather than pairing it with the next frame; the echo in the
     * microphone follows it by the room's delay. The frame is only valid during the call.
     */
    void played(AudioFrame farEnd);

    /**
     * Writes {@code nearEnd} without the echo of what {@link #played} before it into the
     * samples of {@code out}, which has the same format and already {@code nearEnd}'s length
     * and timestamp (the two are never the same frame).
     */
    void cancel(AudioFrame nearEnd, AudioFrame out);

    /**
     * Whether the frame just {@linkplain #cancel cancelled} holds the user's voice, given the
     * voice activity detector's verdict on the canceller's output: a canceller knows how much
     * of the frame was echo, and a detector can still hear speech in what is left (a residue
     * at the noise floor, noise reshaped by the suppression). Called once after each
     * {@code cancel} whose output the detector classified, on the same thread, with that
     * output. By default the detector's verdict stands.
     *
     * @return true if the frame counts as user speech; never true when {@code voice} is false
     */
    default boolean userSpeech(AudioFrame cancelled, boolean voice) {
        return voice;
    }

    /** Forgets the echo path (a new run of the session). */
    default void reset() {
    }

    /**
     * The session stopped: release native resources. If the session is started again, the
     * next call is {@link #reset}, and the canceller must work again from there.
     */
    default void close() {
    }
}
