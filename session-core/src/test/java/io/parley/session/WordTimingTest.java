package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnPrediction;
import io.parley.spi.Word;
import io.parley.turn.AdaptiveTurnDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Word timings reach the turn detector measured from the end of speech, in virtual time: the
 * session places the VAD's offset on the recognizer's own audio timeline (which skips the audio
 * the gate held back and starts again with each stream).
 */
class WordTimingTest {

    /**
     * A recognizer that, once it has been given audio captured at {@code emitAtMillis}, reports
     * {@code words} with their wall-clock spans (ms) converted to its own timeline, the way a
     * real decoder times the words it heard.
     */
    private static final class TimedStt implements SttProvider {
        final long emitAtMillis;
        final String[] words;
        final long[][] spans;

        TimedStt(long emitAtMillis, String[] words, long[][] spans) {
            this.emitAtMillis = emitAtMillis;
            this.words = words;
            this.spans = spans;
        }

        @Override
        public String name() {
            return "timed";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new SttStream() {
                final List<long[]> frames = new ArrayList<>();
                long position;
                boolean sent;

                @Override
                public void write(AudioFrame frame) {
                    frames.add(new long[] {frame.timestampNanos(), position});
                    position += frame.durationNanos();
                    if (!sent && frame.timestampNanos() >= emitAtMillis * 1_000_000) {
                        sent = true;
                        List<Word> timed = new ArrayList<>();
                        for (int i = 0; i < words.length; i++) {
                            timed.add(new Word(words[i], onTimeline(spans[i][0]), onTimeline(spans[i][1]), Double.NaN, -1));
                        }
                        listener.onTranscript(new Transcript(String.join(" ", words), false, false, Double.NaN, timed, ""));
                    }
                }

                /** Where the audio captured at wall-clock {@code ms} lies in what this stream was given. */
                private Duration onTimeline(long ms) {
                    long at = ms * 1_000_000;
                    long[] best = frames.get(0);
                    for (long[] f : frames) {
                        if (f[0] <= at) {
                            best = f;
                        }
                    }
                    return Duration.ofNanos(best[1] + at - best[0]);
                }

                @Override
                public void finalizeUtterance() {
                    listener.onTranscript(Transcript.fin(String.join(" ", words), true));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static final String[] WORDS = {"what", "time", "is", "it", "the"};
    /** "the" begins 200 ms after the speech (500-1500 ms) ended: decoded from the silence. */
    private static final long[][] SPANS = {{520, 760}, {780, 1050}, {1080, 1250}, {1260, 1500}, {1700, 1800}};

    @Test
    void theDetectorSeesWordTimesFromTheEndOfSpeech() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        List<TurnContext> contexts = new ArrayList<>();
        h.extra = b -> b.stt(new TimedStt(1720, WORDS, SPANS)).turnDetector(context -> {
            contexts.add(context);
            return new TurnPrediction(0.5, Duration.ofMillis(1000));
        });
        h.build().start();

        h.advanceTo(4000);

        TurnContext last = contexts.get(contexts.size() - 1);
        assertThat(last.transcript()).isEqualTo("what time is it the");
        assertThat(last.words()).extracting(Word::text).containsExactly(WORDS);
        assertThat(last.words().get(3).end()).isEqualTo(Duration.ZERO);
        assertThat(last.words().get(4).start()).isEqualTo(Duration.ofMillis(200));
        assertThat(last.words().get(0).start()).isEqualTo(Duration.ofMillis(-980));
    }

    /** The default detector sets aside a word decoded from the silence after the end of speech. */
    @Test
    void aWordDecodedFromTheSilenceDoesNotHoldTheTurnOpen() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        h.extra = b -> b.stt(new TimedStt(1720, WORDS, SPANS)).turnDetector(new AdaptiveTurnDetector());
        h.build().start();

        h.advanceTo(5000);

        // Read as "what time is it" (a question): committed within half a second of the end of
        // speech, not after the 1.2 s or more a trailing "the" is held for.
        String commit = h.stateLog().stream().filter(s -> s.startsWith("LISTENING->PROCESSING@")).findFirst().orElseThrow();
        assertThat(Long.parseLong(commit.substring(commit.indexOf('@') + 1))).isBetween(1700L, 2000L);
    }

    @Test
    void aTrailingWordSpokenBeforeTheEndOfSpeechStillHoldsIt() {
        SessionHarness h = new SessionHarness();
        h.user.say(500, 1000, "what time is it");
        long[][] spoken = {{520, 700}, {720, 900}, {920, 1050}, {1060, 1250}, {1260, 1480}};
        h.extra = b -> b.stt(new TimedStt(1720, new String[] {"what", "time", "is", "it", "and"}, spoken))
                .turnDetector(new AdaptiveTurnDetector());
        h.build().start();

        h.advanceTo(5000);

        String commit = h.stateLog().stream().filter(s -> s.startsWith("LISTENING->PROCESSING@")).findFirst().orElseThrow();
        assertThat(Long.parseLong(commit.substring(commit.indexOf('@') + 1))).isGreaterThanOrEqualTo(2700L);
    }
}
