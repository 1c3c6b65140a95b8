package io.parley.bench.audio;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.VoiceSession;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.spi.TurnDetector;
import io.parley.turn.AdaptiveTurnDetector;
import io.parley.turn.SilenceTurnDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Turn-taking as users get it: real human turns with mid-turn pauses ({@link RealTurns}) spoken
 * into a real {@link VoiceSession} (PocketSphinx free-form recognition, {@link DspVad}, FreeTTS,
 * default {@link SessionConfig}) at real-time pace, once per turn detector, all detectors side
 * by side in one run, in quiet and in pink noise at 10 dB SNR.
 *
 * <p>Each speaker's turns go through one session in order (the detector may learn the speaker),
 * each turn followed by four seconds of the room's sound during which the agent answers
 * "Okay.". Per turn the harness knows, from the forced alignment, when each spliced pause began
 * and when the speech really ended, and it records when the session ended a user turn (commit: the
 * session's move to PROCESSING for "end_of_turn"), when the agent was called, and when the
 * first frame of the agent's audio reached the transport.
 *
 * <ul>
 *   <li><b>False cut-off</b>: the session ended a user turn after a spliced pause began and
 *       before the speech that follows it ended (the turn was unfinished; a commit just after
 *       the pause, before the VAD has heard the user resume, counts too). Reported as cut pauses
 *       of all pauses.</li>
 *   <li><b>Delays</b>: from the true end of the turn's speech to the first commit, agent call
 *       and agent audio after it; median and 90th percentile (nearest rank) over turns. With
 *       ten turns or fewer in a split, its 90th percentile is its slowest or second slowest
 *       turn: one turn decides it, and the run prints which rank it is.</li>
 * </ul>
 *
 * <p>Turns alternate between a tuning split and a held-out split; defaults were tuned on the
 * tuning split only, and the held-out split is reported on its own.
 *
 * <p>Run: {@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.TurnEval}
 * (after {@code mvn -q install -DskipTests}; every detector hears the whole set in real time, one
 * after another, about two and a half minutes each per condition). {@code -Dbench.args=quiet}
 * runs the quiet condition only, {@code noise} the noisy one, {@code default} only the adaptive
 * detector with its defaults, {@code fixed} the fixed silence timeouts and that detector,
 * {@code fixed500} only silence 500 ms and that detector (issue #12's "strictly better than fixed 500 ms"),
 * {@code expect} has the agent ask for the number each digits-only turn reads out (and for each date), as
 * {@link TurnReplay}'s option does ({@code VoiceSession.expect}, in its reply to the turn before);
 * {@code adaptive} only the adaptive detector, with its defaults and the ablations
 * ({@code adaptive -prosody} is the same detector with {@code prosodyWeight(0)},
 * {@code adaptive -ghosts} one that keeps the trailing words decoded from the silence);
 * {@code tune} runs the defaults with the opt-in {@code coveredNeutralDelay} at 350, 400 and
 * 450 ms; {@code vocab} recognizes with a word loop over the set's
 * vocabulary instead of the free-form model (for loaded machines), {@code wip} with it sets the
 * word loop's insertion penalty and silence probability (see {@link #vocabRecognizer}); {@code silero} uses the Silero VAD instead of
 * {@link DspVad}; {@code trace} prints every turn's commits, agent calls and session events
 * (state changes, VAD onsets and offsets, final transcripts) in ms from the end of its speech, and
 * for each timed word of a prediction how many of its 20 ms frames the VAD took for voice and the
 * pitch tracker found a pitch in ({@code {v3 p2 of 5}}, see {@link FrameVoicing}), and per split divides the delay from the end of speech to the commit
 * into where the VAD's last offset before the commit lay, the wait the detector last named
 * and the rest (the session holding the turn for the recognizer or for late audio); {@code parallel} runs the detectors at the same time, which
 * needs a core per recognizer; {@code telephone} takes Allison's prompts from their 8 kHz copy
 * ({@link RealTurns.Band}); {@code large} plays {@link LargeTurns}' set instead of RealTurns' twenty
 * turns (about three quarters of an hour per detector and condition in real time), with
 * {@code --stride N} only every N-th added turn of each speaker, with {@code heldout} only
 * held-out turns, with {@code tuning} only tuning turns (see {@link #subset}).
 */
public final class TurnEval {

    private static final AudioFormat FORMAT = RealTurns.FORMAT;
    /**
     * The sessions' clock: the times of their events are its instants, which follow the monotonic
     * timer; read against the wall clock they drifted by a few milliseconds over a run.
     */
    private static final io.parley.time.Clock CLOCK = io.parley.time.Clock.system();

    private record Detector(String name, Supplier<TurnDetector> factory) {
    }

    private TurnEval() {
    }

    public static void main(String[] args) throws Exception {
        List<String> given = new ArrayList<>(List.of(args));
        RealTurns.Band band = RealTurns.Band.of(given);
        long stride = ToolArgs.takeLong(given, "--stride", 1);
        if (stride < 1) {
            throw new IllegalArgumentException("--stride must be at least 1, not " + stride);
        }
        List<List<RealTurns.Turn>> speakers = given.contains("large")
                ? subset(LargeTurns.load(band), stride, given) : RealTurns.load(band);
        int turns = speakers.stream().mapToInt(List::size).sum();
        int pauses = speakers.stream().flatMap(List::stream).mapToInt(t -> t.pauseStart().length).sum();
        double seconds = speakers.stream().flatMap(List::stream).mapToDouble(t -> t.audio().length / 16_000.0).sum();
        System.out.printf(Locale.ROOT, "%d real turns from %d speakers (%d mid-turn pauses of 300-900 ms), %.0f s per condition;"
                + " session: PocketSphinx, DspVad, FreeTTS, default config%n", turns, speakers.size(), pauses, seconds);
        List<Detector> detectors = List.of(
                new Detector("silence 500 ms", () -> new SilenceTurnDetector(Duration.ofMillis(500))),
                new Detector("silence 700 ms", () -> new SilenceTurnDetector(Duration.ofMillis(700))),
                new Detector("silence 1000 ms", () -> new SilenceTurnDetector(Duration.ofMillis(1000))),
                new Detector("adaptive", AdaptiveTurnDetector::new),
                new Detector("adaptive -prosody", () -> AdaptiveTurnDetector.builder().prosodyWeight(0).build()),
                // A margin beyond the longest wait keeps every word, as before words decoded from the silence were set aside.
                new Detector("adaptive -ghosts", () -> AdaptiveTurnDetector.builder().ghostMargin(Duration.ofSeconds(60)).build()));
        List<String> opts = given;
        if (opts.contains("adaptive")) {
            // The ablations: the defaults, without prosody, keeping words decoded from the silence.
            detectors = detectors.subList(3, detectors.size());
        }
        if (opts.contains("fixed")) {
            // The fixed silence baselines and the adaptive detector with its defaults, side by side.
            detectors = detectors.subList(0, 4);
        }
        if (opts.contains("fixed500")) {
            // Issue #12's comparison alone: fixed 500 ms silence and the adaptive detector's defaults.
            detectors = List.of(detectors.get(0), detectors.get(3));
        }
        if (opts.contains("default")) {
            // The adaptive detector with its defaults alone: what a session gets out of the box.
            detectors = detectors.subList(3, 4);
        }
        if (opts.contains("tune")) {
            // The wait with no cue once word timings show the whole utterance was heard.
            detectors = java.util.stream.Stream.of(350, 400, 450).map(ms -> new Detector("adaptive covered " + ms,
                    () -> AdaptiveTurnDetector.builder().coveredNeutralDelay(Duration.ofMillis(ms)).build())).toList();
        }
        boolean quietOnly = opts.contains("quiet");
        // In parallel the decoders compete for the CPU; on a shared machine run one detector at a time.
        int parallel = opts.contains("parallel") ? detectors.size() : 1;
        // "vocab": PocketSphinx in grammar mode with any sequence of the set's words (a
        // word loop, not its sentences), about a tenth of the free-form decoder's cost, for
        // machines too loaded to decode the free-form model in real time.
        PocketSphinxStt stt = opts.contains("vocab") ? vocabRecognizer(speakers, opts.contains("wip")) : PocketSphinxStt.create();
        System.out.println("VAD: " + (opts.contains("silero") ? "Silero v5" : "DspVad (default)"));
        System.out.println("recognizer: " + (opts.contains("vocab") ? "PocketSphinx, grammar = loop over the set's vocabulary, "
                + "word insertion penalty " + stt.wordInsertionPenalty() + ", silence probability " + stt.silenceProbability()
                : "PocketSphinx, free-form en-us language model"));
        FreeTtsTts tts = FreeTtsTts.create();
        boolean noiseOnly = opts.contains("noise");
        double[] conditions = quietOnly ? new double[] {Double.NaN} : noiseOnly ? new double[] {10} : new double[] {Double.NaN, 10};
        for (double snr : conditions) {
            System.out.printf(Locale.ROOT, "%n%s; load average before: %s%n", Double.isNaN(snr) ? "quiet" : "pink noise " + (int) snr + " dB SNR",
                    io.parley.bench.local.FinalizeLatency.loadAverage());
            System.out.println("| detector             | split    | false cut-offs | speech end->commit med/p90 | ->agent called med/p90 | ->first audio med/p90 | commit->agent med/p90 | unanswered |");
            System.out.println("|----------------------|----------|----------------|----------------------------|------------------------|-----------------------|-----------------------|------------|");
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            List<Future<List<TurnResult>>> runs = new ArrayList<>();
            for (Detector d : detectors) {
                runs.add(pool.submit(() -> {
                    List<TurnResult> all = new ArrayList<>();
                    for (List<RealTurns.Turn> speaker : speakers) {
                        all.addAll(runSpeaker(d.name, speaker, d.factory.get(), stt, tts, snr, opts.contains("trace"), opts.contains("silero"),
                                opts.contains("expect")));
                    }
                    return all;
                }));
            }
            for (int i = 0; i < detectors.size(); i++) {
                List<TurnResult> rs = runs.get(i).get();
                for (String split : new String[] {"held-out", "tuning"}) {
                    boolean held = split.equals("held-out");
                    List<TurnResult> part = rs.stream().filter(r -> r.heldOut == held).toList();
                    int cut = part.stream().mapToInt(r -> r.cutPauses).sum();
                    int of = part.stream().mapToInt(r -> r.pauses).sum();
                    long unanswered = part.stream().filter(r -> r.agentMs < 0).count();
                    System.out.printf(Locale.ROOT, "| %-20s | %-8s | %2d of %2d %4.0f%% | %11s | %11s | %11s | %11s | %3d of %2d |%n",
                            detectors.get(i).name, split, cut, of, of == 0 ? 0 : 100.0 * cut / of,
                            medP90(part, r -> r.commitMs), medP90(part, r -> r.agentMs), medP90(part, r -> r.audioMs),
                            medP90(part, r -> r.commitMs < 0 || r.agentMs < 0 ? -1 : r.agentMs - r.commitMs),
                            unanswered, part.size());
                }
                if (opts.contains("trace")) {
                    for (boolean held : new boolean[] {true, false}) {
                        List<TurnResult> part = rs.stream().filter(r -> r.heldOut == held && r.waitMs >= 0).toList();
                        System.out.printf(Locale.ROOT, "  trace %s %s, end of speech -> commit as VAD offset + detector's wait + the rest:"
                                        + " offset %s, wait %s, rest %s (%d turns)%n", detectors.get(i).name, held ? "held-out" : "tuning",
                                signedMedP90(part, TurnResult::vadOffsetMs), signedMedP90(part, TurnResult::waitMs),
                                signedMedP90(part, r -> r.commitMs - r.vadOffsetMs - r.waitMs), part.size());
                    }
                }
            }
            pool.shutdown();
            StringBuilder ranks = new StringBuilder("p90, nearest rank:");
            for (boolean held : new boolean[] {true, false}) {
                long n = speakers.stream().flatMap(List::stream).filter(t -> t.heldOut() == held).count();
                long rank = n - Math.max(1, (long) Math.ceil(0.9 * n)) + 1;
                ranks.append(String.format(Locale.ROOT, " of %d %s turns the %sslowest;", n, held ? "held-out" : "tuning",
                        rank == 1 ? "" : ordinal(rank) + " "));
            }
            System.out.println(ranks.append(" of fewer if some go unanswered").toString());
            System.out.printf(Locale.ROOT, "load average after: %s%n", io.parley.bench.local.FinalizeLatency.loadAverage());
        }
        System.exit(0);
    }

    /**
     * The large set's turns to play: RealTurns' own and every {@code stride}-th turn each speaker
     * adds (the first, the stride-th after it ...); only held-out ones if {@code opts} has
     * {@code heldout}, only tuning ones if it has {@code tuning}.
     */
    static List<List<RealTurns.Turn>> subset(List<List<RealTurns.Turn>> speakers, long stride, List<String> opts) {
        boolean heldOutOnly = opts.contains("heldout");
        boolean tuningOnly = opts.contains("tuning");
        List<List<RealTurns.Turn>> out = new ArrayList<>();
        for (List<RealTurns.Turn> speaker : speakers) {
            List<RealTurns.Turn> kept = new ArrayList<>();
            int added = 0;
            for (RealTurns.Turn t : speaker) {
                boolean take = !t.added() || added++ % stride == 0;
                if (take && (t.heldOut() ? !tuningOnly : !heldOutOnly)) {
                    kept.add(t);
                }
            }
            if (!kept.isEmpty()) {
                out.add(kept);
            }
        }
        return out;
    }

    /**
     * PocketSphinx in grammar mode with the set's word loop; with {@code wip}, with a word
     * insertion penalty of 0.01 and a silence probability of 0.1 instead of PocketSphinx's own
     * (fewer short words inserted, and fewer real ones heard; see
     * {@link PocketSphinxStt.Builder#wordInsertionPenalty(double)} and {@link RecognizerTails}).
     */
    static PocketSphinxStt vocabRecognizer(List<List<RealTurns.Turn>> speakers, boolean wip) {
        PocketSphinxStt.Builder b = PocketSphinxStt.builder().grammar(wordLoop(speakers));
        return (wip ? b.wordInsertionPenalty(0.01).silenceProbability(0.1) : b).build();
    }

    /** A JSGF grammar accepting any sequence of the set's words. */
    static String wordLoop(List<List<RealTurns.Turn>> speakers) {
        java.util.TreeSet<String> words = new java.util.TreeSet<>();
        speakers.stream().flatMap(List::stream).forEach(t -> words.addAll(List.of(t.text().split("\\s+"))));
        return "#JSGF V1.0;\ngrammar vocab;\npublic <s> = ( " + String.join(" | ", words) + " )+ ;\n";
    }

    private static String ordinal(long n) {
        return n + (n % 100 / 10 == 1 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th");
    }

    private static String medP90(List<TurnResult> rs, java.util.function.ToLongFunction<TurnResult> f) {
        long[] v = rs.stream().mapToLong(f).filter(x -> x >= 0).sorted().toArray();
        if (v.length == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%5d / %5d ms", v[(v.length - 1) / 2], v[Math.max(0, (int) Math.ceil(0.9 * v.length) - 1)]);
    }

    /** Median and 90th percentile (nearest rank) of values that may be negative. */
    private static String signedMedP90(List<TurnResult> rs, java.util.function.ToLongFunction<TurnResult> f) {
        long[] v = rs.stream().mapToLong(f).sorted().toArray();
        return v.length == 0 ? "n/a"
                : String.format(Locale.ROOT, "%d / %d ms", v[(v.length - 1) / 2], v[Math.max(0, (int) Math.ceil(0.9 * v.length) - 1)]);
    }

    /**
     * What happened to one turn, times in ms from the true end of its speech (-1: never). With
     * {@code trace}, the first commit after it split into where the VAD's last offset before it
     * lay ({@code vadOffsetMs}, negative when early) and the wait the detector last named before
     * it ({@code waitMs}, -1 without trace or without a commit).
     */
    private record TurnResult(boolean heldOut, int pauses, int cutPauses, long commitMs, long agentMs, long audioMs,
                              long vadOffsetMs, long waitMs) {
    }

    private static List<TurnResult> runSpeaker(String name, List<RealTurns.Turn> turns, TurnDetector detector, PocketSphinxStt stt,
                                               FreeTtsTts tts, double snr, boolean trace, boolean silero, boolean expect) throws Exception {
        PacedTransport transport = new PacedTransport();
        List<Long> commits = new CopyOnWriteArrayList<>();
        List<Long> agentCalls = new CopyOnWriteArrayList<>();
        List<String> agentTexts = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<SessionException> errors = new ConcurrentLinkedQueue<>();
        // With "trace": the session's events (state, user speech, final transcripts) by time.
        List<long[]> eventTimes = new CopyOnWriteArrayList<>();
        List<String> events = new CopyOnWriteArrayList<>();
        // With "trace": when the detector named each wait, and how long, in ms.
        List<long[]> waits = new CopyOnWriteArrayList<>();
        if (trace) {
            FrameVoicing voicing = new FrameVoicing();
            transport.voicing = voicing;
            detector = new TracedDetector(detector, 4, System::nanoTime,
                    (at, w) -> voicing.span(w.start().toMillis(), w.end().toMillis()),
                    (at, p) -> waits.add(new long[] {at, p.delay().toMillis()}),
                    (at, what) -> {
                        synchronized (events) {
                            eventTimes.add(new long[] {System.nanoTime()});
                            events.add(what);
                        }
                    });
        }
        // With "expect": the index of the turn being played, so the agent can ask for the next one's number.
        java.util.concurrent.atomic.AtomicInteger playing = new java.util.concurrent.atomic.AtomicInteger();
        VoiceSession[] asking = new VoiceSession[1];
        VoiceSession session = VoiceSession.builder()
                .stt(stt).tts(tts).vad(silero ? io.parley.providers.local.vad.SileroVad.defaults() : DspVad.defaults()).turnDetector(detector).transport(transport)
                .config(SessionConfig.defaults())
                .clock(CLOCK)
                .agent((ctx, text) -> {
                    agentCalls.add(System.nanoTime());
                    agentTexts.add(text);
                    int next = playing.get() + 1;
                    if (expect && next < turns.size() && TurnReplay.asksFor(turns.get(next))) {
                        asking[0].expect(TurnReplay.askedFor(turns.get(next)));
                    }
                    transport.armFirstAudio();
                    return "Okay.";
                })
                .listener(new SessionListener() {
                    @Override
                    public void onStateChanged(io.parley.session.StateChange c) {
                        if (trace) {
                            log(c.at(), c.to() + "(" + c.reason() + ")");
                        }
                        // The session ends a user turn by moving to PROCESSING ("end_of_turn"),
                        // whether or not the turn is answered afterwards (a turn the user talks
                        // on from is folded back, but it was cut all the same).
                        if (c.to() == io.parley.session.SessionState.PROCESSING && "end_of_turn".equals(c.reason())) {
                            long ago = java.time.Duration.between(c.at(), CLOCK.now()).toNanos();
                            commits.add(System.nanoTime() - ago);
                        }
                    }

                    @Override
                    public void onUserSpeech(io.parley.session.UserSpeech u) {
                        if (trace) {
                            log(u.at(), u.speaking() ? "speech+" : "speech-");
                        }
                    }

                    @Override
                    public void onUserTranscript(io.parley.session.UserTranscript u) {
                        if (trace && u.transcript().isFinal()) {
                            log(CLOCK.now(), "final'" + u.transcript().text() + "'");
                        }
                    }

                    @Override
                    public void onUserTurn(long turnId, String text) {
                        if (trace) {
                            log(CLOCK.now(), "turn'" + text + "'");
                        }
                    }

                    private void log(java.time.Instant at, String what) {
                        long ago = java.time.Duration.between(at, CLOCK.now()).toNanos();
                        synchronized (events) {
                            eventTimes.add(new long[] {System.nanoTime() - ago});
                            events.add(what);
                        }
                    }

                    @Override
                    public void onError(SessionException error) {
                        errors.add(error);
                    }
                })
                .build();
        asking[0] = session;
        session.start();
        if (expect && TurnReplay.asksFor(turns.get(0))) {
            session.expect(TurnReplay.askedFor(turns.get(0)));
        }
        long[] starts = new long[turns.size()];
        try {
            for (int i = 0; i < turns.size(); i++) {
                playing.set(i);
                RealTurns.Turn t = turns.get(i);
                starts[i] = transport.play(snr > 0 ? withNoise(t, snr) : t.audio());
            }
        } finally {
            session.stop();
        }
        // Listener events may trail the audio; results are read once the session has stopped.
        List<TurnResult> out = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
                RealTurns.Turn t = turns.get(i);
                long start = starts[i];
                long end = start + nanos(t.speechEnd());
                int cut = 0;
                for (int p = 0; p < t.pauseStart().length; p++) {
                    // Cut: the turn was ended after the pause began and before the speech that
                    // follows it was over. A commit just after the pause, while the VAD has yet
                    // to report the user speaking again, cuts the user off all the same.
                    long a = start + nanos(t.pauseStart()[p]);
                    long b = start + nanos(p + 1 < t.pauseStart().length ? t.pauseStart()[p + 1] : t.speechEnd());
                    if (commits.stream().anyMatch(c -> c >= a && c < b)) {
                        cut++;
                    }
                }
                long commit = first(commits, end);
                long agent = first(agentCalls, end);
                long audioAt = transport.firstAudioAfter(end);
                long nextStart = i + 1 < turns.size() ? starts[i + 1] : Long.MAX_VALUE;
                if (trace) {
                    StringBuilder sb = new StringBuilder();
                    for (Long c : commits) {
                        if (c >= start && c < nextStart) {
                            sb.append(" commit ").append((c - end) / 1_000_000);
                        }
                    }
                    for (int k = 0; k < agentCalls.size(); k++) {
                        long c = agentCalls.get(k);
                        if (c >= start && c < nextStart) {
                            sb.append(" agent ").append((c - end) / 1_000_000).append(" '").append(agentTexts.get(k)).append('\'');
                        }
                    }
                    for (int k = 0; k < events.size(); k++) {
                        long c = eventTimes.get(k)[0];
                        if (c >= start && c < nextStart) {
                            sb.append("\n      ").append((c - end) / 1_000_000).append(' ').append(events.get(k));
                        }
                    }
                    System.out.printf(Locale.ROOT, "  trace %-20s %-8s '%s' (pauses end at%s ms):%s%n", name, t.speaker(), t.text(),
                            java.util.Arrays.stream(t.pauseEnd()).mapToObj(e -> " " + (nanos(e) + start - end) / 1_000_000)
                                    .reduce("", String::concat), sb);
                }
                long offsetMs = Long.MIN_VALUE;
                long waitMs = -1;
                if (trace && commit >= 0 && commit < nextStart) {
                    for (int k = 0; k < events.size(); k++) {
                        long c = eventTimes.get(k)[0];
                        if (c >= start && c <= commit && events.get(k).equals("speech-")) {
                            offsetMs = (c - end) / 1_000_000;
                        }
                    }
                    for (long[] w : waits) {
                        if (w[0] >= start && w[0] <= commit) {
                            waitMs = w[1];
                        }
                    }
                }
                out.add(new TurnResult(t.heldOut(), t.pauseStart().length, cut, ms(commit, end, nextStart), ms(agent, end, nextStart),
                        ms(audioAt, end, nextStart), offsetMs, offsetMs == Long.MIN_VALUE ? -1 : waitMs));
        }
        if (!errors.isEmpty()) {
            System.out.printf(Locale.ROOT, "  (%s, %s: %d session errors, first: %s)%n", detector, turns.get(0).speaker(), errors.size(),
                    errors.peek().getMessage());
        }
        return out;
    }

    private static long first(List<Long> times, long after) {
        return times.stream().mapToLong(Long::longValue).filter(x -> x >= after).min().orElse(-1);
    }

    /** Milliseconds from {@code from} to {@code at}, or -1 if it never happened before the next turn began. */
    private static long ms(long at, long from, long before) {
        return at < 0 || at >= before ? -1 : (at - from) / 1_000_000;
    }

    private static long nanos(int samples) {
        return samples * 1_000_000_000L / FORMAT.sampleRate();
    }

    /** The turn with pink noise added at {@code snrDb} below its speech's power (the same noise every run). */
    static short[] withNoise(RealTurns.Turn t, double snrDb) {
        return withNoise(t, snrDb, 0);
    }

    /**
     * The turn with pink noise of another draw ({@code seed} 0 is {@link #withNoise(RealTurns.Turn, double)}'s):
     * more noisy turns to tune on without touching the held-out split.
     */
    static short[] withNoise(RealTurns.Turn t, double snrDb, long seed) {
        short[] s = t.audio();
        double e = 0;
        int n = 0;
        for (int i = 16_000; i < t.speechEnd(); i++) {
            e += (double) s[i] * s[i];
            n++;
        }
        double g = Math.sqrt(e / Math.max(1, n)) / Math.pow(10, snrDb / 20);
        float[] noise = Noises.pink(s.length, s.length + 7L + 1_000_003L * seed);
        short[] out = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(s[i] + g * noise[i])));
        }
        return out;
    }

    /**
     * Feeds user audio in 20 ms frames at real-time pace on the calling thread, and notes when
     * the agent's audio arrives. Outbound audio counts as played when sent (the session paces it).
     */
    private static final class PacedTransport implements Transport {
        private volatile TransportListener listener;
        private final List<Long> agentAudio = new CopyOnWriteArrayList<>();
        private volatile boolean armed;
        private long played;
        /** With "trace": the frames as the session's VAD and pitch tracker take them. */
        private FrameVoicing voicing;

        @Override
        public AudioFormat inputFormat() {
            return FORMAT;
        }

        @Override
        public AudioFormat outputFormat() {
            return FORMAT;
        }

        @Override
        public void start(TransportListener l) {
            listener = l;
        }

        void armFirstAudio() {
            armed = true;
        }

        long play(short[] audio) {
            AudioFrame frame = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(20));
            int size = frame.samples().length;
            long start = System.nanoTime();
            for (int i = 0; i * size < audio.length; i++) {
                long due = start + i * 20_000_000L;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int n = Math.min(size, audio.length - i * size);
                System.arraycopy(audio, i * size, frame.samples(), 0, n);
                frame.setLength(n).setTimestampNanos(System.nanoTime());
                if (voicing != null) {
                    voicing.frame(frame);
                }
                listener.onAudio(frame);
            }
            return start;
        }

        long firstAudioAfter(long t) {
            return agentAudio.stream().mapToLong(Long::longValue).filter(x -> x >= t).min().orElse(-1);
        }

        @Override
        public synchronized void send(AudioFrame frame) {
            if (armed) {
                armed = false;
                agentAudio.add(System.nanoTime());
            }
            played += frame.length();
        }

        @Override
        public void clearPlayback() {
        }

        @Override
        public synchronized long playedSamples() {
            return played;
        }

        @Override
        public void close() {
        }
    }
}
