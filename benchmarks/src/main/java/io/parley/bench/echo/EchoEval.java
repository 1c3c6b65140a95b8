package io.parley.bench.echo;

import io.parley.audio.echo.AdaptiveEchoCanceller;
import io.parley.audio.echo.EchoGate;
import io.parley.audio.vad.DspVad;
import io.parley.echo.webrtc.WebRtcEchoCanceller;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.session.PlaybackEvent;
import io.parley.session.PlaybackHandle;
import io.parley.session.PlaybackResult;
import io.parley.session.SessionConfig;
import io.parley.session.SessionListener;
import io.parley.session.UserSpeech;
import io.parley.session.VoiceSession;
import io.parley.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Echo and barge-in on real threads, through a real {@link VoiceSession} (PocketSphinx,
 * {@code DspVad}, default config) whose transport is a speakerphone in a simulated room
 * ({@link EchoRoom}): the agent's replies are real recorded prompts, and they come back
 * through the microphone delayed, reverberated and attenuated.
 *
 * <ul>
 *   <li>{@code --phase echo}: the agent plays {@code --replies} replies while the user is
 *       silent; every pause, cut and user-speech onset is the echo barging in.</li>
 *   <li>{@code --phase bargein}: {@code --bargeins} times, a real user recording starts 0.6 to
 *       1.6 s into a reply; detected when the reply is cut. Reports true speech onset to agent
 *       audio paused (median, p90, max), from the onset's capture and from its frame's arrival,
 *       and splits it ({@link OnsetProbe}) into capture to arrival, arrival to the detector's
 *       first voiced frame, to the gate's first user frame (the session's speech onset), and
 *       to the pause; and gives the gate's own delay in media time (onset to the end of its
 *       first user frame), which frames held back in a burst do not change.</li>
 * </ul>
 * Five rooms (echo delay 100 to 250 ms, reverberation 300 to 500 ms) share the trials, one
 * session per room. {@code --gate on} adds {@link EchoGate}; {@code --aec on} adds
 * {@link WebRtcEchoCanceller} in front of the detector, {@code --aec adaptive}
 * {@link AdaptiveEchoCanceller} (with {@code --gate on}, the gate judges
 * what it leaves; with neither, a pass-through suppressor only watches the detector's verdicts
 * for the split); {@code --echo-db} sets the echo
 * level (default -10, {@code none} for no echo); {@code --noise-dbfs} sets the microphone's
 * white noise (default -60, {@code none} for digital silence). {@code --bursts P:MS} delivers
 * the microphone's frames in bursts (see {@link EchoRoom#bursts}): before each frame a hold
 * of up to MS milliseconds starts with probability P; the burst model is seeded from
 * {@code --seed}, so a run does not depend on the machine's load (e.g. {@code --bursts 0.05:200}).
 * {@code --warmup N} (barge-in phase) has the agent play {@code N} replies with the user silent in
 * each room's session before its barge-ins, as a call where the agent has spoken before the user
 * first interrupts: an adaptive canceller has then heard the room (default 0: each room's
 * session starts with a barge-in). Echo pauses and false barge-ins in those replies are printed.
 * {@code --record DIR} records what the gate was given and answered, one file per room, for
 * {@link EchoReplay}.
 *
 * <p>{@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.echo.EchoEval
 * -Dbench.args="--phase echo --gate on"}
 */
public final class EchoEval {

    private static final int[] DELAYS_MS = {100, 140, 175, 210, 250};
    private static final int[] RT60_MS = {300, 450, 350, 500, 400};
    /** The default policy's shortest interruption: shorter speech resumes the agent, with or without echo. */
    /** With -Decho.shadow=true a second gate judges each frame against what the room really played. */
    private static final boolean SHADOW = Boolean.getBoolean("echo.shadow");
    private static final long MIN_INTERRUPTION_MS = SessionConfig.defaults().interruptionMinDuration().toMillis();

    private EchoEval() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String phase = opt.getOrDefault("phase", "echo");
        boolean gate = "on".equals(opt.getOrDefault("gate", "on"));
        String aec = opt.getOrDefault("aec", "off");
        if (!List.of("off", "on", "adaptive").contains(aec)) {
            throw new IllegalArgumentException("--aec is off, on (WebRtcEchoCanceller) or adaptive (AdaptiveEchoCanceller), not " + aec);
        }
        String echoDb = opt.getOrDefault("echo-db", "-10");
        double level = "none".equals(echoDb) ? Double.NaN : Double.parseDouble(echoDb);
        // A room microphone is never digitally silent: white noise at -60 dBFS unless told otherwise.
        String noiseOpt = opt.getOrDefault("noise-dbfs", "-60");
        double noise = "none".equals(noiseOpt) ? Double.NaN : Double.parseDouble(noiseOpt);
        int trials = Integer.parseInt(opt.getOrDefault("trials", "echo".equals(phase) ? "50" : "40"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "1"));
        String burstOpt = opt.getOrDefault("bursts", "none");
        double burstChance = "none".equals(burstOpt) ? 0 : Double.parseDouble(burstOpt.split(":")[0]);
        int burstMillis = "none".equals(burstOpt) ? 0 : Integer.parseInt(burstOpt.split(":")[1]);
        String record = opt.get("record");
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "0"));

        List<Recordings.Clip> prompts = Recordings.agentPrompts(2.0, 4.5);
        Map<String, Recordings.Clip> byName = new LinkedHashMap<>();
        prompts.forEach(p -> byName.put(p.name(), p));
        List<Recordings.Clip> users = Recordings.users(0.9);
        Tally tally = new Tally();
        Map<String, Long> spans = tally.spans;
        for (Recordings.Clip u : users) {
            spans.put(u.name(), SpeechSpans.longestMillis(u));
            if (spans.get(u.name()) < MIN_INTERRUPTION_MS) {
                System.out.printf(Locale.ROOT, "user recording %s: longest speech %d ms, shorter than interruptionMinDuration (%d ms)%n",
                        u.name(), spans.get(u.name()), MIN_INTERRUPTION_MS);
            }
        }
        System.out.printf(Locale.ROOT, "phase=%s gate=%s aec=%s echo=%s dB noise=%s dBFS trials=%d seed=%d bursts=%s warmup=%d; %d agent prompts, %d user recordings%n",
                phase, gate ? "on" : "off", aec, echoDb, noiseOpt, trials, seed, burstOpt, warmup,
                prompts.size(), users.size());

        Random random = new Random(seed);
        int rooms = DELAYS_MS.length;
        try (PromptTts tts = new PromptTts(byName)) {
            for (int r = 0; r < rooms; r++) {
                int n = trials / rooms + (r < trials % rooms ? 1 : 0);
                Path file = record == null ? null : Path.of(record, "room-" + r + ".bin");
                runRoom(r, n, warmup, phase, gate, aec, level, noise, burstChance, burstMillis, seed, prompts, users, tts, random, tally, file);
            }
        }
        tally.print(phase);
    }

    private static void runRoom(int room, int trials, int warmup, String phase, boolean gate, String aec, double level, double noise,
                                double burstChance, int burstMillis, long seed, List<Recordings.Clip> prompts, List<Recordings.Clip> users, PromptTts tts,
                                Random random, Tally tally, Path record) throws Exception {
        Clock clock = Clock.system();
        EchoRoom transport = new EchoRoom(clock, random.nextLong());
        transport.room(level, DELAYS_MS[room], RT60_MS[room], noise);
        if (burstChance > 0) {
            // Its own seed: the prompts and users drawn stay those of a run without bursts.
            transport.bursts(burstChance, burstMillis, seed * 1_000_003L + room);
        }
        Events events = new Events();
        VoiceSession.Builder b = VoiceSession.builder()
                .stt(PocketSphinxStt.create())
                .tts(tts)
                .vad(DspVad.defaults())
                .transport(transport)
                .clock(clock)
                .agent((ctx, text) -> "")
                .listener(events);
        EchoTap tap = null;
        OnsetProbe probe = null;
        VerdictTap verdicts = null;
        if (aec.equals("on")) {
            verdicts = new VerdictTap(WebRtcEchoCanceller.create());
        } else if (aec.equals("adaptive")) {
            verdicts = new VerdictTap(AdaptiveEchoCanceller.create());
        }
        if (verdicts != null) {
            b.echoCancellation(verdicts);
        }
        if (gate) {
            tap = record == null ? null : new EchoTap(EchoGate.create(), record);
            probe = SHADOW ? new OnsetProbe(tap != null ? tap : EchoGate.create(), EchoGate.create(), transport)
                    : new OnsetProbe(tap != null ? tap : EchoGate.create());
            b.echoSuppression(probe);
        } else {
            // No gate: the probe only watches the detector's verdicts, to split the latency.
            probe = new OnsetProbe(OnsetProbe.PASS);
            b.echoSuppression(probe);
        }
        if (verdicts != null) {
            probe.behind(verdicts);
        }
        VoiceSession session = b.build();
        session.start();
        try {
            Thread.sleep(500);
            if ("bargein".equals(phase)) {
                // Its own draws: the barge-ins that follow are those of a run without warm-up.
                Random draws = new Random(seed * 7_919L + room);
                int pauses = tally.falsePauses;
                for (int t = 0; t < warmup; t++) {
                    echoTrial(session, transport, events, prompts.get(draws.nextInt(prompts.size())), tally, tap);
                }
                // Counted apart from the pauses before each barge-in's user.
                tally.warmupPauses += tally.falsePauses - pauses;
                tally.falsePauses = pauses;
            }
            for (int t = 0; t < trials; t++) {
                if ("echo".equals(phase)) {
                    echoTrial(session, transport, events, prompts.get(random.nextInt(prompts.size())), tally, tap);
                } else {
                    bargeInTrial(session, transport, events, prompts, users.get(random.nextInt(users.size())), random, tally, tap, probe);
                }
            }
        } finally {
            session.stop();
            transport.close();
            if (tap != null) {
                tap.close();
            }
        }
        System.out.printf(Locale.ROOT, "room %d (echo delay %d ms, reverberation %d ms) done%n", room, DELAYS_MS[room], RT60_MS[room]);
    }

    /** The agent speaks with nobody else talking: anything that stops it is the echo. */
    private static void echoTrial(VoiceSession session, EchoRoom room, Events events, Recordings.Clip prompt,
                                  Tally tally, EchoTap tap) throws Exception {
        long from = System.nanoTime();
        if (tap != null) {
            tap.mark(from, "reply " + (tally.replies + 1) + " " + prompt.name());
        }
        int onsets = events.onsets.get();
        PlaybackResult result = session.say(prompt.name()).awaitPlayout(Duration.ofSeconds(30));
        // The echo's tail and the detector's hangover can still start speech after the reply.
        Thread.sleep(800);
        int pauses = 0;
        for (EchoRoom.Action a : room.actionsSince(from)) {
            if (a.kind().equals("pause")) {
                pauses++;
            }
        }
        tally.replies++;
        marks(tap, room, from);
        if (result.interrupted() || pauses > 0 || events.onsets.get() > onsets) {
            StringBuilder what = new StringBuilder();
            for (EchoRoom.Action a : room.actionsSince(from)) {
                what.append(String.format(Locale.ROOT, " %s@%dms", a.kind(), (a.nanos() - from) / 1_000_000));
            }
            System.out.printf(Locale.ROOT, "  reply %d (%s, %.1f s): cut=%s, %d onsets,%s%n", tally.replies, prompt.name(),
                    prompt.seconds(), result.interrupted(), events.onsets.get() - onsets, what);
        }
        tally.falseCuts += result.interrupted() ? 1 : 0;
        tally.falsePauses += pauses;
        tally.falseOnsets += events.onsets.get() - onsets;
        tally.repliesDisturbed += result.interrupted() || pauses > 0 || events.onsets.get() > onsets ? 1 : 0;
    }

    /** A real user talks over a reply: it must be cut, and its audio paused fast. */
    private static void bargeInTrial(VoiceSession session, EchoRoom room, Events events, List<Recordings.Clip> prompts,
                                     Recordings.Clip user, Random random, Tally tally, EchoTap tap,
                                     OnsetProbe probe) throws Exception {
        // A reply long enough to still be playing when the user has said enough to interrupt.
        StringBuilder text = new StringBuilder();
        double seconds = 0;
        while (seconds < 6) {
            Recordings.Clip p = prompts.get(random.nextInt(prompts.size()));
            text.append(p.name()).append(' ');
            seconds += p.seconds();
        }
        events.log.clear();
        CountDownLatch started = events.expectStart();
        long from = System.nanoTime();
        if (tap != null) {
            tap.mark(from, "bargein " + (tally.bargeIns + 1) + " " + user.name());
        }
        PlaybackHandle handle = session.say(text.toString().trim());
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the reply never started");
        }
        Thread.sleep(600 + random.nextInt(1000));
        long userStart = System.nanoTime();
        room.say(user);
        events.note("user recording starts");
        PlaybackResult result = handle.awaitPlayout(Duration.ofSeconds(30));
        long onset = room.userOnsetNanos();
        long arrived = room.userOnsetArrivalNanos();
        if (tap != null) {
            tap.mark(userStart, "user recording starts");
            tap.mark(onset, "user onset");
        }
        marks(tap, room, from);
        long stopped = -1;
        int early = 0;
        int leadIn = 0;
        for (EchoRoom.Action a : room.actionsSince(from)) {
            if (a.kind().equals("resume")) {
                continue;
            }
            if (onset < 0 || a.nanos() < onset) {
                // Before the user's recording began it was the echo; during the recording's
                // lead-in (a breath, a click before the first word) it was the user.
                if (a.nanos() < userStart) {
                    early += a.kind().equals("pause") ? 1 : 0;
                } else if (stopped < 0) {
                    leadIn++;
                    stopped = a.nanos();
                }
            } else if (stopped < 0) {
                stopped = a.nanos();
            }
        }
        tally.bargeIns++;
        boolean longEnough = tally.spans.get(user.name()) >= MIN_INTERRUPTION_MS;
        tally.longEnough += longEnough ? 1 : 0;
        tally.falsePauses += early;
        tally.leadIns += leadIn;
        double[] split = probe == null || stopped < 0 || onset < 0 ? null : probe.split(onset, stopped);
        System.out.printf(Locale.ROOT, "  %-55s %s cut=%-5s paused after %s ms (%s ms after its frame arrived), %d early pauses%s%n", user.name(),
                longEnough ? "     " : "short", result.interrupted(), millisAfter(stopped, onset),
                millisAfter(stopped, arrived), early,
                split == null ? (probe != null && stopped >= 0 && onset >= 0
                        ? "; stages unknown: the probe no longer holds the onset's frames (left out of the stage figures)" : "")
                        : String.format(Locale.ROOT, "; arrival %.0f, voice %.0f, gate %.0f, pause %.0f ms (gate's first user frame captured %.0f ms after the onset)%s",
                        split[0], split[1], split[2], split[3], split[4],
                        SHADOW ? String.format(Locale.ROOT, "; shadow gate %.0f ms after arrival (%d frames so far without the room's reference)",
                                probe.shadowGate(onset), probe.shadowUnreferenced()) : ""));
        if (Events.VERBOSE) {
            synchronized (events.log) {
                for (String line : events.log) {
                    String[] parts = line.split(" ", 2);
                    System.out.printf(Locale.ROOT, "      %+6d ms %s%n", (Long.parseLong(parts[0]) - onset) / 1_000_000, parts[1]);
                }
            }
        }
        if (result.interrupted() && early == 0) {
            tally.detected++;
            tally.detectedLongEnough += longEnough ? 1 : 0;
        }
        if (stopped >= 0 && leadIn == 0) {
            tally.pauseLatencies.add((stopped - onset) / 1e6);
            if (arrived >= 0) {
                tally.arrivalLatencies.add((stopped - arrived) / 1e6);
            }
            if (split != null) {
                for (int k = 0; k < split.length; k++) {
                    tally.stages.get(k).add(split[k]);
                }
            }
        }
        // Let the user finish and the turn end before the next reply.
        while (!room.userDone()) {
            Thread.sleep(50);
        }
        Thread.sleep(2500);
    }

    /**
     * Milliseconds from {@code from} to {@code to}, "-" if there was no pause and "not measured"
     * if the user's onset (or its frame's arrival) was never recorded: the difference against
     * the -1 that stands for "never recorded" would read as the machine's uptime.
     */
    static String millisAfter(long to, long from) {
        if (to < 0) {
            return "-";
        }
        return from < 0 ? "not measured" : String.valueOf((to - from) / 1_000_000);
    }

    /** Copies the room's pauses, resumes and clears since {@code from} into the recording. */
    private static void marks(EchoTap tap, EchoRoom room, long from) {
        if (tap != null) {
            for (EchoRoom.Action a : room.actionsSince(from)) {
                tap.mark(a.nanos(), a.kind());
            }
        }
    }

    /** Session events the trials count. */
    private static final class Events implements SessionListener {
        static final boolean VERBOSE = Boolean.getBoolean("echo.verbose");
        final AtomicInteger onsets = new AtomicInteger();
        final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile CountDownLatch start = new CountDownLatch(0);

        CountDownLatch expectStart() {
            start = new CountDownLatch(1);
            return start;
        }

        @Override
        public void onUserSpeech(UserSpeech speech) {
            if (speech.speaking()) {
                onsets.incrementAndGet();
            }
            note(speech.speaking() ? "speech start" : "speech end");
        }

        @Override
        public void onUserTranscript(io.parley.session.UserTranscript t) {
            note("transcript " + t);
        }

        void note(String what) {
            if (VERBOSE) {
                log.add(System.nanoTime() + " " + what);
            }
        }

        @Override
        public void onPlayback(PlaybackEvent event) {
            if (event.kind() == PlaybackEvent.Kind.STARTED) {
                start.countDown();
            }
            note("playback " + event.kind());
        }
    }

    private static final class Tally {
        int replies;
        int falseCuts;
        int falsePauses;
        int warmupPauses;
        int falseOnsets;
        int repliesDisturbed;
        int bargeIns;
        int detected;
        int longEnough;
        int detectedLongEnough;
        /** Each user recording's longest stretch of speech without echo, in milliseconds ({@link SpeechSpans}). */
        final Map<String, Long> spans = new LinkedHashMap<>();
        int leadIns;
        final List<Double> pauseLatencies = new ArrayList<>();
        final List<Double> arrivalLatencies = new ArrayList<>();
        /**
         * Onset to pause split by {@link OnsetProbe}: capture to arrival, to voice, to the gate, to
         * the pause; and, in media time, the onset to the end of the gate's first user frame.
         */
        final List<List<Double>> stages = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());

        void print(String phase) {
            if ("echo".equals(phase)) {
                System.out.printf(Locale.ROOT, "replies %d: false barge-ins (reply cut) %d, false pauses %d, echo onsets %d, replies disturbed %d%n",
                        replies, falseCuts, falsePauses, falseOnsets, repliesDisturbed);
                return;
            }
            if (replies > 0) {
                System.out.printf(Locale.ROOT, "warm-up replies %d: false barge-ins (reply cut) %d, false pauses %d, echo onsets %d, replies disturbed %d%n",
                        replies, falseCuts, warmupPauses, falseOnsets, repliesDisturbed);
            }
            pauseLatencies.sort(null);
            arrivalLatencies.sort(null);
            System.out.printf(Locale.ROOT, "barge-ins %d: detected (reply cut, no echo pause first) %d = %.1f %%, "
                            + "echo pauses before the user's recording began %d, stopped by the recording's lead-in "
                            + "before its first word %d (left out of the latency)%n",
                    bargeIns, detected, 100.0 * detected / Math.max(1, bargeIns), falsePauses, leadIns);
            System.out.printf(Locale.ROOT, "  of the %d whose speech lasts at least interruptionMinDuration (%d ms): detected %d = %.1f %%%n",
                    longEnough, MIN_INTERRUPTION_MS, detectedLongEnough, 100.0 * detectedLongEnough / Math.max(1, longEnough));
            if (!pauseLatencies.isEmpty()) {
                System.out.printf(Locale.ROOT, "speech onset -> agent audio paused (n=%d): median %.0f ms, p90 %.0f ms, max %.0f ms%n",
                        pauseLatencies.size(), pct(pauseLatencies, 0.5), pct(pauseLatencies, 0.9), pauseLatencies.get(pauseLatencies.size() - 1));
            }
            if (!arrivalLatencies.isEmpty()) {
                System.out.printf(Locale.ROOT, "arrival of the onset's frame -> agent audio paused (n=%d): median %.0f ms, p90 %.0f ms, max %.0f ms%n",
                        arrivalLatencies.size(), pct(arrivalLatencies, 0.5), pct(arrivalLatencies, 0.9),
                        arrivalLatencies.get(arrivalLatencies.size() - 1));
            }
            String[] names = {"capture -> arrival of the onset's frame", "-> detector's first voiced frame",
                "-> first user frame (canceller, then gate: speech onset)", "-> agent audio paused",
                "(media time: onset -> end of the gate's first user frame)"};
            for (int k = 0; k < names.length; k++) {
                List<Double> st = stages.get(k);
                if (!st.isEmpty()) {
                    st.sort(null);
                    System.out.printf(Locale.ROOT, "  %-58s (n=%d): median %.0f ms, p90 %.0f ms, max %.0f ms%n",
                            names[k], st.size(), pct(st, 0.5), pct(st, 0.9), st.get(st.size() - 1));
                }
            }
        }

        private static double pct(List<Double> sorted, double q) {
            int i = (int) Math.ceil(q * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
        }
    }
}
