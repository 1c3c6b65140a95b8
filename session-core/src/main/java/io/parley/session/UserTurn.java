package io.parley.session;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.ConversationTurn;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.Transcript;
import io.parley.spi.TurnDetector;
import io.parley.spi.Word;
import io.parley.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
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
 * <p>Given the speaker's {@link HeardAudio}, the end-of-turn wait is counted in silence heard,
 * so audio that comes late never ends a turn in a pause the user did not make, within
 * {@link SessionConfig#inputStallTimeout()}; without it, on the clock alone.
 *
 * <p>Each recognized word belongs to exactly one committed turn, whatever the recognizer's lag:
 * results up to the final answering a turn's finalize are about its audio; interims that come
 * once the user speaks again are the ended turn's if they revise its words, else the new
 * speech's; a final replaces the interims it finalizes (one the open turn took too); an ended
 * turn answered or carried into the open turn before its final is owed only the words that final
 * adds beyond its own, and carried words are not its own. When results say how far into the
 * audio they reach ({@link Transcript#audioEndNanos()}), the final that answers an ended turn is
 * one that reaches the end of its speech: a final the recognizer closed at an earlier pause joins
 * the turn instead; and when the recognizer says how far its results reach
 * ({@link Recognizer#publishedNanos()}), the turn is answered from its interim only once they
 * reach the end of its speech.
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

        /** The stream's {@link io.parley.spi.SttStream#publishedNanos()}; -1 if unknown. */
        default long publishedNanos() {
            return -1;
        }
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

    private final Clock clock;
    private final Listener listener;
    private final Gate gate;
    private final LongSupplier turnIds;
    private final boolean vadDriven;

    // The open turn.
    private long turnId;
    private final TurnWords words = new TurnWords();
    private boolean speaking;
    private long onsetSeq;
    private long onsetNanos;
    private boolean ignoreTranscripts;
    /** When the open turn ends: the latest end of speech, the wait, what the detector learns. */
    private final TurnEnding ending;
    /** The wait's rules, kept to tell them what the agent expects. */
    private final TurnEndDelay endDelay;
    /** Without a VAD, when results stopped: the end of speech. */
    private final ResultSilence silence;

    /** The ended turn waiting for its final transcript, and the finals owed to turns before it. */
    private final TurnCommitter committer;

    private UserTurn(Builder b) {
        this.clock = b.clock;
        this.listener = b.listener;
        this.gate = b.gate;
        this.turnIds = b.turnIds != null ? b.turnIds : new AtomicLong()::incrementAndGet;
        this.vadDriven = b.vadDriven;
        this.committer = new TurnCommitter(this, b.clock, b.loop, b.listener, b.config, b.recognizer, words);
        this.endDelay = new TurnEndDelay(b.config, b.detector, b.history, b.heard, e -> b.listener.error(e));
        this.ending = new TurnEnding(b.clock, b.loop, b.config, endDelay, b.recognizer, this::endOfTurn);
        this.silence = new ResultSilence(b.clock, b.loop, b.config.endpointingMaxDelay(), at -> {
            if (speaking) {
                speechEnded(at);
            }
        });
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
        if (ending.speechStarted(atNanos, committer.committedEot())) {
            committer.forgetCommittedEot();
        }
        if (turnId == 0) {
            open();
        }
        listener.speechStarted(atNanos);
    }

    /**
     * The agent's speech (a reply, or anything said to this user) played out in full, not
     * interrupted: speech that follows answers it, so it is not learnt as the user talking on
     * from the turn that ended before it (a cut-off), however soon after that turn's end.
     */
    public void agentSpeechPlayed() {
        ending.agentPlayed(clock.nanoTime());
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
        speechEnded(atNanos, prosody, -1);
    }

    /**
     * A speech offset at {@code atNanos}, with how the voice ended and where the offset lies in
     * the audio the recognizer was given ({@code heardNanos}, on the timeline of its
     * {@linkplain Word word timings}; -1 if unknown), so the turn detector can tell words heard
     * in the speech from words decoded from the silence after it. Ignored unless speech had started.
     */
    public void speechEnded(long atNanos, Prosody prosody, long heardNanos) {
        if (!speaking) {
            return;
        }
        speaking = false;
        ending.speechEnded(atNanos, prosody, heardNanos);
        silence.cancel();
        if (listener.speechEnded(atNanos) && turnId != 0) {
            endpoint();
        }
    }

    /** A recognition result for this speaker. */
    public void transcript(Transcript t) {
        long now = clock.nanoTime();
        // While a turn is being committed, results finish its audio, except interims that, once
        // the user spoke again, do not revise its words: those hear the new speech.
        if (committer.offer(t, turnId != 0, now)) {
            return;
        }
        listener.transcript(turnId, t);
        String extra = committer.owed(t, turnId != 0 && onsetNanos >= committer.committedEot());
        if (extra != null) {
            // A result for a turn already answered from its interim: the recognizer is catching
            // up, and this is not new speech, except words its final adds to that answer.
            if (!extra.isEmpty()) {
                carry(extra, true);
                listener.textChanged(turnId, text());
                endpointIfSilent();
            }
            return;
        }
        boolean hasText = !t.text().isBlank();
        if (!vadDriven && hasText) {
            if (!speaking) {
                speechStarted(onsetSeq, now);
            }
            silence.result(now);
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
        if (!t.words().isEmpty() || !t.text().isBlank()) {
            ending.result(t.words(), now);
        }
        words.reached(t.audioEndNanos());
        if (t.isFinal()) {
            words.addFinal(t.text());
        } else {
            words.interim(t.text());
            committer.interim(t.text(), now);
        }
        if (!vadDriven && t.speechFinal() && speaking) {
            speechEnded(now);
            return;
        }
        listener.textChanged(turnId, text());
        if (!speaking && ending.armed()) {
            endpoint();
        }
    }

    /**
     * The recognition stream was replaced: the new one owes no answers to finalizes sent to
     * the old one, and one sent to the old one may be lost, so a turn being committed is
     * finalized again.
     */
    public void recognizerReplaced() {
        words.newTimeline();
        ending.recognizerReplaced();
        committer.recognizerReplaced();
    }

    // ---------------------------------------------------------------- policy

    /** Starts (or restarts) end-of-turn detection for the open turn, if the user is silent. */
    public void endpoint() {
        if (speaking || turnId == 0) {
            return;
        }
        ending.arm(clock.nanoTime(), text());
    }

    /**
     * Forgets the open turn (noise, a backchannel) and ignores results until the next onset.
     * Words carried back into it ({@link #prepend}) stay: the turn keeps them and ends as usual.
     */
    public void discard() {
        ending.cancel();
        words.dropOwn();
        ending.forgetWords();
        ignoreTranscripts = true;
        gate.close(onsetSeq);
        if (!words.hasCarried()) {
            turnId = 0;
        } else {
            // Only the noise goes: words carried back from an unanswered turn still need their answer.
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
        return committer.abandon();
    }

    /** What the agent expects the user to say, for the turn detector; until told otherwise. */
    void expect(ExpectedAnswer answer) {
        endDelay.expect(answer);
    }

    ExpectedAnswer expected() {
        return endDelay.expected();
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
    void carry(String text, boolean newest) {
        if (text.isBlank()) {
            return;
        }
        if (turnId == 0) {
            open();
        }
        words.carry(text, newest);
    }

    /** Cancels timers and forgets everything, as at the start of a conversation. */
    public void reset() {
        ending.reset();
        silence.cancel();
        turnId = 0;
        words.clear();
        speaking = false;
        ignoreTranscripts = false;
        committer.reset();
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
        return ending.speechEndNanos();
    }

    /**
     * Whether the speech that last ended lies beyond what the recognizer has published, so it
     * cannot yet have said whether that speech held words; false while speech goes on or when
     * the recognizer does not say how far its results reach.
     */
    boolean resultsBehindSpeech() {
        return !speaking && ending.resultsBehind();
    }

    /**
     * Whether the recognizer has published past the speech that last ended, so its words (or
     * their absence) are known; false while speech goes on or when the recognizer does not say
     * how far its results reach.
     */
    boolean resultsCoverSpeech() {
        return !speaking && ending.resultsCover();
    }

    /** The open turn's text: its finals, then the latest interim. */
    public String text() {
        return words.text();
    }

    /** Whether an ended turn is waiting for its final transcript. */
    public boolean committing() {
        return committer.active();
    }

    /** Whether end-of-turn detection is under way for the open turn. */
    public boolean endpointing() {
        return ending.armed();
    }

    // ---------------------------------------------------------------- internals

    private void open() {
        turnId = turnIds.getAsLong();
        words.open();
        committer.turnOpened(speaking ? onsetNanos : clock.nanoTime());
        ending.turnOpened();
    }

    private void endOfTurn() {
        if (speaking || turnId == 0) {
            return;
        }
        long now = clock.nanoTime();
        ending.ended(now);
        if (committer.active()) {
            // The previous turn's transcript is still coming; this turn ends once it has.
            return;
        }
        long tid = turnId;
        turnId = 0;
        gate.close(onsetSeq);
        committer.commit(tid, ending.speechEndNanos(), ending.speechEndHeardNanos(), now);
    }

    /** Starts end-of-turn detection for an open turn whose speech ended and that is not yet timed. */
    void endpointIfSilent() {
        if (turnId != 0 && !speaking && !ending.armed() && ending.speechEndNanos() >= 0) {
            endpoint();
        }
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
        private HeardAudio heard;

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

        /**
         * The speaker's audio as it arrives, so that the end-of-turn wait counts silence heard
         * rather than clock time while the audio is late, within
         * {@link SessionConfig#inputStallTimeout()} [none: the wait runs on the clock alone].
         */
        public Builder heardAudio(HeardAudio heard) {
            this.heard = requireArg(heard, "heardAudio");
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
