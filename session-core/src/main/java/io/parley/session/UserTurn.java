package io.parley.session;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.ConversationTurn;
import io.parley.spi.Transcript;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One speaker's turn-taking: from speech onsets, offsets and recognition results to committed
 * user turns. It holds the open turn (its id, final and interim transcripts), decides when
 * the turn ends (end-of-turn timer, turn detector), asks the recognizer for the final
 * transcript and waits for it (final-transcript timer, falling back to the latest interim),
 * and closes the audio gate at the end of a turn with the onset sequence number it saw, so
 * a newer onset on the audio thread is never cut off.
 *
 * <p>A {@link VoiceSession} uses one for its user. A session with several speakers (a group
 * conversation) builds one per participant, each fed by that participant's VAD and
 * recognizer, and answers the turns they commit:
 *
 * <pre>{@code
 * UserTurn turn = UserTurn.builder(clock, loop, listener).config(config)
 *         .recognizer(() -> { stream.finalizeUtterance(); return true; }).build();
 * // on the loop: turn.speechStarted(seq, onset); turn.transcript(t); turn.speechEnded(offset);
 * }</pre>
 *
 * <p>Confined to one serial executor (the {@code loop} given to the builder): every method
 * must be called on it, and every listener call happens on it. Timers are posted back to it.
 */
public final class UserTurn {

    /** What a {@link UserTurn} reports; called on its loop. Defaults ignore the event. */
    public interface Listener {
        /** The user started speaking (a VAD onset, or the first words without a VAD). */
        default void speechStarted(long onsetNanos) {
        }

        /**
         * The user stopped speaking.
         *
         * @return true to start end-of-turn detection now; false to hold it until
         *         {@link UserTurn#endpoint()} or {@link UserTurn#discard()} (e.g. while a
         *         barge-in is being decided)
         */
        default boolean speechEnded(long offsetNanos) {
            return true;
        }

        /** The open turn's text changed (a new interim or final result). */
        default void textChanged(long turnId, String text) {
        }

        /** A recognition result arrived, with the turn it belongs to. */
        default void transcript(long turnId, Transcript transcript) {
        }

        /** The turn ended; its final transcript is being awaited. */
        default void turnEnded(long turnId, long speechEndNanos, long endOfTurnNanos) {
        }

        /** The turn is complete: {@code text} is what the agent should answer. */
        void turnCommitted(long turnId, String text, Timing timing);

        /**
         * An ended turn was dropped: its transcript was empty, or ({@code resumed}) the user
         * went on speaking and its words moved into the open turn.
         */
        default void turnDropped(long turnId, boolean resumed) {
        }

        /** A non-fatal failure (turn detector, missing final transcript). */
        default void error(SessionException error) {
        }
    }

    /** Asks the recognizer to finalize what it heard; false if there is no stream to ask. */
    @FunctionalInterface
    public interface Recognizer {
        boolean finalizeUtterance();
    }

    /** Stops audio reaching the recognizer until the next onset; a newer onset keeps it open. */
    @FunctionalInterface
    public interface Gate {
        void close(long onsetSeq);
    }

    /**
     * Clock readings ({@link Clock#nanoTime()}) of a committed turn.
     *
     * @param speechEndNanos    when the user stopped speaking, -1 if unknown
     * @param endOfTurnNanos    when the turn was ended
     * @param transcriptNanos   when its final transcript arrived (or the wait for it timed out)
     * @param interimFallback   true if the text is the latest interim, the final having timed out
     */
    public record Timing(long speechEndNanos, long endOfTurnNanos, long transcriptNanos, boolean interimFallback) {
    }

    private static final int HISTORY_FOR_TURN_DETECTION = 6;
    /** The wait without a turn detector: a plain silence timeout, as before detectors chose the wait. */
    private static final Duration SILENCE_WITHOUT_DETECTOR = Duration.ofMillis(500);
    /**
     * How long a committed turn waits for its final transcript when it already has a stable
     * interim: one that arrived after the end of speech, so it has heard every word. Past this
     * the turn is answered from that interim (marked as an interim fallback) and the late final
     * is taken as the recognizer catching up. Slow recognizers thus cost at most this much,
     * while fast ones (PocketSphinx without rescoring, streaming cloud recognizers) still
     * answer from their final.
     */
    static final Duration STABLE_INTERIM_WAIT = Duration.ofMillis(250);
    /** Speech within this long after a commit means the user talked on: the turn was cut off. */
    private static final long TALKED_ON_NANOS = 1_500_000_000L;

    private final Clock clock;
    private final Executor loop;
    private final Listener listener;
    private final SessionConfig config;
    private final TurnDetector detector;
    private final Recognizer recognizer;
    private final Gate gate;
    private final Supplier<List<ConversationTurn>> history;
    private final LongSupplier turnIds;
    private final boolean vadDriven;

    // The open turn.
    private long turnId;
    private final StringBuilder finals = new StringBuilder();
    /** The front of {@link #finals}: an unanswered turn's words, carried back; kept until the turn commits. */
    private String carried = "";
    private String interim = "";
    private boolean speaking;
    private long onsetSeq;
    private long onsetNanos;
    private long lastSpeechEndNanos = -1;
    /** How the user's voice ended at the latest offset, for the turn detector. */
    private Prosody lastProsody = Prosody.UNKNOWN;
    private long lastResultNanos;
    private boolean ignoreTranscripts;
    private Clock.Cancellable eotTimer;
    private Clock.Cancellable silenceTimer;

    // The ended turn waiting for its final transcript.
    private boolean committing;
    private boolean abandoned;
    private long committedTurnId;
    private long committedSpeechEnd;
    private long committedEot = -1;
    /** Clock reading of the latest interim result of the open turn. */
    private long interimNanos = -1;
    private final StringBuilder committedText = new StringBuilder();
    private String committedInterim = "";
    private Clock.Cancellable finalTimer;
    /** Finalize requests not yet answered with a speech-final result, oldest first. */
    private int unanswered;
    /** Of those, how many belong to turns already answered (before the one being committed). */
    private int owedToOlder;
    /** Bumped by {@link #reset()}, so timers armed before it do nothing. */
    private int epoch;

    private UserTurn(Builder b) {
        this.clock = b.clock;
        this.loop = b.loop;
        this.listener = b.listener;
        this.config = b.config;
        this.detector = b.detector;
        this.recognizer = b.recognizer;
        this.gate = b.gate;
        this.history = b.history;
        this.turnIds = b.turnIds != null ? b.turnIds : new AtomicLong()::incrementAndGet;
        this.vadDriven = b.vadDriven;
    }

    /**
     * A builder. Required: the clock, the serial executor the turn is confined to, and the
     * listener; everything else has a default.
     */
    public static Builder builder(Clock clock, Executor loop, Listener listener) {
        return new Builder(clock, loop, listener);
    }

    // ---------------------------------------------------------------- inputs

    /**
     * A speech onset, with the onset's sequence number on the audio path (used to close the
     * gate only for this onset) and its clock reading.
     */
    public void speechStarted(long seq, long atNanos) {
        onsetSeq = seq;
        speaking = true;
        onsetNanos = atNanos;
        ignoreTranscripts = false;
        if (eotTimer != null) {
            eotTimer.cancel();
            eotTimer = null;
            if (lastSpeechEndNanos >= 0) {
                observePause(Math.max(0, atNanos - lastSpeechEndNanos), false);
            }
        } else if (detector != null && committedEot >= 0 && atNanos - committedEot < TALKED_ON_NANOS
                && lastSpeechEndNanos >= 0 && lastSpeechEndNanos <= committedEot) {
            // The user talked on right after the turn was ended: a cut-off the detector must learn from.
            detector.observePause(Duration.ofNanos(Math.max(0, atNanos - lastSpeechEndNanos)), false);
            committedEot = -1;
        }
        if (turnId == 0) {
            open();
        }
        listener.speechStarted(atNanos);
    }

    /** A speech offset at {@code atNanos}, with no prosody. Ignored unless speech had started. */
    public void speechEnded(long atNanos) {
        speechEnded(atNanos, Prosody.UNKNOWN);
    }

    /**
     * A speech offset at {@code atNanos}, with how the voice ended (for the turn detector).
     * Ignored unless speech had started.
     */
    public void speechEnded(long atNanos, Prosody prosody) {
        if (!speaking) {
            return;
        }
        speaking = false;
        lastSpeechEndNanos = atNanos;
        lastProsody = Objects.requireNonNull(prosody, "prosody");
        cancelSilence();
        if (listener.speechEnded(atNanos) && turnId != 0) {
            endpoint();
        }
    }

    /** A recognition result for this speaker. */
    public void transcript(Transcript t) {
        long now = clock.nanoTime();
        // While a turn is being committed, results finish its audio, except interim ones once
        // the user has started a new turn: those hear the new speech.
        if (committing && (turnId == 0 || t.isFinal())) {
            listener.transcript(committedTurnId, t);
            toCommitted(t);
            return;
        }
        listener.transcript(turnId, t);
        if (!committing && unanswered > 0) {
            // Results for a turn already answered from its interim: the recognizer is catching
            // up, and this is not new speech.
            if (t.speechFinal()) {
                unanswered--;
            }
            return;
        }
        boolean hasText = !t.text().isBlank();
        if (!vadDriven && hasText) {
            lastResultNanos = now;
            if (!speaking) {
                speechStarted(onsetSeq, now);
            }
            armSilence();
        }
        if (ignoreTranscripts) {
            return;
        }
        if (turnId == 0) {
            if (!hasText) {
                return;
            }
            open();
        }
        if (t.isFinal()) {
            append(finals, t.text());
            interim = "";
        } else {
            interim = t.text();
            interimNanos = now;
        }
        if (!vadDriven && t.speechFinal() && speaking) {
            speechEnded(now);
            return;
        }
        listener.textChanged(turnId, text());
        if (!speaking && eotTimer != null) {
            endpoint();
        }
    }

    /**
     * The recognition stream was replaced: the new one owes no answers to finalizes sent to
     * the old one, and one sent to the old one may be lost, so a turn being committed is
     * finalized again.
     */
    public void recognizerReplaced() {
        unanswered = 0;
        owedToOlder = 0;
        if (committing && recognizer.finalizeUtterance()) {
            unanswered = 1;
        }
    }

    // ---------------------------------------------------------------- policy

    /** Starts (or restarts) end-of-turn detection for the open turn, if the user is silent. */
    public void endpoint() {
        if (speaking || turnId == 0) {
            return;
        }
        long now = clock.nanoTime();
        Duration min = config.endpointingMinDelay();
        Duration max = config.endpointingMaxDelay();
        Duration delay = detector == null ? SILENCE_WITHOUT_DETECTOR : min;
        if (detector != null) {
            try {
                TurnPrediction p = detector.predict(new TurnContext(Duration.ofNanos(Math.max(0, now - lastSpeechEndNanos)),
                        text(), recentHistory(), min, max, Double.NaN, lastProsody));
                delay = p.delay();
            } catch (RuntimeException e) {
                listener.error(new SessionException(ErrorCode.INTERNAL_ERROR, "turn detector failed; using the minimum delay", e));
            }
        }
        if (delay.compareTo(min) < 0) {
            delay = min;
        } else if (delay.compareTo(max) > 0) {
            delay = max;
        }
        long wait = Math.max(0, lastSpeechEndNanos + delay.toNanos() - now);
        cancel(eotTimer);
        int e = epoch;
        eotTimer = clock.schedule(() -> loop.execute(() -> {
            if (e == epoch) {
                endOfTurn();
            }
        }), wait, TimeUnit.NANOSECONDS);
    }

    /**
     * Forgets the open turn (noise, a backchannel) and ignores results until the next onset.
     * Words carried back into it ({@link #prepend}) stay: the turn keeps them and ends as usual.
     */
    public void discard() {
        cancel(eotTimer);
        eotTimer = null;
        finals.setLength(0);
        interim = "";
        ignoreTranscripts = true;
        gate.close(onsetSeq);
        if (carried.isEmpty()) {
            turnId = 0;
        } else {
            // Only the noise goes: words carried back from an unanswered turn still need their answer.
            finals.append(carried);
            endpoint();
        }
    }

    /**
     * The user went on speaking before the ended turn was answered: when its transcript
     * arrives, its words move to the front of the open turn instead of being committed.
     *
     * @return true if a turn was being committed
     */
    public boolean abandonCommit() {
        if (committing) {
            abandoned = true;
        }
        return committing;
    }

    /** Puts {@code earlier} (an unanswered turn's words) before the open turn's text. */
    public void prepend(String earlier) {
        carry(earlier, false);
    }

    /**
     * Carries an unanswered turn's words into the open turn (opening one if none is, so they
     * are committed at its end of turn): before all of its text, or ({@code newest}) after
     * the words carried into it before, which are older.
     */
    private void carry(String words, boolean newest) {
        if (words.isBlank()) {
            return;
        }
        if (turnId == 0) {
            open();
        }
        String rest = finals.substring(Math.min(carried.length(), finals.length()));
        StringBuilder c = new StringBuilder(newest ? carried : words.trim());
        append(c, newest ? words : carried);
        carried = c.toString();
        finals.setLength(0);
        finals.append(carried);
        append(finals, rest);
    }

    /** Cancels timers and forgets everything, as at the start of a conversation. */
    public void reset() {
        epoch++;
        cancel(eotTimer);
        cancel(finalTimer);
        cancelSilence();
        eotTimer = finalTimer = null;
        turnId = 0;
        finals.setLength(0);
        carried = "";
        interim = "";
        speaking = false;
        lastSpeechEndNanos = -1;
        lastProsody = Prosody.UNKNOWN;
        ignoreTranscripts = false;
        committing = false;
        abandoned = false;
        committedText.setLength(0);
        committedInterim = "";
        unanswered = 0;
        owedToOlder = 0;
        if (detector != null) {
            detector.reset();
        }
    }

    // ---------------------------------------------------------------- queries

    /** The open turn's id, 0 if none is open. */
    public long turnId() {
        return turnId;
    }

    /** Whether the user is speaking. */
    public boolean speaking() {
        return speaking;
    }

    /** Clock reading of the latest onset. */
    public long onsetNanos() {
        return onsetNanos;
    }

    /** Clock reading of the latest offset, -1 if none yet. */
    public long lastSpeechEndNanos() {
        return lastSpeechEndNanos;
    }

    /** The open turn's text: its finals, then the latest interim. */
    public String text() {
        if (interim.isEmpty()) {
            return finals.toString().trim();
        }
        return (finals.length() == 0 ? interim : finals + " " + interim).trim();
    }

    /** Whether an ended turn is waiting for its final transcript. */
    public boolean committing() {
        return committing;
    }

    /** Whether end-of-turn detection is under way for the open turn. */
    public boolean endpointing() {
        return eotTimer != null;
    }

    // ---------------------------------------------------------------- internals

    private void open() {
        turnId = turnIds.getAsLong();
        finals.setLength(0);
        finals.append(carried);
        interim = "";
    }

    private void endOfTurn() {
        eotTimer = null;
        if (speaking || turnId == 0) {
            return;
        }
        long now = clock.nanoTime();
        observePause(now - lastSpeechEndNanos, true);
        if (committing) {
            // The previous turn's transcript is still coming; this turn ends once it has.
            return;
        }
        committing = true;
        abandoned = false;
        committedTurnId = turnId;
        committedSpeechEnd = lastSpeechEndNanos;
        committedEot = now;
        committedText.setLength(0);
        committedText.append(finals);
        committedInterim = interim;
        turnId = 0;
        finals.setLength(0);
        carried = "";
        interim = "";
        gate.close(onsetSeq);
        listener.turnEnded(committedTurnId, committedSpeechEnd, now);
        owedToOlder = unanswered;
        if (recognizer.finalizeUtterance()) {
            unanswered++;
        }
        long tid = committedTurnId;
        int e = epoch;
        boolean stable = !committedInterim.isBlank() && interimNanos >= committedSpeechEnd;
        Duration wait = stable && STABLE_INTERIM_WAIT.compareTo(config.sttFinalTimeout()) < 0
                ? STABLE_INTERIM_WAIT : config.sttFinalTimeout();
        finalTimer = clock.schedule(() -> loop.execute(() -> {
            if (e == epoch && committing && committedTurnId == tid) {
                if (!stable) {
                    listener.error(new SessionException(ErrorCode.TIMEOUT, "no final transcript within " + config.sttFinalTimeout()
                            + " of finalizing turn " + tid + "; using the latest interim result"));
                }
                complete(true);
            }
        }), wait.toNanos(), TimeUnit.NANOSECONDS);
        if (unanswered == owedToOlder) {
            // No recognizer to ask: the words heard so far are all there will be.
            complete(false);
        }
    }

    private void toCommitted(Transcript t) {
        if (owedToOlder > 0) {
            // Still the answer to an earlier finalize whose turn was answered from its interim.
            if (t.speechFinal()) {
                owedToOlder--;
                unanswered--;
            }
            return;
        }
        if (t.isFinal()) {
            append(committedText, t.text());
            committedInterim = "";
        } else {
            committedInterim = t.text();
            interimNanos = clock.nanoTime();
        }
        if (t.speechFinal()) {
            unanswered = Math.max(0, unanswered - 1);
            complete(false);
        }
    }

    private void complete(boolean timedOut) {
        committing = false;
        cancel(finalTimer);
        finalTimer = null;
        String text = committedText.toString().trim();
        boolean fromInterim = false;
        if (timedOut && !committedInterim.isBlank()) {
            // The interim covers the words after the last final result.
            StringBuilder sb = new StringBuilder(text);
            append(sb, committedInterim);
            text = sb.toString();
            fromInterim = true;
        } else if (text.isEmpty()) {
            text = committedInterim.trim();
            fromInterim = !text.isEmpty();
        }
        long tid = committedTurnId;
        if (abandoned) {
            abandoned = false;
            carry(text, true);
            listener.turnDropped(tid, true);
        } else if (text.isEmpty()) {
            listener.turnDropped(tid, false);
        } else {
            listener.turnCommitted(tid, text,
                    new Timing(committedSpeechEnd, committedEot, clock.nanoTime(), timedOut || fromInterim));
        }
        if (!committing && turnId != 0 && !speaking && eotTimer == null && lastSpeechEndNanos >= 0) {
            // Speech that ended while this turn was being committed still needs its end of turn.
            endpoint();
        }
    }

    /** Without a VAD, a recognizer that never ends utterances is taken as silent once its results stop. */
    private void armSilence() {
        cancelSilence();
        int e = epoch;
        silenceTimer = clock.schedule(() -> loop.execute(() -> {
            if (e == epoch && speaking) {
                silenceTimer = null;
                speechEnded(lastResultNanos);
            }
        }), config.endpointingMaxDelay().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelSilence() {
        cancel(silenceTimer);
        silenceTimer = null;
    }

    private void observePause(long pauseNanos, boolean endedTurn) {
        if (detector == null) {
            return;
        }
        try {
            detector.observePause(Duration.ofNanos(pauseNanos), endedTurn);
        } catch (RuntimeException e) {
            listener.error(new SessionException(ErrorCode.INTERNAL_ERROR, "turn detector failed to learn from a pause", e));
        }
    }

    private List<ConversationTurn> recentHistory() {
        List<ConversationTurn> h = history.get();
        int n = h.size();
        return h.subList(Math.max(0, n - HISTORY_FOR_TURN_DETECTION), n);
    }

    private static void cancel(Clock.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    static void append(StringBuilder sb, String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(t);
    }

    /** Configures a {@link UserTurn}. */
    public static final class Builder {
        private final Clock clock;
        private final Executor loop;
        private final Listener listener;
        private SessionConfig config = SessionConfig.defaults();
        private TurnDetector detector;
        private Recognizer recognizer = () -> false;
        private Gate gate = seq -> { };
        private Supplier<List<ConversationTurn>> history = List::of;
        private LongSupplier turnIds;
        private boolean vadDriven = true;

        private Builder(Clock clock, Executor loop, Listener listener) {
            this.clock = requireArg(clock, "clock");
            this.loop = requireArg(loop, "loop");
            this.listener = requireArg(listener, "listener");
        }

        /** Endpointing delays and the final-transcript timeout [{@link SessionConfig#defaults()}]. */
        public Builder config(SessionConfig config) {
            this.config = requireArg(config, "config");
            return this;
        }

        /**
         * Turn detection, which chooses the wait within the session's endpointing bounds;
         * without it a turn ends a fixed 500 ms after speech, kept within those bounds [none].
         */
        public Builder turnDetector(TurnDetector detector) {
            this.detector = requireArg(detector, "turnDetector");
            return this;
        }

        /** How to ask for the final transcript [none: a turn commits with the words heard]. */
        public Builder recognizer(Recognizer recognizer) {
            this.recognizer = requireArg(recognizer, "recognizer");
            return this;
        }

        /** The audio gate to close at the end of a turn [none]. */
        public Builder gate(Gate gate) {
            this.gate = requireArg(gate, "gate");
            return this;
        }

        /** The conversation so far, for the turn detector; read on the loop [empty]. */
        public Builder history(Supplier<List<ConversationTurn>> history) {
            this.history = requireArg(history, "history");
            return this;
        }

        /** Where turn ids come from, e.g. one counter shared by several speakers [1, 2, 3, …]. */
        public Builder turnIds(LongSupplier turnIds) {
            this.turnIds = requireArg(turnIds, "turnIds");
            return this;
        }

        /**
         * Whether speech onsets and offsets come from a VAD [true]. Without one, the first
         * words of a result mark speech, and a speech-final result ends it; a recognizer that
         * never sends one is taken as silent once its results stop for
         * {@link SessionConfig#endpointingMaxDelay()}.
         */
        public Builder vadDriven(boolean vadDriven) {
            this.vadDriven = vadDriven;
            return this;
        }

        public UserTurn build() {
            return new UserTurn(this);
        }

        private static <T> T requireArg(T v, String name) {
            if (v == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return Objects.requireNonNull(v);
        }
    }
}
