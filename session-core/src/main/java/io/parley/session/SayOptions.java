package io.parley.session;

/**
 * How {@link VoiceSession#say(String, SayOptions)} speaks.
 *
 * @param allowInterruptions whether the user may barge in on this speech
 * @param addToHistory       whether it becomes an agent turn in the conversation history
 */
public record SayOptions(boolean allowInterruptions, boolean addToHistory) {

    /** Interruptible, recorded in history. */
    public static final SayOptions DEFAULT = new SayOptions(true, true);

    /** Not interruptible (e.g. a legal notice), recorded in history. */
    public static final SayOptions UNINTERRUPTIBLE = new SayOptions(false, true);
}
