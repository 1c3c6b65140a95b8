package io.parley.session;

import io.parley.spi.Transcript;
import io.parley.time.Clock;
import java.util.concurrent.Executor;

/**
 * The commit of a {@link UserTurn}'s ended turn: the recognizer asked for the final transcript,
 * the results that finish the ended turn's audio routed to it, the wait for that final (the
 * latest interim answering instead once stable or past the final-transcript timeout), and the
 * outcome told to the listener: committed, dropped when empty, or carried into the open turn
 * when the user went on speaking first. Words that late finals add to turns already answered
 * or carried on go to the open turn. {@link PendingCommit} keeps the accounting,
 * {@link FinalWait} the timing. Loop-confined, like its turn.
 */
final class TurnCommitter {

    private final UserTurn turn;
    private final Clock clock;
    private final UserTurn.Listener listener;
    private final SessionConfig config;
    private final UserTurn.Recognizer recognizer;
    /** The open turn's words, shared with the turn: an ended turn's are read at its end of turn. */
    private final TurnWords words;
    private final PendingCommit pending = new PendingCommit();
    /** The pending turn's wait for its final transcript, fed with every interim result. */
    private final FinalWait finalWait;
    /** When the latest turn was ended, -1 if none (or it was since learnt from). */
    private long committedEot = -1;

    TurnCommitter(UserTurn turn, Clock clock, Executor loop, UserTurn.Listener listener, SessionConfig config,
                  UserTurn.Recognizer recognizer, TurnWords words) {
        this.turn = turn;
        this.clock = clock;
        this.listener = listener;
        this.config = config;
        this.recognizer = recognizer;
        this.words = words;
        this.finalWait = new FinalWait(clock, loop);
    }

    /** Whether an ended turn is waiting for its final transcript. */
    boolean active() {
        return pending.active();
    }

    /** Clock reading of the latest end of turn, -1 if none (or forgotten). */
    long committedEot() {
        return committedEot;
    }

    /** The latest end of turn has served its purpose (a cut-off was learnt from it). */
    void forgetCommittedEot() {
        committedEot = -1;
    }

    /** A turn opened at clock reading {@code atNanos}. */
    void turnOpened(long atNanos) {
        finalWait.turnOpened(atNanos);
    }

    /** The open turn's interim {@code text} arrived at {@code nowNanos}. */
    void interim(String text, long nowNanos) {
        finalWait.interim(text, nowNanos);
    }

    /**
     * A result, while a turn may be pending: handles it and returns true if it finishes the
     * ended turn's audio (every result while no turn is open, a final, or an interim that
     * revises the ended turn's words), false if it belongs to the open turn ({@code turnOpen}).
     */
    boolean offer(Transcript t, boolean turnOpen, long nowNanos) {
        if (!pending.active() || turnOpen && !t.isFinal() && !pending.hears(t.text())) {
            return false;
        }
        listener.transcript(pending.turnId(), t);
        if (!pending.owesOlder() && !t.isFinal()) {
            finalWait.interim(t.text(), nowNanos);
        }
        if (t.speechFinal()) {
            // An interim the open turn took that this final revises was still about its audio.
            words.dropInterimRevisedBy(t.text());
        }
        if (pending.accept(t)) {
            complete(false);
        }
        return true;
    }

    /**
     * A result while no turn is pending, for a turn already answered from its interim or carried
     * on: null if it is new speech, else the words its final adds to that answer (often none).
     *
     * @param spokeAgain whether the user started speaking since the latest end of turn
     */
    String owed(Transcript t, boolean spokeAgain) {
        return pending.active() ? null : pending.catchUp(t, spokeAgain);
    }

    /**
     * Commits turn {@code turnId}, whose words are the turn's and whose speech ended at
     * {@code speechEndNanos} ({@code speechEndHeardNanos} of the recognizer's audio, -1 if
     * unknown), ended now ({@code nowNanos}): its words are taken (the turn's are cleared), the
     * listener told, the recognizer asked for the final transcript and the wait for it started;
     * with no recognizer to ask, the words heard so far are committed at once.
     */
    void commit(long turnId, long speechEndNanos, long speechEndHeardNanos, long nowNanos) {
        pending.begin(turnId, speechEndNanos, speechEndHeardNanos, words.reachNanos(), words.finals(), words.carriedLength(),
                words.interim());
        committedEot = nowNanos;
        words.clear();
        listener.turnEnded(turnId, speechEndNanos, nowNanos);
        if (recognizer.finalizeUtterance()) {
            pending.finalizeSent();
        }
        // An interim may answer once the recognizer has published the turn's audio up to a little past its end of speech.
        long cover = speechEndHeardNanos < 0 ? -1
                : speechEndHeardNanos + Math.min(RecognizerLag.COVER.toNanos(), Math.max(0, nowNanos - speechEndNanos));
        finalWait.start(speechEndNanos, nowNanos, config.sttFinalTimeout(), () -> !pending.interim().isBlank(),
                recognizer::publishedNanos, cover, pending::answerReachNanos, speechEndHeardNanos, timedOut -> {
            if (pending.active() && pending.turnId() == turnId) {
                if (timedOut) {
                    listener.error(new SessionException(ErrorCode.TIMEOUT, "no final transcript within " + config.sttFinalTimeout()
                            + " of finalizing turn " + turnId + "; using the latest interim result"));
                }
                complete(true);
            }
        });
        if (!pending.awaitingFinal()) {
            // No recognizer to ask: the words heard so far are all there will be.
            complete(false);
        }
    }

    /**
     * The user went on speaking before the ended turn was answered: when its transcript
     * arrives, its words move to the front of the open turn instead of being committed.
     *
     * @return true if a turn was being committed
     */
    boolean abandon() {
        if (pending.active()) {
            pending.abandon();
        }
        return pending.active();
    }

    /** The recognition stream was replaced: a turn being committed is finalized again. */
    void recognizerReplaced() {
        finalWait.recognizerReplaced();
        pending.recognizerReplaced(pending.active() && recognizer.finalizeUtterance());
    }

    /** Forgets the pending turn and the finals owed, as at the start of a conversation. */
    void reset() {
        pending.reset();
        finalWait.reset();
    }

    private void complete(boolean timedOut) {
        finalWait.cancel();
        long speechEnd = pending.speechEndNanos();
        PendingCommit.Resolution r = pending.resolve(timedOut);
        if (r.abandoned()) {
            turn.carry(r.text(), true);
            listener.turnDropped(r.turnId(), true);
        } else if (r.text().isEmpty()) {
            listener.turnDropped(r.turnId(), false);
        } else {
            listener.turnCommitted(r.turnId(), r.text(),
                    new UserTurn.Timing(speechEnd, committedEot, clock.nanoTime(), timedOut || r.fromInterim()));
        }
        if (!pending.active()) {
            // Speech that ended while this turn was being committed still needs its end of turn.
            turn.endpointIfSilent();
        }
    }
}
