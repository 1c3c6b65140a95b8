package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionState;
import io.parley.session.VoiceSession;
import io.parley.testing.Violation.Invariant;
import io.parley.turn.AdaptiveTurnDetector;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One randomized session of a chaos run: its plan (what the user says and when, which API
 * calls come when ({@link ChaosCalls}), which faults its fakes inject), the audio it is fed,
 * and the checks made once input stops and once it is stopped.
 */
final class ChaosSession {

    private static final AudioFormat FORMAT = SpokenInput.FORMAT;

    final int index;
    final SessionProbe probe;
    private final ChaosHarness.Plan plan;
    private final Random random;
    private final ScheduledExecutorService actors;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final TrackedFutures futures;
    private final long inputNanos;
    private final SpokenInput input;
    private final boolean hostAudio;
    private final int frameSamples;
    /**
     * Samples to feed: the input, then {@link #TRAILING_AUDIO_NANOS} of silence (more after a peer
     * comes back); or, for a session whose input stops mid-word, up to the middle of its last words.
     */
    private volatile long audioEndSamples;
    private final Duration inputStallTimeout;
    private ChaosTransport transport;
    private VoiceSession session;
    private volatile long feedStartNanos = -1;
    private volatile boolean feeding;
    private long delivered;
    /** Samples in the host's next chunk (a host session), drawn when the chunk before it went; 0 before the first. */
    private int chunk;
    /**
     * When, on the session clock, the feeder next has something to do for this session: the next
     * chunk or frame is complete, a held-back stretch is released or the peer comes back. Until
     * then a visit costs one comparison. Feeder only.
     */
    private long nextDueNanos;
    /** When the feeder last drew whether a stall or a disconnect starts: the draws cover the time since. */
    private long lastDrawNanos;
    /** Samples delivered, as seen by other threads than the feeder. */
    private volatile long deliveredSoFar;
    /** How many times the feeder has come round to this session; written by the feeder only. */
    private volatile long feedVisits;
    /**
     * How late, at worst, a chunk or frame of this session's audio was delivered after it was
     * complete (and after a stall fault released it), in session time: how far the feeder fell behind.
     */
    private volatile long worstFeedGapNanos;
    private long reconnectAtNanos = -1;
    /** Until when the feeder holds this session's audio back (a stall fault). */
    private long heldUntilNanos;
    private long stopReturnedNanos = -1;
    /** The public API calls made on the session while its input goes on. */
    private final ChaosCalls calls;

    ChaosSession(int index, ChaosHarness.Plan plan, ScheduledExecutorService actors) {
        this.index = index;
        this.plan = plan;
        this.actors = actors;
        this.random = new Random(mix(plan.seed() + index * 0x9E3779B97F4A7C15L));
        this.probe = new SessionProbe(index, String.format("chaos-%x-%d", plan.seed(), index), plan.clock());
        this.futures = new TrackedFutures(probe, plan.clock());
        this.calls = new ChaosCalls(probe, futures, random, actors, this::later);
        long min = plan.minLength().toNanos();
        this.inputNanos = min + (long) (random.nextDouble() * (plan.maxLength().toNanos() - min));
        this.input = new SpokenInput(random, inputNanos);
        this.hostAudio = random.nextDouble() < 0.4;
        int[] frameMillis = {10, 20, 20, 20, 40, 60};
        this.frameSamples = FORMAT.samplesFor(frameMillis[random.nextInt(frameMillis.length)]);
        // Drawn apart from the plan's stream, so that adding them left every session's plan as it was.
        Random extra = new Random(mix(plan.seed() ^ index * 0xC2B2AE3D27D4EB4FL));
        double stall = extra.nextDouble();
        this.inputStallTimeout = stall < 0.15 ? Duration.ZERO : stall < 0.3 ? Duration.ofSeconds(3) : Duration.ofSeconds(1);
        // Input that stops mid-word (push-to-talk released, a host whose microphone closed), where
        // the host did not turn off the session's bound on audio that stops mid-speech.
        long cut = !inputStallTimeout.isZero() && extra.nextDouble() < 0.1 ? input.midLastSpeech() : -1;
        this.audioEndSamples = cut > 0 ? cut : FORMAT.samplesForNanos(inputNanos + TRAILING_AUDIO_NANOS);
    }

    /** A 64-bit finalizer, so that neighbouring session indexes get unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** Builds and runs the session; completes when it has been stopped and checked. */
    CompletableFuture<Void> run() {
        actors.execute(() -> {
            try {
                build();
            } catch (Throwable t) {
                probe.violation(Invariant.UNTYPED_ERROR, "building the session failed: " + t);
                done.complete(null);
                return;
            }
            long start = plan.clock().nanoTime();
            lastDrawNanos = start;
            nextDueNanos = start;
            feedStartNanos = start;
            feeding = true;
            later(0, calls::first);
            calls.schedule(plan.settings().apiCallsPerMinute(), inputNanos);
            later(inputNanos, this::settle);
        });
        return done;
    }

    private void build() {
        ChaosSettings s = plan.settings();
        probe.words.checks(plan.checkWords());
        boolean vad = random.nextDouble() < 0.85;
        probe.words.vadDriven(vad);
        Duration endpointing = !vad || random.nextDouble() < 0.3 ? Duration.ofMillis(300 + random.nextInt(500)) : null;
        boolean deadPrimary = random.nextDouble() < 0.1;
        ChaosStt stt = new ChaosStt(probe, "chaos-stt", s, new Random(random.nextLong()), deadPrimary, endpointing);
        VoiceSession.Builder b = VoiceSession.builder()
                .clock(probe.sessionClock)
                .streamingAgent(new ChaosAgent(probe, s, new Random(random.nextLong())))
                .listener(probe);
        if (deadPrimary || random.nextDouble() < 0.2) {
            b.stt(stt, new ChaosStt(probe, "chaos-stt-fallback", s, new Random(random.nextLong()), false, endpointing));
        } else {
            b.stt(stt);
        }
        ChaosTts tts = new ChaosTts(probe, "chaos-tts", s, new Random(random.nextLong()));
        if (random.nextDouble() < 0.2) {
            b.tts(tts, new ChaosTts(probe, "chaos-tts-fallback", s, new Random(random.nextLong())));
        } else {
            b.tts(tts);
        }
        if (vad) {
            b.vad(new TracedVad(new FakeVad(ChaosStt.LOUD_RMS, Duration.ofMillis(random.nextInt(200)), 4), probe));
        }
        if (random.nextDouble() < 0.3) {
            b.turnDetector(new AdaptiveTurnDetector());
        }
        if (hostAudio) {
            b.inputFormat(FORMAT).outputFormat(FORMAT);
        } else {
            transport = new ChaosTransport(probe, s, new Random(random.nextLong()), FORMAT, random.nextBoolean());
            b.transport(transport);
        }
        boolean interruptions = random.nextDouble() < 0.85;
        probe.words.interruptions(interruptions);
        SessionConfig.Builder c = SessionConfig.builder()
                .sessionId(probe.sessionId)
                .interruptions(interruptions)
                .preemptiveGeneration(random.nextBoolean())
                .speakTextReplies(random.nextDouble() < 0.8);
        Duration finalTimeout = Duration.ofMillis(800 + random.nextInt(1700));
        probe.words.finalTimeout(finalTimeout);
        c.sttFinalTimeout(finalTimeout).disconnectGrace(Duration.ofMillis(1000 + random.nextInt(9000)));
        if (random.nextDouble() < 0.1) {
            c.timeout(Duration.ofSeconds(10 + random.nextInt(20)));
        }
        c.inputStallTimeout(inputStallTimeout);
        b.config(c.build());
        BiConsumer<VoiceSession.Builder, Random> customizer = plan.customizer();
        if (customizer != null) {
            customizer.accept(b, new Random(random.nextLong()));
        }
        probe.observeReplies(h -> {
            String name = "reply(id " + h.id() + ", turn " + h.turnId() + ")";
            futures.track(name + ".playout() [text " + (h.text().isDone() ? "done" : "pending") + " at onReply]", h.playout());
            futures.track(name + ".text()", h.text());
        });
        session = b.build();
        calls.session(session);
    }

    // ------------------------------------------------------------------ steps

    /**
     * Runs a step {@code sessionNanos} from now on an actor thread. The delay is a timer of the
     * sessions' own clock, so a step runs only once the clock's pool has run what the sessions
     * posted to it before the step was due: on a machine that cannot keep up, the harness's
     * time slows down with the sessions' instead of judging them on work still queued.
     */
    private void later(long sessionNanos, Runnable r) {
        plan.clock().schedule(() -> {
            try {
                actors.execute(() -> {
                    try {
                        r.run();
                    } catch (Throwable t) {
                        probe.violation(Invariant.UNTYPED_ERROR, "harness step failed: " + t);
                    }
                });
            } catch (RejectedExecutionException runOver) {
                // the run is over: the harness shut its actors down
            }
        }, sessionNanos, TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ after input stops

    private static final long POLL_NANOS = millis(100);
    /**
     * Audio after the input stops: enough silence for the VAD and the recognizer to hear the
     * end of the last words. The host then stops sending, so a session that takes long to
     * settle costs no audio (a feeder that falls behind would otherwise have ever more to catch up).
     */
    static final long TRAILING_AUDIO_NANOS = millis(1500);
    private static final long QUIET_NANOS = millis(1000);
    /** Audio delivered this long (session time) after it was complete goes into the trace. */
    private static final long LATE_AUDIO_NANOS = millis(200);
    /** Wall time without a visit from the feeder after which it counts as stuck. */
    private static final long FEEDER_STUCK_WALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    private void settle() {
        calls.inputStopped();
        awaitInput(plan.clock().nanoTime() + plan.settleBound().toNanos(), deliveredSoFar, feedVisits, System.nanoTime());
    }

    /**
     * The settle bound counts from when the session has heard all its input: on a loaded
     * machine the feeder may deliver audio late, and the end of the user's last words (the
     * silence after them) must have reached the session before it can be expected to settle.
     * The wait gives up when the feeder makes no progress with this session for the settle
     * bound of session time AND has come round to it at least twice meanwhile: a feeder that
     * cannot keep up (a starved machine) comes round seldom, each time with a large backlog,
     * and a session-time bound alone would judge the session before its audio came. A feeder
     * that does not come round for {@link #FEEDER_STUCK_WALL_NANOS} of wall time is stuck,
     * and the session is judged on what it heard.
     */
    private void awaitInput(long giveUpNanos, long deliveredBefore, long visitsBefore, long wallBefore) {
        long heard = deliveredSoFar;
        long visits = feedVisits;
        long now = plan.clock().nanoTime();
        long wall = System.nanoTime();
        boolean progress = heard > deliveredBefore;
        long giveUp = progress ? now + plan.settleBound().toNanos() : giveUpNanos;
        long visitsMark = progress ? visits : visitsBefore;
        long wallMark = progress ? wall : wallBefore;
        boolean stalled = (now >= giveUp && visits - visitsMark >= 2) || wall - wallMark >= FEEDER_STUCK_WALL_NANOS;
        // A transport session is fed whole frames, so the last part-frame never comes.
        if (feeding && audioEndSamples - heard >= frameSamples && !stalled) {
            later(POLL_NANOS, () -> awaitInput(giveUp, heard, visitsMark, wallMark));
            return;
        }
        pollSettled(plan.settleBound().toNanos() / POLL_NANOS, -1);
    }

    /**
     * Polls until the session is calm for {@link #QUIET_NANOS}, at most {@code pollsLeft} more
     * times. The bound counts polls, not clock time: a poll is a timer of the sessions' clock, so
     * while the process gets no CPU (a starved machine, a long GC pause) the sessions' time keeps
     * running but the bound does not.
     */
    private void pollSettled(long pollsLeft, long quietSince) {
        long now = plan.clock().nanoTime();
        SessionState st = session.state();
        // A start() still under way would start the session again after the final stop().
        // The user stopped: a session that still hears them speaking keeps their words unanswered.
        int answered = probe.answeredMark();
        boolean calm = settled(st) && !probe.startInFlight() && !probe.userSpeaking()
                && answered >= 0 && futures.unfinished().isEmpty();
        long since = calm ? (quietSince < 0 ? now : quietSince) : -1;
        if (calm && now - since >= QUIET_NANOS) {
            probe.checkTurns(inputStatus(), answered);
            probe.checkWords(inputStatus());
            finalStop();
            return;
        }
        if (pollsLeft <= 0) {
            if (!settled(st)) {
                probe.violation(Invariant.NOT_SETTLED, "still " + st + " " + plan.settleBound() + " after input stopped "
                        + probe.recentEvents() + " " + probe.notes());
            } else if (probe.userSpeaking()) {
                probe.violation(Invariant.NOT_SETTLED, "the user still speaking " + plan.settleBound() + " after input stopped "
                        + "(inputStallTimeout " + inputStallTimeout + ") " + probe.recentEvents() + " " + probe.notes() + " " + inputStatus());
            }
            if (!futures.unfinished().isEmpty()) {
                probe.violation(Invariant.HUNG, "futures still incomplete " + plan.settleBound() + " after input stopped: "
                        + futures.unfinished() + " " + probe.notes());
            }
            probe.checkTurns(inputStatus());
            probe.checkWords(inputStatus());
            finalStop();
            return;
        }
        later(POLL_NANOS, () -> pollSettled(pollsLeft - 1, since));
    }

    /**
     * How far the session has heard its input, for violation details: a session judged before
     * the end of the user's last words reached it (a feeder far behind) cannot have ended that turn.
     */
    private String inputStatus() {
        long heard = deliveredSoFar;
        boolean midSpeech = input.speakingAt(heard);
        return String.format("[input: audio delivered up to %.2fs of %.2fs%s; checked at %.2fs in state %s]",
                (feedStartNanos + FORMAT.nanosFor(heard)) / 1e9 % 10_000,
                (feedStartNanos + FORMAT.nanosFor(audioEndSamples)) / 1e9 % 10_000,
                midSpeech ? ", the user still speaking there" : "",
                plan.clock().nanoTime() / 1e9 % 10_000, session.state());
    }

    /** Listening (AWAY is listening to a silent user), ended, or never started (every start failed). */
    private static boolean settled(SessionState st) {
        return st == SessionState.LISTENING || st == SessionState.AWAY || st == SessionState.ENDED || st == SessionState.INITIAL;
    }

    /**
     * Stops the session for good. How long {@code stop()} may take is counted in polls, as the
     * wait to settle is ({@link PolledBound}); a stop that overruns them is reported with what it
     * was waiting for: the session's state (still running: its loop had not yet run the stop),
     * its work handed to the clock's pools and not yet run, and the stopping thread's frames.
     */
    private void finalStop() {
        feeding = false;
        CompletableFuture<Void> returned = new CompletableFuture<>();
        Thread stopper = Thread.currentThread();
        long calledNanos = plan.clock().nanoTime();
        long calledWall = System.nanoTime();
        new PolledBound(this::later, POLL_NANOS, plan.settleBound().toNanos() / POLL_NANOS).watch(returned, () -> {
            probe.violation(Invariant.HUNG, String.format("stop() did not return within %d polls of %d ms (%s had the clock's "
                            + "pool kept up; %.1f s of session time, %d ms of wall time since the call): state %s, %s, %s",
                    plan.settleBound().toNanos() / POLL_NANOS, POLL_NANOS / 1_000_000, plan.settleBound(),
                    (plan.clock().nanoTime() - calledNanos) / 1e9, (System.nanoTime() - calledWall) / 1_000_000,
                    session.state(), probe.sessionClock.activity(), frames(stopper)));
            finish();
        });
        probe.excuseOutstanding("final stop()");
        calls.api("stop", session::stop);
        probe.finalStopReturned();
        stopReturnedNanos = plan.clock().nanoTime();
        returned.complete(null);
        int callbacksAtStop = probe.callbacks();
        later(plan.postStopWindow().toNanos(), () -> checkStopped(callbacksAtStop));
    }

    /** A thread's name, state and innermost frames. */
    private static String frames(Thread t) {
        StringBuilder sb = new StringBuilder(t.getName()).append(' ').append(t.getState());
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(12, st.length); i++) {
            sb.append(" | at ").append(st[i]);
        }
        return sb.toString();
    }

    private void checkStopped(int callbacksAtStop) {
        SessionState st = session.state();
        if (st != SessionState.ENDED) {
            probe.violation(Invariant.NOT_SETTLED, "state is " + st + " " + plan.postStopWindow() + " after stop() returned");
        }
        List<String> left = probe.resourcesLeft();
        if (!left.isEmpty()) {
            probe.violation(Invariant.RESOURCE_LEFT, "still open " + plan.postStopWindow() + " after stop(): " + left);
        }
        List<String> timers = probe.sessionClock.pendingTimers();
        if (!timers.isEmpty()) {
            probe.violation(Invariant.RESOURCE_LEFT, timers.size() + " timers still scheduled " + plan.postStopWindow()
                    + " after stop(): " + timers.subList(0, Math.min(3, timers.size())));
        }
        List<String> open = futures.unfinished();
        if (!open.isEmpty()) {
            probe.violation(Invariant.HUNG, "futures still incomplete " + plan.postStopWindow() + " after stop(): " + open);
        }
        finish();
    }

    private void finish() {
        done.complete(null);
    }

    /** How long this session's scripted input (speech, pauses and API calls) lasts, session time. */
    long inputNanos() {
        return inputNanos;
    }

    /** Session time from the first start() to the final stop() returning, or to now. */
    long sessionNanos() {
        long start = feedStartNanos;
        if (start < 0) {
            return 0;
        }
        long end = stopReturnedNanos > 0 ? stopReturnedNanos : plan.clock().nanoTime();
        return end - start;
    }

    // ------------------------------------------------------------------ audio

    /**
     * Delivers the audio due by now; called by one feeder thread only. The host hands over each
     * chunk, and the transport each frame, once it is complete, as a capture device would: the
     * sizes the plan drew, whatever the feeder's tick. A session with nothing due costs a
     * comparison.
     *
     * @param roundNanos the session clock when the feeder began this round
     */
    void feed(long roundNanos) {
        if (!feeding) {
            return;
        }
        feedVisits = feedVisits + 1;
        if (roundNanos < nextDueNanos) {
            return;
        }
        long now = plan.clock().nanoTime();
        long elapsed = now - feedStartNanos;
        if (audioHeld(now, elapsed)) {
            nextDueNanos = heldUntilNanos;
            return;
        }
        if (transport != null) {
            peerChaos(now, elapsed);
        }
        lastDrawNanos = now;
        long available = Math.min(FORMAT.samplesForNanos(elapsed), audioEndSamples) - delivered;
        boolean running = transport != null || running(session.state());
        boolean first = true;
        while (true) {
            if (chunk == 0) {
                chunk = transport != null ? frameSamples : chunkSize();
            }
            // A transport session is fed whole frames, so the last part-frame never comes; a
            // host's last chunk is what is left of the input.
            long n = transport != null ? chunk : Math.min(chunk, audioEndSamples - delivered);
            if (n <= 0 || n > available) {
                break;
            }
            long late = now - Math.max(feedStartNanos + FORMAT.nanosFor(delivered + n), heldUntilNanos);
            if (late > worstFeedGapNanos) {
                worstFeedGapNanos = late;
            }
            if (first && late > LATE_AUDIO_NANOS) {
                probe.lateAudio(late, feedStartNanos + FORMAT.nanosFor(delivered + available));
            }
            first = false;
            AudioFrame f = fill((int) n);
            available -= n;
            chunk = 0;
            if (transport != null) {
                transport.deliver(f);
            } else if (running) {
                hostCall(f);
            }
        }
        deliveredSoFar = delivered;
        nextDue();
    }

    private static boolean running(SessionState st) {
        return st != SessionState.INITIAL && st != SessionState.ENDED;
    }

    /**
     * When the next chunk or frame is complete, or the peer comes back, whichever is first. (A
     * peer that comes back may extend the audio; a stall or a disconnect is drawn at each visit
     * for the time since the last, so visits only when audio is due keep their rates.)
     */
    private void nextDue() {
        long rest = transport != null ? chunk : Math.min(chunk, audioEndSamples - delivered);
        boolean more = rest > 0 && delivered + rest <= audioEndSamples;
        long due = more ? feedStartNanos + FORMAT.nanosFor(delivered + rest) : Long.MAX_VALUE;
        if (reconnectAtNanos >= 0) {
            due = Math.min(due, reconnectAtNanos);
        }
        nextDueNanos = due;
    }

    /**
     * Whether this session's audio is held back now (a stall fault): it then comes late, all at
     * once. A stall starts only while input goes on, but may outlast it.
     */
    private boolean audioHeld(long now, long elapsed) {
        if (now < heldUntilNanos) {
            return true;
        }
        if (elapsed < inputNanos
                && random.nextDouble() < ChaosSettings.chance(plan.settings().audioStallsPerMinute(), now - lastDrawNanos)) {
            long hold = millis(200 + random.nextInt(19_800));
            heldUntilNanos = now + hold;
            // As before the stall: no stall or disconnect starts while the audio is held.
            lastDrawNanos = heldUntilNanos;
            probe.note(String.format("audio held back for %d ms%s", hold / 1_000_000,
                    input.speakingAt(delivered) ? ", the user speaking" : ""));
            return true;
        }
        return false;
    }

    /** How late, at worst, this session's audio was delivered after it was complete, in session time. */
    long worstFeedGapNanos() {
        return worstFeedGapNanos;
    }

    private int chunkSize() {
        double r = random.nextDouble();
        if (r < 0.05) {
            return 1 + random.nextInt(40);
        }
        if (r < 0.9) {
            return 160 + random.nextInt(800);
        }
        return 960 + random.nextInt(3040);
    }

    private void hostCall(AudioFrame f) {
        try {
            if (random.nextInt(4) != 0) {
                session.processAudio(f);
            } else {
                byte[] pcm = new byte[f.length() * 2];
                f.writePcm16le(pcm, 0);
                session.processAudio(pcm);
            }
        } catch (SessionException expected) {
            // SESSION_NOT_ACTIVE when a stop raced this frame
        } catch (Throwable t) {
            probe.violationOnce(Invariant.UNTYPED_ERROR, "processAudio() threw " + t);
        }
    }

    private void peerChaos(long now, long elapsed) {
        if (reconnectAtNanos >= 0) {
            if (now >= reconnectAtNanos) {
                reconnectAtNanos = -1;
                transport.peer(true);
                // A peer that comes back sends audio again, if only silence: at least the trailing
                // silence, even if the input ended (dropped) while it was away.
                audioEndSamples = Math.max(audioEndSamples, delivered + FORMAT.samplesForNanos(TRAILING_AUDIO_NANOS));
            }
        } else if (elapsed < inputNanos && transport.started()
                && random.nextDouble() < ChaosSettings.chance(plan.settings().disconnectsPerMinute(), now - lastDrawNanos)) {
            transport.peer(false);
            reconnectAtNanos = now + millis(300 + random.nextInt(14_000));
        }
    }

    /** The next {@code n} samples of the user's audio, timestamped as captured. */
    private AudioFrame fill(int n) {
        long first = delivered;
        delivered += n;
        return input.fill(first, n, feedStartNanos + FORMAT.nanosFor(first));
    }
}
