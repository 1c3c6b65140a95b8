package io.parley.bench.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.TurnCommit;
import io.parley.session.VoiceSession;
import io.parley.time.Clock;
import io.parley.turn.AdaptiveTurnDetector;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs N sessions at real-time pace on the production clock through the real default
 * pipeline and reports how late frames were, whether any were lost, what each session costs
 * in CPU and heap, and the framework's per-turn overhead.
 *
 * <p>Each simulated caller speaks for 1.5 s every 6 s (phases spread over the cycle) with a
 * real human recording (pocketsphinx-testdata, Librivox), so {@link DspVad} and the
 * {@link AdaptiveTurnDetector} see speech, pauses and noise as in a call. The recognizer
 * ({@link LoadStt}) consumes every frame and answers on a realistic delay; the synthesizer
 * ({@link LoadTts}) streams its reply over time. With {@code --instant} both answer at once,
 * so end-of-turn to first frame is the framework's own time.
 *
 * <p>Frames are fed by a few {@link LoadDriver} pacing threads (one per core unless
 * {@code --drivers N}), as transport threads would; the inbound path (VAD, prefix ring,
 * recognizer hand-off) runs on them, as it runs on a transport's thread in production.
 *
 * <ul>
 *   <li>inbound lateness: from the moment the driver handed the frame to the session to the
 *       moment the session returned from it (the engine's part); how far the driver itself was
 *       behind its schedule is reported beside it, and so is the total from the frame's due
 *       time (see {@link LoadDriver});</li>
 *   <li>outbound lateness: for each agent frame, how long after the transport's queue ran dry
 *       it arrived (0 when the pacer kept ahead of playout);</li>
 *   <li>lost: inbound frames the session rejected, plus audio of finished (not interrupted)
 *       replies that never reached the transport, once every session is listening again
 *       (the rest of an interrupted reply is discarded on purpose); callers whose reply is still
 *       in flight after the settle limit are reported apart ({@link ReplyAudio});</li>
 *   <li>replies interrupted: in the measured window, as the turns are; the whole run's count,
 *       with the warm-up's (where the JIT and the start stall the drivers) and the stop's, is
 *       printed apart;</li>
 *   <li>end of turn to first frame: from the end-of-turn decision
 *       ({@code TurnCommit.at - transcriptDelay}) to the reply's first frame handed to the
 *       transport, for the turns of the measured window only (stopping the drivers ends every
 *       speaking caller's turn at once, which is no conversation's load), split into the agent's
 *       call, the synthesizer's open, both results back on the session's loop (the synthesizer's
 *       flush) and the first frame, with the threads of the slowest turns;</li>
 *   <li>CPU: process CPU time split by thread (drivers, event loops, pacers, blocking pool,
 *       the JVM's own); the drivers' own work (filling frames, recording) is subtracted
 *       before CPU per session is computed. That figure includes the fake providers' small
 *       work (the recognizer's energy sum, the synthesizer's timers), as real sessions include
 *       their providers' clients. Beside it, on Linux, the whole machine's busy CPU and how
 *       much of it other processes and the hypervisor took: the drivers never skip a frame, so
 *       when the inbound path needs most of the cores, any CPU taken from them shows as
 *       lateness that grows until they catch up.</li>
 *   <li>the clock's threads behind ({@link LoopLag}): how late one-shot timers fire, repeating
 *       (pacer) runs start and tasks handed to the event loops start, what the sessions' own
 *       timers and loop tasks wait too;</li>
 *   <li>stalls: the slots the drivers woke late for, grouped into episodes, with the
 *       collector pauses that began them, if any ({@link LateSlots}): a tail that comes from
 *       collections, from the process not getting the cores, or from a driver too slow for
 *       its share of the sessions looks different there.</li>
 * </ul>
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.session.LoadHarness -Dbench.args="2000 30 10"}
 * (arguments: sessions, measured seconds, warm-up seconds, optional {@code --instant},
 * optional {@code --drivers N}, optional {@code --driver-priority P}: the drivers' Java thread priority, which the OS sees only
 * with {@code -XX:ThreadPriorityPolicy=1} (the harness prints the nice value each kind of thread
 * ran at); optional {@code --ab-priority D:C}: alternate the priorities within the window
 * ({@link PriorityPhases}); optional {@code --jit-quiet}: after the warm-up, wait until the JIT has
 * compiled nothing for a few seconds, so the window measures a server past its start; optional
 * {@code --no-prosody}: the detector with {@code prosodyWeight(0)}, which spares the pitch
 * tracking, to show its cost).
 */
public final class LoadHarness {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    static final int FRAME = FORMAT.samplesFor(20);
    private static final long CYCLE_MS = 6000;
    private static final long SPEECH_MS = 1500;
    private static final Path SPEECH = Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        boolean instant = a.remove("--instant");
        boolean jitQuiet = a.remove("--jit-quiet");
        boolean prosody = !a.remove("--no-prosody");
        int drivers = Runtime.getRuntime().availableProcessors();
        int d = a.indexOf("--drivers");
        if (d >= 0) {
            drivers = Integer.parseInt(a.remove(d + 1));
            a.remove(d);
        }
        String ab = null;
        int abAt = a.indexOf("--ab-priority");
        if (abAt >= 0) {
            ab = a.remove(abAt + 1);
            a.remove(abAt);
        }
        int driverPriority = Thread.NORM_PRIORITY;
        int dp = a.indexOf("--driver-priority");
        if (dp >= 0) {
            driverPriority = Integer.parseInt(a.remove(dp + 1));
            a.remove(dp);
        }
        int sessions = a.size() > 0 ? Integer.parseInt(a.get(0)) : 2000;
        int seconds = a.size() > 1 ? Integer.parseInt(a.get(1)) : 60;
        int warmup = a.size() > 2 ? Integer.parseInt(a.get(2)) : 12;
        Clock clock = Clock.system();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        short[] speech = speech();
        short[] noise = noise();
        // Offset between the session clock's Instant and its nanoTime, to place TurnCommit.at.
        long instantOffset = clock.nanoTime() - toNanos(clock.now());
        Recorder outbound = new Recorder();
        Recorder overhead = new Recorder();
        Recorder[] stages = new Recorder[6];
        Arrays.setAll(stages, i -> new Recorder());
        SlowTurns slow = new SlowTurns(1_000_000L);

        gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            LoadTransport transport = new LoadTransport(clock, outbound, overhead, stages, slow);
            callers.add(new Caller(i, sessions, clock, speech, noise, instant, prosody, instantOffset, transport));
        }
        for (Caller c : callers) {
            c.session.start();
        }
        System.out.printf("started %d sessions (%s providers%s), %d drivers%n", sessions, instant ? "instant" : "realistic", prosody ? "" : ", no prosody", drivers);
        List<LoadDriver> pacing = new ArrayList<>();
        long origin = clock.nanoTime() + 20_000_000L;
        for (int k = 0; k < drivers; k++) {
            List<Caller> mine = new ArrayList<>();
            for (int i = k; i < callers.size(); i += drivers) {
                mine.add(callers.get(i));
            }
            pacing.add(new LoadDriver("load-driver-" + k, mine, origin, driverPriority));
        }
        pacing.forEach(LoadDriver::start);
        PriorityPhases phases = ab == null ? null : new PriorityPhases(pacing, ab);
        Hiccups hiccups = new Hiccups();
        hiccups.start();
        // One repeating probe per pacer lane of the system clock (as many lanes as loop threads).
        LoopLag loopLag = new LoopLag(clock, Math.max(2, Runtime.getRuntime().availableProcessors()));
        loopLag.start();
        if (phases != null) {
            pacing.forEach(p -> p.phases(phases::phase));
            loopLag.phases(phases::phase);
        }
        LateSlots.Pauses pauses = new LateSlots.Pauses();
        pauses.start();

        // No System.gc() here: its pause would put the drivers behind at the start of the
        // measured window; the sessions' heap is measured after it instead.
        progress(pacing, warmup * 1000L);
        long jitWait = jitQuiet ? awaitQuietJit() : 0;
        for (LoadDriver p : pacing) {
            p.startWindow();
        }
        while (!pacing.stream().allMatch(LoadDriver::windowStarted)) {
            Thread.sleep(1);
        }
        long skipped = pacing.stream().mapToLong(LoadDriver::skippedFrames).sum();
        hiccups.reset();
        loopLag.reset();
        outbound.reset();
        overhead.reset();
        for (Recorder r : stages) {
            r.reset();
        }
        slow.reset();
        long turnsBefore = callers.stream().mapToLong(c -> c.turns.get()).sum();
        long interruptedBefore = callers.stream().mapToLong(c -> c.interrupted.get()).sum();
        ThreadCpu cpu = new ThreadCpu(pacing);
        long[] harness0 = pacing.stream().mapToLong(LoadDriver::harnessNanos).toArray();
        long[] session0 = pacing.stream().mapToLong(LoadDriver::sessionNanos).toArray();
        long frames0 = pacing.stream().mapToLong(LoadDriver::frames).sum();
        long windowStart = System.nanoTime();
        long edenAtStart = LateSlots.Pauses.edenUsed();
        // A marker for profilers attached from outside (perf, async-profiler): the window starts now.
        System.out.printf("window started at JVM uptime %.3f s, %d s long%n",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0, seconds);

        if (phases == null) {
            progress(pacing, seconds * 1000L);
        } else {
            phases.run(seconds * 1000L);
        }
        long windowEnd = System.nanoTime();
        long edenAtEnd = LateSlots.Pauses.edenUsed();

        cpu.end();
        // Read while every kind of thread is still alive (the blocking pool's idle threads end after a minute).
        String nice = ThreadNice.describe();
        if (phases != null) {
            phases.end();
        }
        // The window's figures, before the collections and the stop below (which ends every
        // speaking caller's turn at once on the input-stall timeout) add turns of their own.
        Recorder outboundInWindow = frozen(outbound);
        Recorder overheadInWindow = frozen(overhead);
        Recorder[] stagesInWindow = new Recorder[stages.length];
        for (int i = 0; i < stages.length; i++) {
            stagesInWindow[i] = frozen(stages[i]);
        }
        slow.freeze();
        long turns = callers.stream().mapToLong(c -> c.turns.get()).sum() - turnsBefore;
        // Like the turns, the window's own: the warm-up (the JIT, the drivers far behind at the
        // start) and the stop interrupt replies of their own.
        long interruptedInWindow = callers.stream().mapToLong(c -> c.interrupted.get()).sum() - interruptedBefore;
        long frames = pacing.stream().mapToLong(LoadDriver::frames).sum() - frames0;
        double harnessWall = 0;
        double sessionWall = 0;
        for (int k = 0; k < pacing.size(); k++) {
            harnessWall += pacing.get(k).harnessNanos() - harness0[k];
            sessionWall += pacing.get(k).sessionNanos() - session0[k];
        }
        // The window's lateness, before the collection below pauses the drivers.
        Recorder inbound = new Recorder();
        Recorder driverLate = new Recorder();
        Recorder wakeLate = new Recorder();
        Recorder total = new Recorder();
        for (LoadDriver p : pacing) {
            inbound.addAll(p.engineLateness());
            driverLate.addAll(p.driverLateness());
            wakeLate.addAll(p.wakeLateness());
            total.addAll(p.lateness());
        }
        Recorder stalls = new Recorder();
        stalls.addAll(hiccups.stalls());
        hiccups.stop();
        Recorder timerLate = frozen(loopLag.timers());
        Recorder tickLate = frozen(loopLag.ticks());
        Recorder handOffLate = frozen(loopLag.handOffs());
        loopLag.stop();
        // Heap of every session under load, some of them speaking.
        gc();
        long heapAfter = memory.getHeapMemoryUsage().getUsed();
        for (LoadDriver p : pacing) {
            p.stop();
        }
        // Let every reply in flight play out before counting lost audio.
        long settle = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < settle && !callers.stream().allMatch(Caller::settled)) {
            Thread.sleep(100);
        }
        Thread.sleep(500);

        ReplyAudio replyAudio = new ReplyAudio();
        long rejected = 0;
        long errors = 0;
        long interrupted = 0;
        for (Caller c : callers) {
            interrupted += c.interrupted.get();
            replyAudio.add(c.settled(), c.finished.get(), c.transport.received.get(), c.transport.cleared.get());
            rejected += c.rejected.get();
            errors += c.errors.get();
            c.session.stop();
        }
        long lostSamples = replyAudio.lostSamples();
        // The drivers' own share of their CPU, in proportion to the wall time they spent outside the sessions.
        double harnessCpu = cpu.drivers * harnessWall / Math.max(1, harnessWall + sessionWall);
        double sessionCpu = cpu.process - harnessCpu;
        double wall = cpu.wallNanos;
        double perSessionCores = sessionCpu / wall / sessions;
        double perFrameMicros = sessionCpu / Math.max(1, frames) / 1000;
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.out.printf("%n| sessions | providers | seconds | turns | inbound lateness p50/p99 ms | outbound lateness p50/p99 ms | end of turn → first frame p50/p99/max ms | frames lost | replies interrupted | errors | CPU cores (process) | CPU/session | engine µs per session per 20 ms | heap/session | load avg (1 min) |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
        System.out.printf("| %d | %s | %d | %d | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f / %.2f | %d | %d | %d | %.2f | %.3f %% of a core | %.1f | %.0f KB | %.1f |%n",
                sessions, instant ? "instant" : "realistic", seconds, turns, inbound.percentile(50), inbound.percentile(99),
                outboundInWindow.percentile(50), outboundInWindow.percentile(99), overheadInWindow.percentile(50), overheadInWindow.percentile(99), overheadInWindow.max(),
                rejected + lostSamples / FRAME, interruptedInWindow, errors, cpu.process / wall,
                100 * perSessionCores, perFrameMicros, (heapAfter - heapBefore) / 1024.0 / sessions, load);
        System.out.printf("%nFrames lost: %d rejected inbound, %d of finished replies' audio that never reached the transport; "
                        + "not counted: %d callers still had a reply in flight after the 10 s settle, holding %d frames beyond their finished replies%n",
                rejected, lostSamples / FRAME, replyAudio.unsettled(), replyAudio.inFlightSamples() / FRAME);
        System.out.printf("Replies interrupted: %d in the window, %d in the whole run (the warm-up and the stop too)%n",
                interruptedInWindow, interrupted);
        System.out.printf("%nWindow started with the drivers %d frames behind from the warm-up; those were skipped, not sent late.%n", skipped);
        if (jitQuiet) {
            System.out.printf("Window started %.1f s after the warm-up, once the JIT had compiled nothing for %d s.%n", jitWait / 1000.0, JIT_QUIET_SECONDS);
        }
        System.out.printf("%nInbound lateness split at the hand-off to the session, p50 / p99 / p99.9 / max ms: engine (hand-off → return) "
                        + "%.2f / %.2f / %.2f / %.2f; driver behind its schedule (due → hand-off) %.2f / %.2f / %.2f / %.2f, "
                        + "of which waking late for a slot %.2f / %.2f / %.2f / %.2f; total (due → return) %.2f / %.2f / %.2f / %.2f%n",
                inbound.percentile(50), inbound.percentile(99), inbound.percentile(99.9), inbound.percentile(100),
                driverLate.percentile(50), driverLate.percentile(99), driverLate.percentile(99.9), driverLate.percentile(100),
                wakeLate.percentile(50), wakeLate.percentile(99), wakeLate.percentile(99.9), wakeLate.percentile(100),
                total.percentile(50), total.percentile(99), total.percentile(99.9), total.percentile(100));
        System.out.printf("%nThe clock's threads behind, p50 / p99 / p99.9 / max ms: one-shot timers firing late %.2f / %.2f / %.2f / %.2f; "
                        + "repeating (pacer) runs late %.2f / %.2f / %.2f / %.2f; pacer → event loop hand-off to start %.2f / %.2f / %.2f / %.2f%n",
                timerLate.percentile(50), timerLate.percentile(99), timerLate.percentile(99.9), timerLate.percentile(100),
                tickLate.percentile(50), tickLate.percentile(99), tickLate.percentile(99.9), tickLate.percentile(100),
                handOffLate.percentile(50), handOffLate.percentile(99), handOffLate.percentile(99.9), handOffLate.percentile(100));
        if (phases != null) {
            System.out.printf("%nPriority A/B (%s):%n", phases.describe());
            for (int ph = 0; ph < 2; ph++) {
                Recorder late = new Recorder();
                for (LoadDriver p : pacing) {
                    late.addAll(p.latenessInPhase(ph));
                }
                Recorder timersIn = loopLag.timersInPhase(ph);
                System.out.printf("  phase %s: inbound total (due → return) p50 / p99 / p99.9 / max ms %.2f / %.2f / %.2f / %.2f over %d frames; "
                                + "one-shot timers late p50 / p99 / p99.9 / max ms %.2f / %.2f / %.2f / %.2f%n",
                        ph == 0 ? "A" : "B", late.percentile(50), late.percentile(99), late.percentile(99.9), late.percentile(100), late.count(),
                        timersIn.percentile(50), timersIn.percentile(99), timersIn.percentile(99.9), timersIn.percentile(100));
            }
        }
        System.out.printf("%nPlatform stalls (a thread sleeping 1 ms at a time, overslept by), p50 / p99 / p99.9 / max ms: %.2f / %.2f / %.2f / %.2f%n",
                stalls.percentile(50), stalls.percentile(99), stalls.percentile(99.9), stalls.percentile(100));
        System.out.printf("%nCPU by thread, in cores: drivers %.3f (inbound path in the sessions %.3f, the harness's own %.3f), "
                        + "event loops %.3f, pacers %.3f, blocking pool %.3f, other Java threads %.3f, JVM (GC, JIT) %.3f%n",
                cpu.drivers / wall, (cpu.drivers - harnessCpu) / wall, harnessCpu / wall, cpu.loops / wall,
                cpu.pacers / wall, cpu.blocking / wall, cpu.otherJava / wall,
                (cpu.process - cpu.drivers - cpu.loops - cpu.pacers - cpu.blocking - cpu.otherJava) / wall);
        System.out.printf("%nOS priority (nice) of the threads at the window's end: %s; drivers' Java priority %d%n", nice, driverPriority);
        if (!Double.isNaN(cpu.machineCores)) {
            // The kernel counts the machine's busy time by sampling at its ticks, which misses
            // short bursts (a quiet harness's 20 µs wake-ups); the process's own time is exact.
            System.out.printf("%nMachine CPU in the window, in cores of %d: busy %.2f (/proc/stat, tick-sampled, undercounts "
                            + "short bursts); this process %.2f (exact); other processes about %.2f; stolen by the hypervisor %.2f%n",
                    cpu.machineCpus, cpu.machineCores, cpu.process / wall, Math.max(0, cpu.machineCores - cpu.process / wall),
                    cpu.stealCores);
        }
        System.out.printf("%nEnd of turn → first frame, %d turns in the window, by stage, p50/p99 ms: end of turn → agent called "
                        + "%.2f / %.2f, end of turn → synthesizer opened %.2f / %.2f (in parallel), the later of the two → "
                        + "synthesizer flushed (text and stream back on the loop) %.2f / %.2f, flushed → first frame %.2f / %.2f%n",
                overheadInWindow.count(), stagesInWindow[0].percentile(50), stagesInWindow[0].percentile(99), stagesInWindow[1].percentile(50),
                stagesInWindow[1].percentile(99), stagesInWindow[2].percentile(50), stagesInWindow[2].percentile(99), stagesInWindow[3].percentile(50),
                stagesInWindow[3].percentile(99));
        System.out.printf("Of the first stage, p50/p99 ms: end of turn → committed (final transcript in) %.2f / %.2f, "
                        + "committed → the first of the two calls started (a blocking pool thread woken and running) %.2f / %.2f%n",
                stagesInWindow[4].percentile(50), stagesInWindow[4].percentile(99), stagesInWindow[5].percentile(50),
                stagesInWindow[5].percentile(99));
        slow.print(10);
        long allocated = pauses.allocated(windowStart, windowEnd, edenAtStart, edenAtEnd);
        if (allocated >= 0) {
            // Every thread's, the harness's too: its drivers allocate nothing per frame, its fakes per turn what a provider would.
            System.out.printf("%nAllocated in the window (eden, all threads): %.0f MB, %.2f MB/s, %.1f KB per turn (%d turns)%n",
                    allocated / 1e6, allocated / 1e6 / (wall / 1e9), allocated / 1024.0 / Math.max(1, turns), turns);
        }
        pauses.stop();
        LateSlots.print(pacing.stream().map(LoadDriver::lateSlots).toList(), pauses, windowStart, windowEnd, 10, 8);
        System.exit(0);
    }

    /** The callers' speech: a real human recording. */
    static short[] speech() throws java.io.IOException {
        return Wav.read(SPEECH).samples();
    }

    /** The callers' background between their speech: a second of faint noise. */
    static short[] noise() {
        short[] noise = new short[FORMAT.sampleRate()];
        Random rnd = new Random(7);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (rnd.nextGaussian() * 30);
        }
        return noise;
    }

    /** How long the JIT must have compiled nothing before {@code --jit-quiet} starts the window. */
    private static final int JIT_QUIET_SECONDS = 3;
    /** The longest {@code --jit-quiet} waits after the warm-up. */
    private static final int JIT_QUIET_MAX_SECONDS = 60;

    /**
     * Waits (at most {@link #JIT_QUIET_MAX_SECONDS}) until the JIT has compiled nothing for
     * {@link #JIT_QUIET_SECONDS}; returns the milliseconds waited. The turn path runs once per
     * turn, so its largest methods reach the optimising compiler tens of seconds into a run, and
     * each such compilation takes a core for up to half a second: on two cores that starves the
     * drivers, a stall of every session's frames that a long-running server pays once, at start.
     */
    private static long awaitQuietJit() throws InterruptedException {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long end = start + JIT_QUIET_MAX_SECONDS * 1_000_000_000L;
        long quietSince = start;
        long compiled = jit.getTotalCompilationTime();
        while (System.nanoTime() - end < 0 && System.nanoTime() - quietSince < JIT_QUIET_SECONDS * 1_000_000_000L) {
            Thread.sleep(100);
            long now = jit.getTotalCompilationTime();
            if (now != compiled) {
                compiled = now;
                quietSince = System.nanoTime();
            }
        }
        return (System.nanoTime() - start) / 1_000_000L;
    }

    /** Sleeps {@code millis}, printing every 5 s how far behind the furthest driver is. */
    private static void progress(List<LoadDriver> pacing, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        StringBuilder line = new StringBuilder("drivers behind, ms:");
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.min(5000, left / 1_000_000L + 1));
            long behind = pacing.stream().mapToLong(LoadDriver::behindNanos).max().orElse(0);
            line.append(' ').append(behind / 1_000_000L);
        }
        System.out.println(line);
    }

    /** A copy of what {@code r} holds now, which later samples do not change. */
    private static Recorder frozen(Recorder r) {
        Recorder copy = new Recorder();
        copy.addAll(r);
        return copy;
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
    }

    static long toNanos(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** One simulated caller with its session. */
    static final class Caller {
        final VoiceSession session;
        final LoadTransport transport;
        final LoadTts tts;
        final AtomicLong turns = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong interrupted = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        /** Whether the listener was told a reply started and not yet that it ended. */
        volatile boolean inReply;
        /** Which of the {@link LoadDriver#SLOTS} slots of each 20 ms period this caller's frames arrive in. */
        final int slot;
        final long phaseNanos;
        final short[] speech;
        final short[] noise;
        final int speechOffset;
        long sent;

        Caller(int index, int count, Clock clock, short[] speech, short[] noise, boolean instant, boolean prosody, long instantOffset,
               LoadTransport transport) {
            slot = index % LoadDriver.SLOTS;
            phaseNanos = TimeUnit.MILLISECONDS.toNanos(CYCLE_MS) * index / count;
            this.speech = speech;
            this.noise = noise;
            this.speechOffset = (int) ((long) index * 7919 * FRAME % Math.max(1, speech.length - FORMAT.samplesFor(SPEECH_MS)));
            this.transport = transport;
            tts = new LoadTts(clock, instant, transport::ttsOpened, transport::ttsFlushed);
            session = VoiceSession.builder()
                    .clock(clock)
                    .config(SessionConfig.builder().sessionId("load-" + index).build())
                    .transport(transport)
                    .vad(DspVad.defaults())
                    .turnDetector(prosody ? new AdaptiveTurnDetector() : AdaptiveTurnDetector.builder().prosodyWeight(0).build())
                    .stt(new LoadStt(clock, instant))
                    .tts(tts)
                    .agent((ctx, text) -> {
                        transport.agentCalled();
                        turns.incrementAndGet();
                        return "Sure, here is the answer.";
                    })
                    .listener(new SessionListener() {
                        @Override
                        public void onError(SessionException error) {
                            errors.incrementAndGet();
                        }

                        @Override
                        public void onPlayback(PlaybackEvent event) {
                            if (event.kind() == PlaybackEvent.Kind.STARTED) {
                                inReply = true;
                            } else if (event.kind() == PlaybackEvent.Kind.INTERRUPTED) {
                                interrupted.incrementAndGet();
                                inReply = false;
                            } else if (event.kind() == PlaybackEvent.Kind.FINISHED) {
                                finished.incrementAndGet();
                                inReply = false;
                            }
                        }

                        @Override
                        public void onTurnCommitted(TurnCommit turn) {
                            if (!turn.typed() && turn.transcriptDelay() != null) {
                                long committed = toNanos(turn.at()) + instantOffset;
                                transport.turnEnded(committed - turn.transcriptDelay().toNanos(), committed);
                            }
                        }
                    })
                    .build();
        }

        /** Whether no reply is in flight: the session listens and its listener heard the end of the last reply it heard start. */
        boolean settled() {
            return session.state() == SessionState.LISTENING && !inReply;
        }

        /**
         * Fills {@code frame} with the caller's audio due at {@code dueNanos}: speech in its
         * speaking phase, else background noise.
         */
        void fill(AudioFrame frame, long dueNanos) {
            long cycle = TimeUnit.MILLISECONDS.toNanos(CYCLE_MS);
            long t = Math.floorMod(dueNanos + phaseNanos, cycle);
            short[] out = frame.samples();
            if (t < TimeUnit.MILLISECONDS.toNanos(SPEECH_MS)) {
                int from = speechOffset + (int) FORMAT.samplesForNanos(t);
                System.arraycopy(speech, Math.min(from, speech.length - FRAME), out, 0, FRAME);
            } else {
                int from = (int) (sent * FRAME % (noise.length - FRAME));
                System.arraycopy(noise, from, out, 0, FRAME);
            }
            sent++;
            frame.setLength(FRAME);
            frame.setTimestampNanos(dueNanos);
        }

        /** Hands {@code frame}, filled for this caller, to the session, as its transport would. */
        void deliver(AudioFrame frame) {
            try {
                transport.listener.onAudio(frame);
            } catch (RuntimeException e) {
                rejected.incrementAndGet();
            }
        }
    }
}
