package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Word;
import io.parley.testing.VirtualClock;
import java.util.ArrayList;
import java.util.List;

/**
 * A recognizer that hears every word right, for {@link TurnReplay}'s {@code oracle} option: it
 * publishes the turns' own scripts, so a replay with it shows what the turn detector does when
 * the words are right, and the difference to PocketSphinx shows what the recognizer's errors
 * cost.
 *
 * <p>The recordings were force-aligned only at the spliced pauses, so when a word is heard is an
 * estimate: the words between two spliced pauses are spread evenly over that stretch of speech
 * (the first stretch starting a second in, after the lead-in), and a word is heard once the
 * audio written reaches its estimated middle (the session may stop writing at the VAD's end of
 * speech, which can come before the soft end of the last word). Those estimates are too rough
 * for the detector's word-timing rules (a one-word turn spread over its whole lead-in reads as
 * a word decoded from the silence), so results carry no word timings, as from a recognizer that
 * gives none. Results are published as PocketSphinxStt publishes them (an interim every 300 ms
 * of audio and once the input has been quiet for 100 ms, when changed; the final at once on a
 * finalize), each {@code latencyNanos} after the audio it covers.
 */
final class OracleStt implements SttProvider {

    private static final int RATE = RealTurns.FORMAT.sampleRate();

    /** One scripted word on the session's timeline. */
    private record Timed(String text, long startNanos, long endNanos) {
    }

    private final VirtualClock clock;
    private final long latencyNanos;
    private final List<Timed> script;

    /**
     * @param turns       the turns as the transport plays them
     * @param startNanos  where each turn's audio starts on the session's timeline
     * @param latencyNanos how long after the audio it covers each result arrives
     */
    OracleStt(VirtualClock clock, List<RealTurns.Turn> turns, long[] startNanos, long latencyNanos) {
        this.clock = clock;
        this.latencyNanos = latencyNanos;
        List<Timed> words = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            words.addAll(timed(turns.get(i), startNanos[i]));
        }
        this.script = List.copyOf(words);
    }

    /** The turn's words with their estimated timings: each stretch between spliced pauses shared evenly. */
    private static List<Timed> timed(RealTurns.Turn t, long start) {
        String[] words = t.text().split(" ");
        List<Timed> out = new ArrayList<>();
        int first = 0;
        long from = RATE;
        for (int p = 0; p <= t.pauseStart().length; p++) {
            boolean last = p == t.pauseStart().length;
            int upTo = last ? words.length - 1 : t.pauseAfterWord()[p];
            long to = last ? t.speechEnd() : t.pauseStart()[p];
            int n = upTo - first + 1;
            for (int k = 0; k < n; k++) {
                long a = from + (to - from) * k / n;
                long b = from + (to - from) * (k + 1) / n;
                out.add(new Timed(words[first + k], start + nanos(a), start + nanos(b)));
            }
            if (!last) {
                from = t.pauseEnd()[p];
            }
            first = upTo + 1;
        }
        return out;
    }

    private static long nanos(long samples) {
        return samples * 1_000_000_000L / RATE;
    }

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public SttStream open(SttRequest request, SttListener listener) {
        return new Stream(listener);
    }

    /** One stream: the script's words as the audio written reaches them. */
    private final class Stream extends ReplayStream {
        /** The session time the latest write reached, and that at which the open utterance began. */
        private long reached;
        private long utteranceStart;

        Stream(SttListener listener) {
            super(clock, latencyNanos, listener);
        }

        @Override
        void begin(AudioFrame first, long writtenNanos) {
            utteranceStart = first.timestampNanos();
        }

        @Override
        void feed(AudioFrame frame) {
            reached = frame.timestampNanos() + frame.durationNanos();
        }

        /** The utterance's words whose estimated middle the audio written has reached. */
        @Override
        String text() {
            StringBuilder sb = new StringBuilder();
            for (Timed w : script) {
                if ((w.startNanos + w.endNanos) / 2 > reached) {
                    break;
                }
                if (w.endNanos > utteranceStart) {
                    sb.append(sb.length() == 0 ? "" : " ").append(w.text);
                }
            }
            return sb.toString();
        }

        @Override
        List<Word> words() {
            return List.of();
        }

        @Override
        void end() {
        }

        @Override
        void release(boolean utteranceOpen) {
        }
    }
}
