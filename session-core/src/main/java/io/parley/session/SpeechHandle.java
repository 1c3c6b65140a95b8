package io.parley.session;

import java.util.concurrent.CompletableFuture;

/**
 * The agent's reply to a turn, as it is generated and spoken: the reply's text, and, as for
 * any {@link PlaybackHandle}, its playout. {@link #playout()} completes once the reply has
 * been heard (or cut off); for a reply that is not spoken it completes with nothing played as
 * soon as the text is complete. {@link #cancel()} stops both generation and speech.
 */
public interface SpeechHandle extends PlaybackHandle {

    /** The turn this reply answers (for {@code generateReply}, the turn id it was given). */
    long turnId();

    /**
     * The complete reply text; fails with {@link ErrorCode#AGENT_ERROR} if the agent failed,
     * or {@link ErrorCode#INVALID_STATE} if the reply was cancelled before it was complete.
     */
    CompletableFuture<String> text();
}
