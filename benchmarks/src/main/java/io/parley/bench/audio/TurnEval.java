package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.Vad;
import io.parley.turn.AdaptiveTurnDetector;
import io.parley.turn.SilenceTurnDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Compares turn detectors on spoken multi-clause turns with mid-turn pauses and prints one
 * table: false cut-off rate, and median and 90th-percentile end-of-turn delay.
 *
 * <p>Each of twenty scripted turns is split into clauses with pauses of 300-900 ms between
 * them at the places people pause: after "and", after a filler, between digit groups, before
 * the object of a preposition. Three espeak-ng voices speak every clause (cached as in
 * {@link SpeechCorpus}); one voice's transcripts are lower-case without punctuation, as a
 * recogniser without formatting would give them. The clauses and pauses are laid out as
 * audio over faint pink noise (30 dB below the speech) and run through DspVad in 20 ms
 * frames, so silence is measured the way a session measures it: from the frame where the
 * VAD's decision fell to silence.
 *
 * <p>At each end of speech the detector is asked for a delay (clamped to 200 ms..3 s, the
 * session's bounds here) with the transcript heard so far: whole clauses already spoken plus
 * the share of the current clause's words that its elapsed time implies. If the VAD hears
 * speech again before the delay runs out, the pause is reported with
 * {@code observePause(pause, false)}; otherwise the turn is committed. A commit before the
 * last clause is a false cut-off (the rest of the speech then opens a new turn). The
 * end-of-turn delay is from the true end of the last clause's audio to the commit.
 * Detectors keep what they learn across one voice's turns, like one caller in one session.
 *
 * <p>Run: {@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.TurnEval}
 * (add {@code -Dbench.args=--talker-gate=14} to segment with DspVad's talker gate on).
 */
public final class TurnEval {

    private static final Duration MIN = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(3);
    private static final String[] VOICES = {"en-us", "en-gb+f3", "en-us+m3"};
    private static final int[] SPEEDS = {165, 150, 180};
    private static final int FRAME_MS = 20;

    /** Clauses and the pauses (ms) after each but the last. */
    private record Scenario(String[] clauses, int[] pausesMs) {
    }

    private static final Scenario[] SCENARIOS = {
        s(new String[] {"My phone number is 415,", "555,", "1234."}, 700, 800),
        s(new String[] {"I'd like to order a large pizza and", "a bottle of water."}, 800),
        s(new String[] {"So I was thinking, um", "maybe we could meet on Friday?"}, 900),
        s(new String[] {"The card number is 4111 1111", "1111 1111."}, 600),
        s(new String[] {"I need to book a flight to", "Chicago for next Tuesday."}, 700),
        s(new String[] {"Can you check the status of", "my order from last week?"}, 600),
        s(new String[] {"Yes."}),
        s(new String[] {"What time does the store close?"}),
        s(new String[] {"I want to cancel my subscription", "because it's too expensive."}, 500),
        s(new String[] {"Well", "I guess that works for me."}, 400),
        s(new String[] {"My account number is 7 7 2 9", "3 1 8 8 0 4."}, 600),
        s(new String[] {"Send it to the", "office address, please."}, 700),
        s(new String[] {"Let me think", "uh", "the second one."}, 500, 600),
        s(new String[] {"That's all, thank you!"}),
        s(new String[] {"I'm calling about the bill and", "the charges from March and", "the late fee."}, 600, 700),
        s(new String[] {"Could you repeat that?"}),
        s(new String[] {"The address is 221 Baker Street", "in London."}, 300),
        s(new String[] {"No, I don't think so."}),
        s(new String[] {"I would like two tickets for the", "seven thirty show."}, 900),
        s(new String[] {"Hmm", "okay, let's do it."}, 800),
    };

    private static Scenario s(String[] clauses, int... pauses) {
        return new Scenario(clauses, pauses);
    }

    private TurnEval() {
    }

    public static void main(String[] args) throws Exception {
        // The VAD every turn is segmented with; --talker-gate=DB turns DspVad's talker gate on.
        DspVad vad = DspVad.defaults();
        for (String a : args) {
            if (a.startsWith("--talker-gate=")) {
                vad = DspVad.builder().talkerGateDb(Float.parseFloat(a.substring("--talker-gate=".length()))).build();
            } else {
                throw new IllegalArgumentException("unknown argument " + a + " (known: --talker-gate=DB)");
            }
        }
        SpeechCorpus corpus = new SpeechCorpus();
        List<List<Rendered>> byVoice = new ArrayList<>();
        for (int v = 0; v < VOICES.length; v++) {
            List<Rendered> rs = new ArrayList<>();
            for (Scenario sc : SCENARIOS) {
                rs.add(Rendered.of(corpus, sc, VOICES[v], SPEEDS[v], v == 1, vad));
            }
            byVoice.add(rs);
        }
        int pauses = Arrays.stream(SCENARIOS).mapToInt(sc -> sc.pausesMs.length).sum() * VOICES.length;
        System.out.printf(Locale.ROOT, "%d turns (%d scripts x %d espeak-ng voices), %d mid-turn pauses of 300-900 ms; VAD: %s; bounds %d..%d ms%n%n",
                SCENARIOS.length * VOICES.length, SCENARIOS.length, VOICES.length, pauses, vad, MIN.toMillis(), MAX.toMillis());
        System.out.println("| detector                 | false cut-offs | turns cut | median delay | p90 delay |");
        System.out.println("|--------------------------|----------------|-----------|--------------|-----------|");
        List<Object[]> detectors = new ArrayList<>();
        for (int ms : new int[] {300, 500, 700, 900, 1200}) {
            detectors.add(new Object[] {"Silence " + ms + " ms", (Supplier<TurnDetector>) () -> new SilenceTurnDetector(Duration.ofMillis(ms))});
        }
        detectors.add(new Object[] {"AdaptiveTurnDetector", (Supplier<TurnDetector>) AdaptiveTurnDetector::new});
        for (Object[] d : detectors) {
            @SuppressWarnings("unchecked")
            Supplier<TurnDetector> factory = (Supplier<TurnDetector>) d[1];
            int cuts = 0;
            int turnsCut = 0;
            List<Long> delays = new ArrayList<>();
            for (List<Rendered> voice : byVoice) {
                TurnDetector detector = factory.get();
                for (Rendered r : voice) {
                    Outcome o = r.simulate(detector);
                    cuts += o.falseCuts;
                    turnsCut += o.falseCuts > 0 ? 1 : 0;
                    delays.add(o.endDelayMs);
                }
            }
            long[] sorted = delays.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %-24s | %3d of %3d     | %5.1f %%   | %7d ms   | %6d ms |%n",
                    d[0], cuts, pauses, 100.0 * turnsCut / delays.size(), percentile(sorted, 50), percentile(sorted, 90));
        }
    }

    private static long percentile(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** Result of one turn. */
    private record Outcome(int falseCuts, long endDelayMs) {
    }

    /** A scenario spoken by one voice, with the VAD's view of it. */
    private static final class Rendered {
        final String[] texts;
        final long[] clauseStart;
        final long[] clauseEnd;
        final List<long[]> vadSegments;

        private Rendered(String[] texts, long[] clauseStart, long[] clauseEnd, List<long[]> vadSegments) {
            this.texts = texts;
            this.clauseStart = clauseStart;
            this.clauseEnd = clauseEnd;
            this.vadSegments = vadSegments;
        }

        static Rendered of(SpeechCorpus corpus, Scenario sc, String voice, int speed, boolean plainText, DspVad vad)
                throws Exception {
            int rate = SpeechCorpus.FORMAT.sampleRate();
            List<short[]> parts = new ArrayList<>();
            int n = sc.clauses.length;
            long[] start = new long[n];
            long[] end = new long[n];
            String[] texts = new String[n];
            int pos = rate; // one second of lead-in
            parts.add(new short[rate]);
            for (int i = 0; i < n; i++) {
                short[] clause = trim(corpus.synthesize(sc.clauses[i], voice, speed).samples());
                start[i] = pos * 1000L / rate;
                parts.add(clause);
                pos += clause.length;
                end[i] = pos * 1000L / rate;
                int gap = i < n - 1 ? sc.pausesMs[i] * rate / 1000 : 3 * rate + rate / 2;
                parts.add(new short[gap]);
                pos += gap;
                texts[i] = plainText ? sc.clauses[i].toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", "") : sc.clauses[i];
            }
            short[] clean = new short[pos];
            int o = 0;
            for (short[] p : parts) {
                System.arraycopy(p, 0, clean, o, p.length);
                o += p.length;
            }
            AudioClip audio = withNoise(clean, 30);
            return new Rendered(texts, start, end, vadSegments(audio, vad));
        }

        /** Drops leading and trailing near-silence (espeak pads its output). */
        private static short[] trim(short[] s) {
            int a = 0;
            int b = s.length;
            while (a < b && Math.abs((int) s[a]) < 100) {
                a++;
            }
            while (b > a && Math.abs((int) s[b - 1]) < 100) {
                b--;
            }
            return Arrays.copyOfRange(s, a, b);
        }

        private static AudioClip withNoise(short[] clean, double snrDb) {
            double e = 0;
            long count = 0;
            for (short v : clean) {
                if (Math.abs((int) v) > 100) {
                    e += (double) v * v;
                    count++;
                }
            }
            double g = Math.sqrt(e / Math.max(1, count)) / Math.pow(10, snrDb / 20);
            float[] noise = Noises.pink(clean.length, clean.length);
            short[] out = new short[clean.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(clean[i] + g * noise[i])));
            }
            return new AudioClip(SpeechCorpus.FORMAT, out);
        }

        /** [onset ms, end ms] of each stretch the VAD calls speech. */
        private static List<long[]> vadSegments(AudioClip audio, DspVad vad) {
            Vad detector = vad.create(audio.format());
            AudioFrame f = AudioFrame.allocate(audio.format(), audio.format().samplesFor(FRAME_MS));
            List<long[]> segs = new ArrayList<>();
            long onset = -1;
            for (int i = 0; i < audio.frameCount(FRAME_MS); i++) {
                boolean speech = detector.process(audio.frame(i, FRAME_MS, f)).speech();
                long t = (long) i * FRAME_MS;
                if (speech && onset < 0) {
                    onset = t;
                } else if (!speech && onset >= 0) {
                    segs.add(new long[] {onset, t});
                    onset = -1;
                }
            }
            if (onset >= 0) {
                segs.add(new long[] {onset, (long) audio.frameCount(FRAME_MS) * FRAME_MS});
            }
            return segs;
        }

        /** What a recogniser would have produced by {@code t} for the turn that began at clause {@code from}. */
        private String transcriptAt(long t, int from) {
            StringBuilder sb = new StringBuilder();
            for (int i = from; i < texts.length; i++) {
                if (clauseStart[i] >= t) {
                    break;
                }
                String[] words = texts[i].split("\\s+");
                int k = clauseEnd[i] <= t ? words.length
                        : (int) Math.floor(words.length * (double) (t - clauseStart[i]) / (clauseEnd[i] - clauseStart[i]));
                for (int w = 0; w < k; w++) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(words[w]);
                }
            }
            return sb.toString();
        }

        Outcome simulate(TurnDetector detector) {
            long trueEnd = clauseEnd[clauseEnd.length - 1];
            int turnStartClause = 0;
            int falseCuts = 0;
            long endDelay = -1;
            for (int k = 0; k < vadSegments.size(); k++) {
                long segEnd = vadSegments.get(k)[1];
                String text = transcriptAt(segEnd, turnStartClause);
                long delay = detector.predict(new TurnContext(Duration.ZERO, text, List.of(), MIN, MAX)).delay().toMillis();
                delay = Math.max(MIN.toMillis(), Math.min(MAX.toMillis(), delay));
                long commit = segEnd + delay;
                long nextOnset = k + 1 < vadSegments.size() ? vadSegments.get(k + 1)[0] : Long.MAX_VALUE;
                if (nextOnset < commit) {
                    detector.observePause(Duration.ofMillis(nextOnset - segEnd), false);
                    continue;
                }
                detector.observePause(Duration.ofMillis(commit - segEnd), true);
                if (segEnd < trueEnd - FRAME_MS && nextOnset != Long.MAX_VALUE) {
                    falseCuts++;
                    int c = 0;
                    while (c < clauseStart.length && clauseStart[c] < nextOnset - FRAME_MS) {
                        c++;
                    }
                    turnStartClause = Math.max(0, c - 1);
                    if (clauseEnd[turnStartClause] <= nextOnset) {
                        turnStartClause = Math.min(clauseStart.length - 1, turnStartClause + 1);
                    }
                } else {
                    endDelay = commit - trueEnd;
                }
            }
            if (endDelay < 0 && !vadSegments.isEmpty()) {
                throw new IllegalStateException("turn never ended: " + String.join(" | ", texts));
            }
            return new Outcome(falseCuts, endDelay);
        }
    }
}
