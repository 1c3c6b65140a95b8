package io.parley.session;

import io.parley.spi.Transcript;
import java.util.ArrayDeque;

/**
 * A {@link UserTurn}'s ended turn while its final transcript is awaited, and the accounting of
 * finalize requests: each is answered by one speech-final result, in order, and those still
 * owed to turns already resolved (answered from an interim, or carried into a later turn) are
 * told apart from the answer the pending turn waits for.
 *
 * <p>A recognizer that also ends utterances at pauses may deliver such a speech-final result,
 * for an earlier pause of the turn, after the turn ended (its finals run seconds late). When
 * the result says how far into the audio it reaches and the turn's end of speech is known on
 * that timeline, a speech-final result that stops short of the end of speech is one of those:
 * its words join the turn, which goes on waiting for the result that reaches its end. So does
 * one that stops short of where the turn's own results already reached, whether or not its end
 * of speech is known there: it is about earlier audio, as the answer to an earlier turn's
 * finalize that the recognizer's endpointing final had already answered (Deepgram gives both).
 * Without those timings the first speech-final result answers the turn. Loop-confined, like its turn.
 */
final class PendingCommit {

    /** How far short of the end of speech a speech-final result may stop and still answer the turn. */
    static final long REACH_TOLERANCE_NANOS = 50_000_000L;

    /** The text and provenance a pending turn resolves to. */
    record Resolution(long turnId, String text, boolean fromInterim, boolean abandoned) {
    }

    private boolean active;
    private boolean abandoned;
    private long turnId;
    private long speechEndNanos;
    /** Where the pending turn's speech ended in the recognizer's audio, -1 if unknown. */
    private long speechEndHeardNanos = -1;
    /** How far into the recognizer's audio the pending turn's results reached before it ended, -1 if unknown. */
    private long resultsReachNanos = -1;
    /** How far the results of the pending turn's words reach, those after its end too, -1 if unknown. */
    private long answerReachNanos = -1;
    private final StringBuilder text = new StringBuilder();
    private String interim = "";
    /** Length of the carried-back words at the front of {@link #text}. */
    private int carried;
    /** Finalize requests not yet answered with a speech-final result, oldest first. */
    private int unanswered;
    /** Of those, how many belong to turns already resolved (before the pending one). */
    private int owedToOlder;
    /**
     * The texts those turns were resolved with, oldest first: one per finalize still owed to
     * a resolved turn. The late final may hold words the answer missed (the recognizer heard
     * the user resume before it was asked to finalize); they are not lost.
     */
    private final ArrayDeque<Owed> owed = new ArrayDeque<>();

    /**
     * A resolved turn's answer whose final is still owed: the words of the answer no final has
     * covered yet ({@code answered}, its own words, to tell the recognizer's results about that
     * audio from new speech), those of them that came from an interim ({@code unfinalized}: a
     * final holds only words no earlier final held, so it is these it repeats), and where the
     * turn's speech ended in the recognizer's audio (-1 if unknown).
     */
    private record Owed(String answered, String unfinalized, long speechEndHeardNanos) {
    }

    /**
     * A turn ended with these words, its speech having ended at {@code speechEndHeardNanos} of
     * the recognizer's audio and its results reaching {@code resultsReachNanos} of it (-1 if
     * unknown); its final transcript is now awaited.
     */
    void begin(long turnId, long speechEndNanos, long speechEndHeardNanos, long resultsReachNanos, String finals,
               int carriedLength, String interim) {
        active = true;
        abandoned = false;
        this.turnId = turnId;
        this.speechEndNanos = speechEndNanos;
        this.speechEndHeardNanos = speechEndHeardNanos;
        this.resultsReachNanos = resultsReachNanos;
        this.answerReachNanos = resultsReachNanos;
        text.setLength(0);
        text.append(finals);
        carried = carriedLength;
        this.interim = interim;
        owedToOlder = unanswered;
    }

    /** The recognizer was asked to finalize the pending turn. */
    void finalizeSent() {
        unanswered++;
    }

    /** Whether a final transcript is still to come for the pending turn. */
    boolean awaitingFinal() {
        return unanswered > owedToOlder;
    }

    boolean active() {
        return active;
    }

    long turnId() {
        return turnId;
    }

    long speechEndNanos() {
        return speechEndNanos;
    }

    String interim() {
        return interim;
    }

    /**
     * How far into the recognizer's audio the results the pending turn would be answered with
     * reach (its finals and latest interim, and those before it ended), -1 if they do not say.
     */
    long answerReachNanos() {
        return answerReachNanos;
    }

    /** Whether the next results answer older finalizes rather than the pending turn's. */
    boolean owesOlder() {
        return owedToOlder > 0;
    }

    /**
     * Whether an interim result that came while the user speaks again still hears the audio of
     * a finalize whose final is owed, rather than the new speech: it revises that audio's latest
     * hypothesis (the pending turn's interim, or the text an older turn was answered with), or
     * none is known. A recognizer behind the audio answers a finalize only after its other
     * results for that audio, so until then its interims may still be about the ended turn.
     */
    boolean hears(String interimText) {
        if (unanswered == 0 || interimText.isBlank()) {
            return false;
        }
        String earlier = interim;
        if (owedToOlder > 0) {
            Owed older = owed.peekFirst();
            earlier = older == null ? null : older.answered();
        }
        return earlier == null || TurnWords.revises(interimText, earlier);
    }

    /** The user went on speaking: the pending turn's words will move into the open turn. */
    void abandon() {
        abandoned = true;
    }

    /**
     * A result for the pending turn's audio.
     *
     * @return true if it was the pending turn's final (it can be resolved now)
     */
    boolean accept(Transcript t) {
        if (owedToOlder > 0) {
            // Still the answer to an earlier finalize whose turn was resolved from its interim;
            // words it adds to that answer were spoken after it, so they open this turn.
            if (t.speechFinal()) {
                String extra = owedFinal(t, true);
                if (!extra.isEmpty()) {
                    StringBuilder sb = new StringBuilder(text.substring(0, carried));
                    TurnWords.append(sb, extra);
                    int carriedEnd = sb.length();
                    TurnWords.append(sb, text.substring(carried));
                    text.setLength(0);
                    text.append(sb);
                    carried = carriedEnd;
                }
            }
            return false;
        }
        answerReachNanos = Math.max(answerReachNanos, t.audioEndNanos());
        if (t.speechFinal() && (endsBefore(t, speechEndHeardNanos) || endsBefore(t, resultsReachNanos))) {
            // The recognizer closed an utterance at a pause of this turn (or, short of the turn's
            // own results, before it): its words are the turn's, and the answer that reaches the
            // end of the turn's speech is still to come. An interim it does not revise heard the
            // speech after that pause.
            TurnWords.append(text, t.text());
            if (TurnWords.revises(t.text(), interim)) {
                interim = "";
            }
            return false;
        }
        if (t.isFinal()) {
            TurnWords.append(text, t.text());
            interim = "";
        } else {
            interim = t.text();
        }
        if (t.speechFinal()) {
            unanswered = Math.max(0, unanswered - 1);
            return true;
        }
        return false;
    }

    /**
     * Whether {@code t} stops short of a speech that ended at {@code speechEndHeardNanos} of the
     * recognizer's audio; false if either is unknown. A result closed at an earlier pause stops
     * short by at least the speech after that pause; {@link #REACH_TOLERANCE_NANOS} keeps a
     * provider's rounding of where its answer ends (a frame, a resampler's delay) from making the
     * answer to a finalize sent right at the end of speech look like one.
     */
    private static boolean endsBefore(Transcript t, long speechEndHeardNanos) {
        return speechEndHeardNanos >= 0 && t.audioEndNanos() >= 0 && t.audioEndNanos() + REACH_TOLERANCE_NANOS < speechEndHeardNanos;
    }

    /**
     * A speech-final result for the oldest turn whose final is owed: the words it adds to that
     * turn's answer. One the recognizer closed at a pause before the end of the turn's speech
     * covers the answer's first words only, if the answer's interim held them; the final that
     * reaches that end is still owed. A recognizer whose interims start afresh after a pause
     * gave an interim of the words after it only, while that pause's final was still to come:
     * the answer from that interim lacks all of the pause final's words, which are all new.
     */
    private String owedFinal(Transcript t, boolean beforePending) {
        Owed o = owed.pollFirst();
        if (o != null && endsBefore(t, o.speechEndHeardNanos())) {
            if (!TurnWords.revises(t.text(), o.unfinalized())) {
                owed.addFirst(o);
                return t.text().trim();
            }
            owed.addFirst(new Owed(TurnWords.beyond(t.text(), o.answered()), TurnWords.beyond(t.text(), o.unfinalized()),
                    o.speechEndHeardNanos()));
            return TurnWords.beyond(o.unfinalized(), t.text());
        }
        unanswered--;
        if (beforePending) {
            owedToOlder--;
        }
        return TurnWords.beyond(o == null ? null : o.unfinalized(), t.text());
    }

    /**
     * A result while no turn is pending but finals are owed to resolved turns.
     *
     * @param spokeAgain whether the user started speaking since the latest turn ended: then a
     *                   result that does not revise the words the oldest owed turn was answered
     *                   with hears the new speech, as {@link #hears} tells for a pending turn
     * @return null if it is new speech; otherwise the words its final adds to what its turn
     *         was resolved with, often none
     */
    String catchUp(Transcript t, boolean spokeAgain) {
        if (unanswered == 0) {
            return null;
        }
        if (!t.speechFinal()) {
            Owed earlier = owed.peekFirst();
            return spokeAgain && earlier != null && !t.text().isBlank() && !TurnWords.revises(t.text(), earlier.answered()) ? null : "";
        }
        return owedFinal(t, false);
    }

    /**
     * Ends the wait: the text to answer (the finals, and the latest interim if the final
     * timed out or none came).
     */
    Resolution resolve(boolean timedOut) {
        active = false;
        String result = text.toString().trim();
        boolean fromInterim = false;
        if (timedOut && !interim.isBlank()) {
            // The interim covers the words after the last final result.
            StringBuilder sb = new StringBuilder(result);
            TurnWords.append(sb, interim);
            result = sb.toString();
            fromInterim = true;
        } else if (result.isEmpty()) {
            result = interim.trim();
            fromInterim = !result.isEmpty();
        }
        if (unanswered > owedToOlder) {
            // Its final is still owed; it covers this turn's own words, not those carried into it
            // (none if all its words were carried: then the final's words are all new), and of
            // those it repeats only the interim's: the finals' words will not come again.
            owed.addLast(new Owed(result.substring(Math.min(carried, result.length())), fromInterim ? interim.trim() : "",
                    speechEndHeardNanos));
        }
        Resolution r = new Resolution(turnId, result, fromInterim, abandoned);
        abandoned = false;
        return r;
    }

    /**
     * The recognition stream was replaced: nothing sent to the old one will be answered.
     *
     * @param finalizedAgain whether the pending turn was finalized again on the new stream
     */
    void recognizerReplaced(boolean finalizedAgain) {
        // The new stream's timeline starts again at zero.
        speechEndHeardNanos = -1;
        resultsReachNanos = -1;
        answerReachNanos = -1;
        unanswered = finalizedAgain ? 1 : 0;
        owedToOlder = 0;
        owed.clear();
    }

    /** Forgets everything, as at the start of a conversation. */
    void reset() {
        active = false;
        abandoned = false;
        speechEndHeardNanos = -1;
        resultsReachNanos = -1;
        answerReachNanos = -1;
        text.setLength(0);
        interim = "";
        unanswered = 0;
        owedToOlder = 0;
        owed.clear();
    }
}
