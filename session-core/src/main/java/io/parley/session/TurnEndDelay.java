package io.parley.session;

import io.parley.spi.ConversationTurn;
import io.parley.spi.ExpectedAnswer;
import io.parley.audio.prosody.Prosody;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import io.parley.spi.Word;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * How long a {@link UserTurn} waits in silence before ending the turn: the turn detector's
 * choice within the session's endpointing bounds, or a plain silence timeout without one; and
 * what the detector learns from the pauses that followed. A failing detector is reported and
 * replaced by the minimum wait. Loop-confined, like its turn.
 *
 * <p>With the speaker's {@link HeardAudio}, the wait is counted in the speaker's audio: once it
 * has passed on the clock, the turn ends only if the audio heard since the voice stopped holds
 * that much silence (the time since the latest delivery counts too, up to that delivery's
 * length, so audio arriving in step with the clock is never kept waiting). Audio held back by
 * a network, a transport or a loaded machine thus never ends a turn in a pause the user did
 * not make. The bound is {@link SessionConfig#inputStallTimeout()}: once no audio has come for
 * that long (the input stopped: push-to-talk released, a peer gone, a host done sending), or
 * once the wait has run that much over since the turn heard of the end of speech, the turn
 * ends on the clock. Zero, or no {@code HeardAudio}, counts the wait on the clock alone.
 */
final class TurnEndDelay {

    private static final int HISTORY_FOR_TURN_DETECTION = 6;
    /** The wait without a turn detector: a plain silence timeout, as before detectors chose the wait. */
    private static final Duration SILENCE_WITHOUT_DETECTOR = Duration.ofMillis(500);

    private final SessionConfig config;
    private final TurnDetector detector;
    private final Supplier<List<ConversationTurn>> history;
    private final Consumer<SessionException> errors;
    /** The speaker's audio as it arrives, or null: the wait then runs on the clock alone. */
    private final HeardAudio heard;
    /** What the agent expects the user to say in the open turn. */
    private ExpectedAnswer expected = ExpectedAnswer.ANY;

    TurnEndDelay(SessionConfig config, TurnDetector detector, Supplier<List<ConversationTurn>> history,
                 HeardAudio heard, Consumer<SessionException> errors) {
        this.config = config;
        this.detector = detector;
        this.history = history;
        this.heard = heard;
        this.errors = errors;
    }

    void expect(ExpectedAnswer answer) {
        expected = answer;
    }

    ExpectedAnswer expected() {
        return expected;
    }

    boolean hasDetector() {
        return detector != null;
    }

    /**
     * The wait after speech that ended {@code silenceNanos} ago, given the turn's text so far, how
     * the voice ended, the timed words of the latest result and where the end of speech lies on
     * their timeline ({@code speechEndHeardNanos}, -1 if unknown).
     */
    Duration delay(long silenceNanos, String text, Prosody prosody, List<Word> words, long speechEndHeardNanos) {
        Duration min = config.endpointingMinDelay();
        Duration max = config.endpointingMaxDelay();
        Duration delay = detector == null ? SILENCE_WITHOUT_DETECTOR : min;
        if (detector != null) {
            try {
                List<Word> timed = fromSpeechEnd(words, speechEndHeardNanos);
                double confidence = words.isEmpty() ? Double.NaN : words.get(words.size() - 1).confidence();
                TurnPrediction p = detector.predict(new TurnContext(Duration.ofNanos(Math.max(0, silenceNanos)),
                        text, recentHistory(), min, max, Double.isNaN(confidence) || confidence < 0 || confidence > 1
                        ? Double.NaN : confidence, prosody, timed, expected));
                delay = p.delay();
            } catch (RuntimeException e) {
                errors.accept(new SessionException(ErrorCode.INTERNAL_ERROR, "turn detector failed; using the minimum delay", e));
            }
        }
        if (delay.compareTo(min) < 0) {
            return min;
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /**
     * Once a wait of {@code delayNanos} has passed on the clock: how much longer it must wait
     * for the speaker's audio to show that much silence; 0 if it shows it, or if the audio
     * stopped coming or is later than the bound.
     *
     * @param speechEndSeenNanos when the turn heard of the end of speech
     */
    long silenceStillDue(long delayNanos, long speechEndSeenNanos, long nowNanos) {
        long bound = config.inputStallTimeout().toNanos();
        if (heard == null || bound == 0) {
            return 0;
        }
        long boundLeft = speechEndSeenNanos + delayNanos + bound - nowNanos;
        long arrival = heard.arrivalNanos();
        long sinceDelivery = arrival == Long.MIN_VALUE ? Long.MAX_VALUE : nowNanos - arrival;
        long stallLeft = bound - sinceDelivery;
        if (boundLeft <= 0 || stallLeft <= 0) {
            return 0;
        }
        // Audio in step with the clock arrives after it was spoken: the time since the latest
        // delivery, up to its length, is audio still on its way, not audio that is late.
        long silence = heard.silenceNanos() + Math.min(sinceDelivery, heard.deliveryNanos());
        long missing = delayNanos - silence;
        return missing <= 0 ? 0 : Math.min(missing, Math.min(stallLeft, boundLeft));
    }

    /** A pause of {@code pauseNanos} that ended the turn, or that the user broke by speaking on. */
    void observePause(long pauseNanos, boolean endedTurn) {
        if (detector == null) {
            return;
        }
        try {
            detector.observePause(Duration.ofNanos(Math.max(0, pauseNanos)), endedTurn);
        } catch (RuntimeException e) {
            errors.accept(new SessionException(ErrorCode.INTERNAL_ERROR, "turn detector failed to learn from a pause", e));
        }
    }

    void reset() {
        if (detector != null) {
            detector.reset();
        }
    }

    /** The words with their times measured from the end of speech; none if it cannot be placed among them. */
    private static List<Word> fromSpeechEnd(List<Word> words, long speechEndHeardNanos) {
        if (words.isEmpty() || speechEndHeardNanos < 0) {
            return List.of();
        }
        Duration shift = Duration.ofNanos(speechEndHeardNanos);
        Word[] out = new Word[words.size()];
        for (int i = 0; i < out.length; i++) {
            Word w = words.get(i);
            out[i] = new Word(w.text(), w.start().minus(shift), w.end().minus(shift), w.confidence(), w.speaker());
        }
        return List.of(out);
    }

    private List<ConversationTurn> recentHistory() {
        List<ConversationTurn> h = history.get();
        int n = h.size();
        return h.subList(Math.max(0, n - HISTORY_FOR_TURN_DETECTION), n);
    }
}
