package io.parley.testing;

import java.util.Objects;

/**
 * One broken invariant found by a {@link ChaosHarness} run.
 *
 * @param invariant which rule was broken
 * @param session   index of the session within the run (replay it with
 *                  {@link ChaosHarness.Builder#onlySession(int)} and the same seed), or -1 if
 *                  the finding could not be tied to one session
 * @param sessionId the session's id, or empty
 * @param detail    what was seen
 */
public record Violation(Invariant invariant, int session, String sessionId, String detail) {

    /** The rules a chaos run checks after every session. */
    public enum Invariant {
        /** The session was not LISTENING (or AWAY) or ENDED within the bound after input stopped, or still heard the user speaking. */
        NOT_SETTLED,
        /** A committed user turn got no reply, no typed error, and was not carried into a later turn. */
        TURN_UNANSWERED,
        /** A committed user turn was answered more than once (two replies played or two agent calls). */
        TURN_ANSWERED_TWICE,
        /** A listener was called after the session ENDED (and no restart was under way). */
        CALLBACK_AFTER_ENDED,
        /** A thread, timer, provider stream or transport was still alive after {@code stop()}. */
        RESOURCE_LEFT,
        /** An exception was only logged or escaped into a thread pool instead of reaching {@code onError}. */
        EXCEPTION_ONLY_LOGGED,
        /** A provider, the transport or the agent was opened or called after {@code stop()} returned. */
        OPENED_AFTER_STOP,
        /** A public method threw, or a returned future failed with, something its contract does not allow. */
        UNTYPED_ERROR,
        /** A blocking provider or transport call (open, start, close) ran on the event-loop pool. */
        BLOCKING_ON_LOOP,
        /** {@code stop()} did not return, or a returned future or playback never completed, within the bound. */
        HUNG,
        /**
         * A word the recognizer gave in a final result, which the session reported with a turn it
         * then committed, is in no committed turn (and the session did not end or restart
         * meanwhile). Checked in sessions with interruptions off: with them on, speech that does
         * not interrupt the agent is dropped with its words by design. None of the word
         * invariants is checked for a word whose turn's final timed out, whose audio came in a
         * burst over 1 s late, or whose recognizer ends utterances itself without saying how far
         * its results reach (see {@code SessionProbe#unguarded}).
         */
        WORD_LOST,
        /** A recognized word is in two committed turns (the earlier not carried whole into the later), or twice in one. */
        WORD_REPEATED,
        /**
         * A word spoken before a committed turn's speech ended went to a later turn, though it was
         * in the finals a recognizer stream gave for that turn's audio (up to its answer to the
         * turn's finalize), the stream said how far its results reach, and the turn did not time
         * out waiting for its final (nor was it answered from an interim of a stream that did not
         * say how far it had published). Checked in sessions with a VAD, whose end of speech lies
         * on the audio's timeline, for turns whose audio came at its pace: not in bursts over 1 s
         * late (a feeder starved of CPU; the 10,000-minute soak found 3 such turns in 5,000
         * sessions whose audio came 10-58 s late, not reproduced at a pace the feeders kept up with).
         */
        WORDS_SPLIT
    }

    public Violation {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return invariant + " in session #" + session + (sessionId.isEmpty() ? "" : " (" + sessionId + ")") + ": " + detail;
    }
}
