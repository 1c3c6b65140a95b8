package io.parley.session;

import io.parley.spi.ExpectedAnswer;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;

/**
 * The session's barge-in policy around its user's {@link UserTurn}: whether the user's speech
 * interrupts the agent (long enough, enough words, the speech interruptible), pausing playback
 * on a possible interruption and resuming it when it proves false, and what happens to a turn
 * the user resumes before it was answered; and what the agent expects the user to say, which
 * holds until a turn is answered and comes back with a turn the user resumed. Loop-confined.
 */
final class TurnTaking implements UserTurn.Listener {

    /**
     * How often paused playback, held for a recognizer behind its audio, reads how far its results
     * reach. A result wakes it at once; this catches one that caught up without a result (the
     * speech held no words), which only {@link io.parley.spi.SttStream#publishedNanos()} shows.
     */
    private static final long RECHECK_NANOS = 100_000_000L;
    /**
     * How soon after the reply's first audio went out the user may start speaking and still not
     * be answering it [300 ms: the audio still has the transport's playout latency to cross, and a
     * listener needs the first syllable (100-200 ms) and a reaction (150-200 ms at the quickest)
     * before a backchannel to it].
     */
    static final long UNHEARD_NANOS = 300_000_000L;

    private final DefaultVoiceSession s;
    /** Due when the speech that began at the latest onset is long enough to interrupt. */
    private final LoopTimer interruptCheck;
    /** Due when paused playback resumes unless words have made the speech an interruption. */
    private final LoopTimer falseInterrupt;
    /** Due when speech held as the continuation of the turn just ended is read for words again. */
    private final LoopTimer continuationCheck;
    /** Playback was paused at the onset of speech that has not yet proved to be an interruption. */
    private boolean pausedAtOnset;
    /** Where the speech that paused playback began: later segments of it count from here. */
    private long pausedOnsetNanos;
    /** Whether the user's current (or last) speech already cut the agent. */
    private boolean bargedIn;
    /** Clock reading past which paused playback no longer waits for a recognizer behind its audio. */
    private long falseInterruptDeadlineNanos;
    /** The false-interruption timeout passed while the recognizer had not yet published the speech. */
    private boolean awaitingRecognizer;
    /**
     * The user's current speech began after their turn ended and before they can have heard any
     * of the agent's reply (the session was {@link SessionState#PROCESSING}, or the reply began
     * less than {@link #UNHEARD_NANOS} before): more of that turn, not an answer to the reply, so
     * it is not dismissed as a backchannel however short.
     */
    private boolean continuing;
    /** Where the user's current speech began (its first segment, for speech held for its words). */
    private long speechOnsetNanos;
    /** Short continuing speech has ended and waits for its words: any word makes it a barge-in. */
    private boolean heldForWords;
    /**
     * When speech held for its words ended. It is dropped as wordless: with a recognizer that
     * does not say how far its results reach, the false-interruption timeout after this; with
     * one that does, once they reach past the speech, or at the latest that timeout and
     * endpointingMaxDelay after this (as paused playback waits for a late one).
     */
    private long heldSinceNanos;
    /** What the agent expected of the latest answered turn: it holds again if the user resumes that turn. */
    private ExpectedAnswer answeredExpectation = ExpectedAnswer.ANY;
    /**
     * The turn that was open when the expectation was set (0: none): only a later turn answers
     * it. An agent replying ahead of the commit (preemptive generation) sets what it expects of
     * the next turn while the one it answers is still open.
     */
    private long expectedAfterTurn;

    TurnTaking(DefaultVoiceSession session) {
        this.s = session;
        this.interruptCheck = new LoopTimer(session.clock, session.loop);
        this.falseInterrupt = new LoopTimer(session.clock, session.loop);
        this.continuationCheck = new LoopTimer(session.clock, session.loop);
    }

    /** The agent expects {@code answer} of the user's next turns (until one is answered). */
    void expect(ExpectedAnswer answer) {
        expectedAfterTurn = s.turn.turnId();
        s.turn.expect(answer);
        s.recognizer.expect(answer);
    }

    /** Cancels the barge-in timers (the agent was cut or the session is stopping). */
    void cancelTimers() {
        falseInterrupt.cancel();
        awaitingRecognizer = false;
        interruptCheck.cancel();
        continuationCheck.cancel();
        heldForWords = false;
        continuing = false;
    }

    // ---------------------------------------------------------------- UserTurn.Listener

    @Override
    public void speechStarted(long onsetNanos) {
        s.touch();
        bargedIn = false;
        if (s.state == SessionState.AWAY) {
            s.transition(SessionState.LISTENING, "user_returned");
        }
        s.replies.cancelPreemptive();
        if (s.recognizer.stream() == null) {
            s.recognizer.reopen();
        }
        UserSpeech ev = new UserSpeech(true, s.instantAt(onsetNanos));
        s.events.emit(l -> l.onUserSpeech(ev));
        // Speech held for its words that goes on continues the same turn.
        if (!heldForWords) {
            speechOnsetNanos = onsetNanos;
        }
        continuing = heldForWords || interruptible() && (s.state == SessionState.PROCESSING || replyUnheardAt(onsetNanos));
        heldForWords = false;
        continuationCheck.cancel();
        if (interruptible()) {
            long due = onsetNanos + s.config.interruptionMinDuration().toNanos() - s.clock.nanoTime();
            interruptCheck.arm(due, this::evaluateInterruption);
            if (canPause() && !s.output.paused() && s.output.pause()) {
                // Fast barge-in: stop talking over the user at once; the interruption check then
                // cuts the reply, or the playback resumes if the speech proves too short or wordless.
                pausedAtOnset = true;
                pausedOnsetNanos = onsetNanos;
                armFalseInterruption();
            }
        }
    }

    @Override
    public boolean speechEnded(long offsetNanos) {
        s.touch();
        s.awayAnchorNanos = s.clock.nanoTime();
        UserSpeech ev = new UserSpeech(false, s.instantAt(offsetNanos));
        s.events.emit(l -> l.onUserSpeech(ev));
        if (interruptCheck.armed() && offsetNanos - s.turn.onsetNanos() < s.config.interruptionMinDuration().toNanos()) {
            interruptCheck.cancel();
            if (pausedAtOnset && !continuing && s.output.paused()
                    && offsetNanos - pausedOnsetNanos < s.config.interruptionMinDuration().toNanos()) {
                // Too short to interrupt (a cough, a knock): carry on speaking right away. Speech
                // resumed after a short gap counts from the pause, so the user's second word does
                // not restart the agent as if it were a cough.
                pausedAtOnset = false;
                falseInterrupt.cancel();
                s.output.resume();
                s.turn.discard();
                return false;
            }
        }
        if (s.output.paused()) {
            // Possible barge-in: the false-interruption timer decides.
            return false;
        }
        if (continuing && !interruptCheck.armed() && interruptible() && !bargedIn) {
            // Begun before any of the reply could be heard: a backchannel answers what was heard,
            // so this is the user going on with the turn that just ended ("november | fifth", the
            // "fifth" too short to interrupt). Its words decide once the recognizer has them.
            heldForWords = true;
            heldSinceNanos = s.clock.nanoTime();
            checkContinuation();
            return false;
        }
        if (!interruptCheck.armed() && interruptible() && !bargedIn) {
            // The agent kept the floor: this speech was a backchannel or noise, not a turn.
            s.turn.discard();
            return false;
        }
        if (interruptCheck.armed()) {
            // Long enough but still waiting for words; the transcript decides.
            return false;
        }
        s.replies.maybePreempt(s.turn.turnId(), s.turn.text(), s.turn.committing());
        return true;
    }

    @Override
    public void transcript(long turnId, Transcript t) {
        s.touch();
        s.awayAnchorNanos = s.clock.nanoTime();
        UserTranscript ev = new UserTranscript(turnId, t, s.clock.now());
        s.events.emit(l -> l.onUserTranscript(ev));
    }

    @Override
    public void textChanged(long turnId, String text) {
        if (heldForWords) {
            checkContinuation();
            return;
        }
        SessionState st = s.state;
        if (s.output.paused() || !interruptCheck.armed() && (st == SessionState.SPEAKING || st == SessionState.PROCESSING)) {
            evaluateInterruption();
        }
        if (awaitingRecognizer && !s.turn.resultsBehindSpeech()) {
            // The result that covers the speech: its words (or their absence) are the verdict now.
            falseInterrupt.cancel();
            falseInterruptionExpired();
        }
    }

    @Override
    public void turnEnded(long turnId, long speechEndNanos, long endOfTurnNanos) {
        s.replies.turnEnded(turnId, speechEndNanos, endOfTurnNanos);
        if (s.state != SessionState.SPEAKING) {
            s.transition(SessionState.PROCESSING, "end_of_turn");
        }
    }

    @Override
    public void turnCommitted(long turnId, String text, UserTurn.Timing timing) {
        s.recognizer.preferBetter();
        // Cleared before the agent is called, so an expectation it sets with its reply holds;
        // not if it was set while this turn was open, by a reply to it generated ahead.
        if (turnId > expectedAfterTurn) {
            answeredExpectation = s.turn.expected();
            expect(ExpectedAnswer.ANY);
        }
        s.replies.answer(turnId, text, timing);
        s.settleState("end_of_turn");
    }

    @Override
    public void turnDropped(long turnId, boolean resumed) {
        if (!resumed) {
            s.recognizer.preferBetter();
        }
        s.replies.turnDropped(resumed);
        s.settleState(resumed ? "barge_in" : "empty_turn");
    }

    @Override
    public void error(SessionException error) {
        s.reportError(error);
    }

    // ---------------------------------------------------------------- barge-in

    /** Whether user speech may cut the agent now. */
    boolean interruptible() {
        if (!s.config.interruptions()) {
            return false;
        }
        Speech active = s.output.active();
        if (active != null && active.started && !active.options.allowInterruptions()) {
            return false;
        }
        return s.state == SessionState.SPEAKING || s.state == SessionState.PROCESSING;
    }

    private void evaluateInterruption() {
        if (!s.running) {
            return;
        }
        if (!interruptible()) {
            // Nothing left to interrupt: speech held for this decision is an ordinary turn now.
            releaseHeldTurn();
            return;
        }
        UserTurn turn = s.turn;
        long end = turn.speaking() ? s.clock.nanoTime() : turn.lastSpeechEndNanos();
        long spoke = end - turn.onsetNanos();
        boolean paused = s.output.paused();
        if (spoke < s.config.interruptionMinDuration().toNanos() && !paused) {
            return;
        }
        int words = TextSimilarity.words(turn.text()).length;
        if (words < s.config.interruptionMinWords()) {
            return;
        }
        if (words == 0 && canPause()) {
            if (!paused) {
                pausePlayback();
            }
            return;
        }
        if (paused && words == 0) {
            return;
        }
        bargeIn();
    }

    /**
     * Reads speech held as the continuation of the turn just ended: a word makes it a barge-in
     * (the turn is carried back if nobody heard its reply, or this speech becomes the next turn);
     * none once the recognizer has published past it, or by the deadline (see
     * {@link #heldSinceNanos}), and it is dropped as a cough or a click would be.
     */
    private void checkContinuation() {
        continuationCheck.cancel();
        if (!heldForWords || !s.running) {
            return;
        }
        if (!interruptible()) {
            // The reply is over (or cannot be cut): the held speech is an ordinary turn now.
            heldForWords = false;
            continuing = false;
            releaseHeldTurn();
            return;
        }
        if (TextSimilarity.words(s.turn.text()).length >= Math.max(1, s.config.interruptionMinWords())) {
            heldForWords = false;
            bargeIn();
            return;
        }
        boolean covered = s.turn.resultsCoverSpeech();
        boolean reports = covered || s.turn.resultsBehindSpeech();
        long wait = s.config.falseInterruptionTimeout().toNanos() + (reports ? s.config.endpointingMaxDelay().toNanos() : 0);
        long left = heldSinceNanos + wait - s.clock.nanoTime();
        if (covered || left <= 0) {
            heldForWords = false;
            continuing = false;
            s.turn.discard();
            return;
        }
        continuationCheck.arm(Math.min(RECHECK_NANOS, left), this::checkContinuation);
    }

    /** Whether the agent's reply playing now began too shortly before {@code onsetNanos} to have been heard. */
    private boolean replyUnheardAt(long onsetNanos) {
        Speech active = s.output.active();
        return active != null && active.started && onsetNanos - active.startedNanos < UNHEARD_NANOS;
    }

    private boolean canPause() {
        return s.state == SessionState.SPEAKING && s.transport.canPause() && !s.config.falseInterruptionTimeout().isZero();
    }

    private void pausePlayback() {
        if (!s.output.pause()) {
            bargeIn();
            return;
        }
        armFalseInterruption();
    }

    private void armFalseInterruption() {
        awaitingRecognizer = false;
        long timeout = s.config.falseInterruptionTimeout().toNanos();
        falseInterruptDeadlineNanos = s.clock.nanoTime() + timeout + s.config.endpointingMaxDelay().toNanos();
        scheduleFalseInterruption(timeout);
    }

    private void scheduleFalseInterruption(long delayNanos) {
        falseInterrupt.arm(delayNanos, this::falseInterruptionExpired);
    }

    private void falseInterruptionExpired() {
        long left = falseInterruptDeadlineNanos - s.clock.nanoTime();
        if (s.running && s.output.paused() && s.turn.resultsBehindSpeech() && left > 0) {
            // No words yet is no verdict while the recognizer has not published the speech that
            // paused playback: a decoder starved of CPU ran seconds behind, playback resumed and
            // the user's barge-in was dropped before its words came (EchoEval under load). Wait
            // for it, as the end of a turn does, up to endpointingMaxDelay more: the next result
            // that covers the speech decides (textChanged).
            awaitingRecognizer = true;
            scheduleFalseInterruption(Math.min(RECHECK_NANOS, left));
            return;
        }
        awaitingRecognizer = false;
        pausedAtOnset = false;
        if (!s.running) {
            return;
        }
        if (!s.output.paused()) {
            releaseHeldTurn();
            return;
        }
        s.output.resume();
        if (!s.turn.speaking()) {
            s.turn.discard();
        }
    }

    /** Ends a turn whose end of turn {@link #speechEnded} held for a barge-in decision that is moot. */
    private void releaseHeldTurn() {
        if (!s.turn.speaking() && !s.turn.endpointing()) {
            s.turn.endpoint();
        }
    }

    private void bargeIn() {
        pausedAtOnset = false;
        bargedIn = true;
        continuing = false;
        if (s.state == SessionState.PROCESSING) {
            // A turn still being committed continues in the open turn once its transcript is in.
            s.turn.abandonCommit();
        }
        // A turn whose reply nobody has heard yet (still being generated, maybe queued behind
        // other speech the user just cut) continues in the open turn too, before the one being
        // committed; its reply is cut below.
        carryBackUserTurn();
        s.replies.cancelPreemptive();
        s.cutAgent("barge_in", false);
        s.replies.endTurnSpan();
        s.settleState("barge_in");
        s.turn.endpoint();
    }

    private void carryBackUserTurn() {
        String words = s.replies.takeBackUserTurn(speechOnsetNanos);
        if (words != null) {
            if (s.turn.expected().equals(ExpectedAnswer.ANY)) {
                expect(answeredExpectation);
            }
            s.turn.prepend(words);
        }
    }

    /** Recognition hit the longest utterance: force a final chunk so results keep flowing. */
    void maxUtteranceReached() {
        SttStream stream = s.recognizer.stream();
        if (s.running && stream != null && !s.turn.committing()) {
            stream.finalizeUtterance();
        }
    }
}
