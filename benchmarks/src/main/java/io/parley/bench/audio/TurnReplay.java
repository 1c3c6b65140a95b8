package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.session.SessionConfig;
import io.parley.session.SessionListener;
import io.parley.session.VoiceSession;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.TurnDetector;
import io.parley.spi.Word;
import io.parley.testing.FakeTts;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.VirtualClock;
import io.parley.turn.AdaptiveTurnDetector;
import io.parley.turn.SilenceTurnDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link TurnEval}'s turns through a real {@link VoiceSession} in virtual time: deterministic,
 * and independent of the machine's load, for reasoning and tuning; TurnEval, at real-time pace
 * on a quiet machine, stays the measurement.
 *
 * <p>The same recordings ({@link RealTurns}), noise ({@link TurnEval#withNoise}), VAD
 * ({@link DspVad} defaults), session (default {@link SessionConfig}, the inbound path's prosody)
 * and scoring (false cut-offs; end of speech to commit and to agent called, median and nearest-rank
 * 90th percentile per split) as TurnEval. What differs: the session runs on a
 * {@link VirtualClock}, the agent's speech is {@link FakeTts}, and the recognizer is PocketSphinx
 * decoding synchronously as the session writes ({@link DirectDecoder}, PocketSphinxStt's
 * arguments; the word loop of TurnEval's {@code vocab} unless {@code lm} is given), publishing as
 * PocketSphinxStt does (an interim every 300 ms of audio and once the input has been quiet for
 * 100 ms, each changed one with the best path's word timings; the final at once on a finalize),
 * each result {@code --latency} ms after the audio it covers [default 30 ms]. So it is
 * a recognizer that always keeps up: the session's waits for a late recognizer never act, and
 * a delay here is the detector's wait and the VAD's timing alone.
 *
 * <p>Check a detector change with both recognizers: the two misread different words at the same
 * places (a rule on held-open words the voice went on after, cut-off-free over six noise draws of
 * the tuning split with the word loop, cut a held-out digit-group pause with {@code lm}: there
 * "seven seven" was read "that didn't have a", the "a" ending 200 ms before the end of speech).
 *
 * <p>Options: {@code quiet} or {@code noise} (one condition only), {@code telephone} (Allison's
 * 8 kHz copy instead of her wideband one, see {@link RealTurns.Band}), {@code lm}, {@code oracle} (no
 * PocketSphinx: {@link OracleStt} hears every word right, so the run shows the detector's part
 * and, against {@code lm}, what the recognizer's errors cost), {@code fixed} (the
 * fixed 500 ms silence detector as well; {@code fixedall}: 500, 700 and 1000 ms; with {@code fixedonly} without the adaptive
 * detector), {@code large}
 * ({@link LargeTurns}' set instead of RealTurns' turns; then, per detector and condition,
 * the cut pauses by word class, pause length and speaker, and each cut pause with what the
 * recognizer had last heard at the cut; with {@code heldout} its held-out turns only, with
 * {@code tuning} its tuning turns only, each speaker's in one session as before, about half the time: the free-form recognizer costs about
 * half a second of CPU per second of audio on a loaded two-core machine, and the large set is
 * 2660 s of audio), {@code trace} (per turn: VAD offsets and onsets, every
 * prediction with the timed words, their voiced and pitched frames ({@link FrameVoicing}) and the
 * wait, what the detector learned, the recognizer's results as the session reported them, the commits), {@code expect} (the agent asks for the
 * number a turn that reads only digits gives, as an agent that has just asked for a phone number
 * or an extension would: {@code VoiceSession.expect(ExpectedAnswer.digits(n))} with the turn's
 * own count, from its reply to the turn before; for a date, {@code ExpectedAnswer.date()}; the other turns expect nothing), {@code --prosody-weight W} (the adaptive detector
 * with that {@code prosodyWeight}; 0 is the ablation without prosody), {@code --latency MS}, and {@code --seed N}: another
 * draw of the pink noise ({@link TurnEval#withNoise(RealTurns.Turn, double, long)}; 0, the default,
 * is TurnEval's), for tuning on more noisy turns without touching the held-out split.
 *
 * <p>Run: {@code mvn -q -B -o -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.TurnReplay
 * -Dbench.args="noise trace --seed 1"} (about ten seconds per detector and condition with the word loop).
 */
public final class TurnReplay {

    private static final int RATE = RealTurns.FORMAT.sampleRate();
    /** Each turn's lead-in of room tone ({@link RealTurns}): a commit in it belongs to the turn before. */
    private static final long LEAD_NANOS = 1_000_000_000L;

    private record Detector(String name, Supplier<TurnDetector> factory) {
    }

    /**
     * One turn's outcome, in ms from the true end of its speech (-1: never before the next turn),
     * and which of its pauses were cut, with what the recognizer had last heard at the cut.
     */
    private record Outcome(RealTurns.Turn turn, int pauses, int cut, long commitMs, long agentMs, boolean[] cutAt, String[] heard,
                           boolean early) {
        boolean heldOut() {
            return turn.heldOut();
        }
    }

    private TurnReplay() {
    }

    public static void main(String[] args) throws Exception {
        List<String> opts = new ArrayList<>(List.of(args));
        RealTurns.Band band = RealTurns.Band.of(opts);
        long latencyNanos = ToolArgs.takeLong(opts, "--latency", 30) * 1_000_000L;
        long seed = ToolArgs.takeLong(opts, "--seed", 0);
        boolean lm = opts.contains("lm");
        boolean oracle = opts.contains("oracle");
        boolean trace = opts.contains("trace");
        boolean expect = opts.contains("expect");
        boolean large = opts.contains("large");
        List<List<RealTurns.Turn>> speakers = large ? TurnEval.subset(LargeTurns.load(band), 1, opts) : RealTurns.load(band);
        String loop = lm || oracle ? null : TurnEval.wordLoop(speakers);
        double prosodyWeight = ToolArgs.takeDouble(opts, "--prosody-weight", Double.NaN);
        List<Detector> detectors = new ArrayList<>(List.of(Double.isNaN(prosodyWeight)
                ? new Detector("adaptive", AdaptiveTurnDetector::new)
                : new Detector("adaptive, prosody " + prosodyWeight,
                        () -> AdaptiveTurnDetector.builder().prosodyWeight(prosodyWeight).build())));
        if (opts.contains("fixed") || opts.contains("fixedall") || opts.contains("fixedonly")) {
            detectors.add(0, new Detector("silence 500 ms", () -> new SilenceTurnDetector(Duration.ofMillis(500))));
        }
        if (opts.contains("fixedall")) {
            detectors.add(1, new Detector("silence 700 ms", () -> new SilenceTurnDetector(Duration.ofMillis(700))));
            detectors.add(2, new Detector("silence 1000 ms", () -> new SilenceTurnDetector(Duration.ofMillis(1000))));
        }
        if (opts.contains("fixedonly")) {
            // The fixed baselines alone: a run per detector and condition, in parallel, where one run for all takes too long.
            detectors.remove(detectors.size() - 1);
        }
        double[] conditions = opts.contains("quiet") ? new double[] {Double.NaN} : opts.contains("noise") ? new double[] {10}
                : new double[] {Double.NaN, 10};
        System.out.printf(Locale.ROOT, "TurnReplay: virtual time, PocketSphinx %s, results %d ms after their audio, noise seed %d, %s%n",
                oracle ? "replaced by the scripts (oracle)" : lm ? "free-form (language model)" : "word loop over the set's vocabulary",
                latencyNanos / 1_000_000, seed,
                large ? "the large set (LargeTurns)" : "RealTurns' 20 turns");
        List<String> cuts = new ArrayList<>();
        for (double snr : conditions) {
            System.out.printf(Locale.ROOT, "%n%s%n", Double.isNaN(snr) ? "quiet" : "pink noise " + (int) snr + " dB SNR");
            System.out.println("| detector             | split    | false cut-offs | end->commit med/p90 | end->agent called med/p90 | unanswered |");
            System.out.println("|----------------------|----------|----------------|---------------------|---------------------------|------------|");
            for (Detector d : detectors) {
                List<Outcome> all = new ArrayList<>();
                for (List<RealTurns.Turn> speaker : speakers) {
                    all.addAll(runSpeaker(d, speaker, snr, seed, loop, oracle, latencyNanos, trace, expect));
                }
                for (boolean held : new boolean[] {true, false}) {
                    List<Outcome> part = all.stream().filter(o -> o.heldOut() == held).toList();
                    int cut = part.stream().mapToInt(Outcome::cut).sum();
                    int of = part.stream().mapToInt(Outcome::pauses).sum();
                    System.out.printf(Locale.ROOT, "| %-20s | %-8s | %2d of %2d %4.0f%% | %19s | %25s | %3d of %2d |%n", d.name,
                            held ? "held-out" : "tuning", cut, of, of == 0 ? 0 : 100.0 * cut / of,
                            medP90(part.stream().mapToLong(Outcome::commitMs).toArray()),
                            medP90(part.stream().mapToLong(Outcome::agentMs).toArray()),
                            part.stream().filter(o -> o.agentMs < 0).count(), part.size());
                }
                if (large) {
                    cuts.add(String.format(Locale.ROOT, "%n%s, %s:%n%s", d.name, Double.isNaN(snr) ? "quiet" : "noise", breakdown(all)));
                }
            }
        }
        cuts.forEach(System.out::print);
        System.exit(0);
    }

    /**
     * Cut pauses of the large set by the class of the word they follow, by pause length and by
     * speaker, per split; then every cut pause with what the recognizer had last heard.
     */
    private static String breakdown(List<Outcome> all) {
        Map<String, int[]> rows = new TreeMap<>();
        StringBuilder list = new StringBuilder();
        for (Outcome o : all) {
            RealTurns.Turn t = o.turn;
            String[] words = t.text().split(" ");
            for (int p = 0; p < t.pauseStart().length; p++) {
                int h = t.heldOut() ? 0 : 2;
                String cls = LargeTurns.classOf(words, t.pauseAfterWord()[p]).name().toLowerCase(Locale.ROOT);
                for (String k : List.of("class " + cls, "pause " + t.pauseMs()[p] + " ms", "speaker " + t.speaker())) {
                    int[] r = rows.computeIfAbsent(k, x -> new int[4]);
                    r[h] += o.cutAt[p] ? 1 : 0;
                    r[h + 1]++;
                }
                if (o.cutAt[p]) {
                    StringBuilder marked = new StringBuilder();
                    for (int w = 0; w < words.length; w++) {
                        marked.append(w == 0 ? "" : " ").append(words[w]).append(w == t.pauseAfterWord()[p] ? " |" : "");
                    }
                    list.append(String.format(Locale.ROOT, "  cut %-8s %-12s %-11s %3d ms %s: '%s', heard '%s'%n",
                            t.heldOut() ? "held-out" : "tuning", cls, t.speaker(), t.pauseMs()[p], t.prompt(), marked, o.heard[p]));
                }
            }
        }
        StringBuilder out = new StringBuilder("| pauses by             | held-out cut | tuning cut |\n");
        rows.forEach((k, r) -> out.append(String.format(Locale.ROOT, "| %-21s | %4d of %3d | %4d of %3d |%n", k, r[0], r[1], r[2], r[3])));
        for (boolean held : new boolean[] {true, false}) {
            List<Outcome> part = all.stream().filter(o -> o.heldOut() == held).toList();
            out.append(String.format(Locale.ROOT, "%s: %d of %d turns ended before their first spliced pause (or their end), in a pause"
                    + " of the recording:%s%n", held ? "held-out" : "tuning", part.stream().filter(Outcome::early).count(), part.size(),
                    part.stream().filter(Outcome::early).map(o -> " " + o.turn.prompt()).reduce("", String::concat)));
        }
        return out.append(list).toString();
    }

    private static String medP90(long[] values) {
        long[] v = java.util.Arrays.stream(values).filter(x -> x >= 0).sorted().toArray();
        return v.length == 0 ? "n/a" : String.format(Locale.ROOT, "%5d / %5d ms", v[(v.length - 1) / 2],
                v[Math.max(0, (int) Math.ceil(0.9 * v.length) - 1)]);
    }

    private static List<Outcome> runSpeaker(Detector d, List<RealTurns.Turn> turns, double snr, long seed, String loop,
                                            boolean oracle, long latencyNanos, boolean trace, boolean expect) {
        long[] starts = new long[turns.size()];
        int total = 0;
        List<short[]> audio = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            short[] a = Double.isNaN(snr) ? turns.get(i).audio() : TurnEval.withNoise(turns.get(i), snr, seed);
            audio.add(a);
            starts[i] = nanos(total);
            // Back to back, as TurnEval plays them: each turn's audio ends in three seconds of its room.
            total += a.length;
        }
        short[] pcm = new short[total];
        for (int i = 0, at = 0; i < audio.size(); i++) {
            System.arraycopy(audio.get(i), 0, pcm, at, audio.get(i).length);
            at += audio.get(i).length;
        }
        VirtualClock clock = new VirtualClock();
        InMemoryTransport transport = InMemoryTransport.builder(clock).userAudio(pcm, Duration.ZERO).build();
        List<Long> commits = new ArrayList<>();
        List<Long> agentCalls = new ArrayList<>();
        // What the recognizer has said, by time: the words heard when a pause was cut.
        List<Long> heardAt = new ArrayList<>();
        List<String> heard = new ArrayList<>();
        List<long[]> eventTimes = new ArrayList<>();
        List<String> events = new ArrayList<>();
        java.util.function.BiConsumer<Long, String> log = (at, what) -> {
            eventTimes.add(new long[] {at});
            events.add(what);
        };
        TurnDetector detector = d.factory.get();
        if (trace) {
            Voicing voicing = new Voicing(pcm);
            detector = new TracedDetector(detector, 3, clock::nanoTime, voicing::span, (at, p) -> { }, log);
        }
        java.time.Instant origin = clock.instantAt(Duration.ZERO);
        VoiceSession[] asking = new VoiceSession[1];
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.defaults())
                .transport(transport)
                .vad(DspVad.defaults())
                .turnDetector(detector)
                .stt(oracle ? new OracleStt(clock, turns, starts, latencyNanos) : new ReplayStt(clock, loop, latencyNanos))
                .tts(FakeTts.builder(clock).build())
                .agent((ctx, text) -> {
                    long now = clock.nanoTime();
                    agentCalls.add(now);
                    // An agent that asked for the number the next turn reads out, with its length
                    // ("your ten-digit phone number", "your four-digit extension").
                    int next = 0;
                    while (next < starts.length && starts[next] <= now) {
                        next++;
                    }
                    if (expect && next < turns.size() && asksFor(turns.get(next))) {
                        asking[0].expect(askedFor(turns.get(next)));
                    }
                    return "Okay.";
                })
                .listener(new SessionListener() {
                    @Override
                    public void onStateChanged(io.parley.session.StateChange c) {
                        long at = Duration.between(origin, c.at()).toNanos();
                        if (c.to() == io.parley.session.SessionState.PROCESSING && "end_of_turn".equals(c.reason())) {
                            commits.add(at);
                        }
                        if (trace) {
                            log.accept(at, c.to() + "(" + c.reason() + ")");
                        }
                    }

                    @Override
                    public void onUserSpeech(io.parley.session.UserSpeech u) {
                        if (trace) {
                            log.accept(Duration.between(origin, u.at()).toNanos(), u.speaking() ? "speech+" : "speech-");
                        }
                    }

                    @Override
                    public void onUserTranscript(io.parley.session.UserTranscript u) {
                        heardAt.add(clock.nanoTime());
                        heard.add(u.transcript().text());
                        if (trace) {
                            log.accept(clock.nanoTime(), (u.transcript().isFinal() ? "final'" : "heard'") + u.transcript().text() + "'");
                        }
                    }

                    @Override
                    public void onUserTurn(long turnId, String text) {
                        if (trace) {
                            log.accept(clock.nanoTime(), "turn'" + text + "'");
                        }
                    }
                })
                .build();
        asking[0] = session;
        session.start();
        if (expect && asksFor(turns.get(0))) {
            session.expect(askedFor(turns.get(0)));
        }
        clock.advanceTo(Duration.ofNanos(total * 1_000_000_000L / RATE + 2_000_000_000L));
        session.close();
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            RealTurns.Turn t = turns.get(i);
            long start = starts[i];
            long end = start + nanos(t.speechEnd());
            long next = i + 1 < turns.size() ? starts[i + 1] : Long.MAX_VALUE;
            int cut = 0;
            boolean[] cutAt = new boolean[t.pauseStart().length];
            String[] heardAtCut = new String[cutAt.length];
            for (int p = 0; p < t.pauseStart().length; p++) {
                long a = start + nanos(t.pauseStart()[p]);
                long b = start + nanos(p + 1 < t.pauseStart().length ? t.pauseStart()[p + 1] : t.speechEnd());
                long c = first(commits, a, b);
                if (c >= 0) {
                    cut++;
                    cutAt[p] = true;
                    heardAtCut[p] = "";
                    for (int k = 0; k < heardAt.size() && heardAt.get(k) <= c; k++) {
                        if (heardAt.get(k) >= start) {
                            heardAtCut[p] = heard.get(k);
                        }
                    }
                }
            }
            long commit = first(commits, end, next);
            long agent = first(agentCalls, end, next);
            // Ended before its first spliced pause (or, with none, before its speech ended): in a
            // pause of the recording itself. No spliced pause counts it; the large set's long prompts have such pauses.
            long firstPause = start + nanos(t.pauseStart().length > 0 ? t.pauseStart()[0] : t.speechEnd());
            boolean early = first(commits, start + LEAD_NANOS, firstPause) >= 0;
            out.add(new Outcome(t, t.pauseStart().length, cut, commit < 0 ? -1 : (commit - end) / 1_000_000,
                    agent < 0 ? -1 : (agent - end) / 1_000_000, cutAt, heardAtCut, early));
            if (trace) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < events.size(); k++) {
                    long c = eventTimes.get(k)[0];
                    if (c >= start && c < next) {
                        sb.append("\n      ").append((c - end) / 1_000_000).append(' ').append(events.get(k));
                    }
                }
                System.out.printf(Locale.ROOT, "  replay %-14s %-8s %-8s '%s' cut %d, commit %d, agent %d (pauses end at%s ms):%s%n", d.name,
                        t.heldOut() ? "held-out" : "tuning", t.speaker(), t.text(), cut, (commit < 0 ? -1 : (commit - end) / 1_000_000),
                        (agent < 0 ? -1 : (agent - end) / 1_000_000),
                        java.util.Arrays.stream(t.pauseEnd()).mapToObj(e -> " " + (nanos(e) + start - end) / 1_000_000)
                                .reduce("", String::concat), sb);
            }
        }
        return out;
    }

    private static long first(List<Long> times, long after, long before) {
        return times.stream().mapToLong(Long::longValue).filter(x -> x >= after && x < before).min().orElse(-1);
    }

    private static long nanos(int samples) {
        return samples * 1_000_000_000L / RATE;
    }

    /**
     * {@link FrameVoicing} over the speaker's audio as the transport delivers it, fed up to the
     * present when asked: how many of a word's frames the VAD took for voice and the pitch
     * tracker pitched.
     */
    private static final class Voicing {
        private final short[] pcm;
        private final FrameVoicing voicing = new FrameVoicing();
        private final AudioFrame frame = AudioFrame.allocate(RealTurns.FORMAT, RATE / 50);
        private int fed;

        Voicing(short[] pcm) {
            this.pcm = pcm;
        }

        String span(long nowNanos, Word w) {
            int upTo = (int) Math.min(pcm.length, nowNanos * RATE / 1_000_000_000L);
            while (fed + RATE / 50 <= upTo) {
                System.arraycopy(pcm, fed, frame.samples(), 0, RATE / 50);
                frame.setLength(RATE / 50).setTimestampNanos(nanos(fed));
                voicing.frame(frame);
                fed += RATE / 50;
            }
            return voicing.span(w.start().toMillis(), w.end().toMillis());
        }
    }

    /** Whether an agent would have asked for what the turn gives: a number read out digit by digit, or a date. */
    static boolean asksFor(RealTurns.Turn t) {
        return askedFor(t) != ExpectedAnswer.ANY;
    }

    /**
     * What an agent asking for {@code t} expects: for a number read out digit by digit, that
     * many digits; for a date (a month and its day), a date; nothing for the other turns.
     */
    static ExpectedAnswer askedFor(RealTurns.Turn t) {
        String[] words = java.util.Arrays.stream(t.text().split("[\\s|]+")).filter(w -> !w.isEmpty()).toArray(String[]::new);
        if (java.util.Arrays.stream(words).allMatch(DIGIT_WORDS::contains)) {
            return ExpectedAnswer.digits(words.length);
        }
        boolean date = words.length >= 2 && RealTurns.MONTH_NAMES.contains(words[0]) && java.util.Arrays.stream(words, 1, words.length)
                .allMatch(w -> RealTurns.ORDINALS.contains(w) || w.equals("twenty") || w.equals("thirtieth"));
        return date ? ExpectedAnswer.date() : ExpectedAnswer.ANY;
    }

    private static final java.util.Set<String> DIGIT_WORDS = java.util.Set.of(
            "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    /**
     * PocketSphinx decoding on the session's thread as it writes, publishing as PocketSphinxStt
     * does; each stream its own decoder, as PocketSphinxStt opens one per stream.
     */
    private record ReplayStt(VirtualClock clock, String loop, long latencyNanos) implements SttProvider {
        @Override
        public String name() {
            return "pocketsphinx-replay";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new Stream(this, new DirectDecoder(loop, List.of()), listener);
        }
    }

    /** One replayed stream: PocketSphinx decoding what the session writes, its own decoder per stream. */
    private static final class Stream extends ReplayStream {
        private final DirectDecoder decoder;
        /** Samples decoded so far on the stream's timeline, and where the open utterance began. */
        private long decoded;
        private long utteranceStart;
        /** The kind of answer the decoder's search is for, and the one the session's expectation asks for. */
        private ExpectedAnswer.Kind searching = ExpectedAnswer.Kind.ANY;
        private volatile ExpectedAnswer.Kind wanted = ExpectedAnswer.Kind.ANY;
        /** The open utterance has heard words: a switch waits for the next one. */
        private boolean switchDeferred;

        Stream(ReplayStt stt, DirectDecoder decoder, SttListener listener) {
            super(stt.clock, stt.latencyNanos, listener);
            this.decoder = decoder;
        }

        /** As PocketSphinxStream: the digit or date search from the next utterance, or at once if this one heard nothing yet. */
        @Override
        public void expect(ExpectedAnswer answer) {
            wanted = answer.kind();
        }

        @Override
        void begin(AudioFrame first, long writtenNanos) {
            switchDeferred = false;
            if (wanted != searching) {
                searching = wanted;
                decoder.searchFor(searching);
            }
            decoder.begin();
            utteranceStart = decoded;
        }

        @Override
        void feed(AudioFrame frame) {
            if (!switchDeferred && wanted != searching) {
                if (decoder.hypothesis().isEmpty()) {
                    decoder.end();
                    begin(frame, 0);
                } else {
                    switchDeferred = true;
                }
            }
            decoder.feed(frame.samples(), frame.length());
            decoded += frame.length();
        }

        @Override
        String text() {
            return decoder.hypothesis();
        }

        @Override
        List<Word> words() {
            List<Word> out = new ArrayList<>();
            for (RecognizerTails.Heard h : decoder.words(Math.toIntExact(utteranceStart))) {
                out.add(new Word(h.text(), Duration.ofNanos(nanos(h.start())), Duration.ofNanos(nanos(h.end())), Double.NaN, -1));
            }
            return out;
        }

        @Override
        void end() {
            decoder.end();
        }

        @Override
        void release(boolean utteranceOpen) {
            if (utteranceOpen) {
                decoder.end();
            }
            decoder.close();
        }
    }
}
