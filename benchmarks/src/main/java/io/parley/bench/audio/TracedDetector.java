package io.parley.bench.audio;

import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
import io.parley.spi.Word;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * A turn detector that logs what it was asked, what it answered and what it learned, for the
 * {@code trace} option of {@link TurnEval} (real time) and {@link TurnReplay} (virtual time):
 * per prediction the silence, the transcript's last four words, the latest timed words with how
 * the VAD and the pitch tracker heard each of them, the voice's finality and the detector's wait.
 *
 * @param inner      the detector that decides
 * @param timedWords how many of the latest timed words to print
 * @param now        the run's clock, in nanoseconds; read once per call
 * @param voicing    how a word was heard, given the time of the call (e.g. {@code "{v3 p2 of 5}"})
 * @param predicted  told each prediction with the time of the call
 * @param log        takes each line with the time of the call
 */
record TracedDetector(TurnDetector inner, int timedWords, LongSupplier now, BiFunction<Long, Word, String> voicing,
                      BiConsumer<Long, TurnPrediction> predicted, BiConsumer<Long, String> log) implements TurnDetector {

    @Override
    public TurnPrediction predict(TurnContext c) {
        TurnPrediction p = inner.predict(c);
        long at = now.getAsLong();
        predicted.accept(at, p);
        String[] words = c.transcript().strip().split("\\s+");
        String tail = String.join(" ", Arrays.asList(words).subList(Math.max(0, words.length - 4), words.length));
        StringBuilder timed = new StringBuilder();
        for (Word w : c.words().subList(Math.max(0, c.words().size() - timedWords), c.words().size())) {
            timed.append(' ').append(w.text()).append('@').append(w.start().toMillis()).append("..").append(w.end().toMillis())
                    .append(voicing.apply(at, w));
        }
        log.accept(at, String.format(Locale.ROOT, "predict silence %d '%s' [%s ] finality %.2f -> p %.2f wait %d",
                c.silence().toMillis(), tail, timed, c.prosody().finality(), p.endOfTurnProbability(), p.delay().toMillis()));
        return p;
    }

    @Override
    public void observePause(Duration pause, boolean endedTurn) {
        inner.observePause(pause, endedTurn);
        log.accept(now.getAsLong(), "learn " + pause.toMillis() + " ms " + (endedTurn ? "ended" : "resumed") + " -> " + inner);
    }

    @Override
    public boolean usesProsody() {
        return inner.usesProsody();
    }

    @Override
    public void reset() {
        inner.reset();
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
