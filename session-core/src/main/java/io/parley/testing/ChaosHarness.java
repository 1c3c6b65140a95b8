package io.parley.testing;

import io.parley.session.VoiceSession;
import io.parley.testing.Violation.Invariant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * Runs many randomized voice sessions at once on real threads, with fake providers that
 * answer after random delays, fail, disconnect and hang, while several threads call the
 * public API at random ({@code start}, {@code stop}, {@code interrupt}, {@code say},
 * {@code sendText}, {@code processAudio} in any chunk size). After every session it checks:
 * <ul>
 *   <li>after input stops, the session is LISTENING (or AWAY) or ENDED within a bound, and no
 *       longer hears the user speaking (input may stop mid-word);</li>
 *   <li>every committed user turn was answered exactly once (one reply played, one agent
 *       call), or reported by a typed error, or cut by an API call ({@code interrupt},
 *       {@code stop}, a newer {@code sendText}), or carried into a later turn that contains
 *       its words;</li>
 *   <li>every word the fake recognizer gave in a final result is in exactly one committed turn
 *       (or carried whole with its turn into a later one): none repeated, none lost (sessions
 *       with interruptions off, where no speech is dropped by design), and none spoken before a
 *       turn's speech ended in a later turn (see {@link Violation.Invariant#WORDS_SPLIT}); within
 *       the final-transcript timeout, for audio that came at its pace (not in a burst over 1 s
 *       late), and for recognizers that say how far their results reach or do not end
 *       utterances themselves;</li>
 *   <li>no listener callback after ENDED (unless a restart was under way);</li>
 *   <li>after {@code stop()}: no provider stream, transport, timer or thread left; no
 *       provider, transport or agent opened; returned futures all complete;</li>
 *   <li>no exception only logged (see {@link LogWatch}), thrown back into a provider's
 *       thread, or lost in a thread pool; public methods throw only their documented types;</li>
 *   <li>blocking provider and transport calls never run on the event-loop pool.</li>
 * </ul>
 *
 * <p>Everything random derives from one seed, printed when the run starts, so a failing
 * session's plan (its speech, its API calls, its faults) can be replayed with
 * {@link Builder#seed(long)} and {@link Builder#onlySession(int)}. Thread interleavings are
 * real and therefore not replayed; run the replay a few times.
 *
 * <p>Time: sessions run on a {@link ScaledClock}, so with {@link Builder#timeScale(double)}
 * of {@code k} each session lives {@code k} times faster than wall time; audio is still fed
 * in real-time proportion on the session clock. {@link ChaosReport#sessionMinutes()} counts
 * session-clock time from the first {@code start()} to the final {@code stop()} returning,
 * {@link ChaosReport#inputMinutes()} the sessions' scripted input; {@link Builder#sessionMinutes(double)}
 * ends a run once the former reach a target.
 *
 * <pre>{@code
 * ChaosReport report = ChaosHarness.builder()
 *         .sessions(500).concurrency(250).timeScale(8)
 *         .build().run();
 * report.assertNoViolations();
 * }</pre>
 */
public final class ChaosHarness {

    /** Everything a session needs to know about the run. */
    record Plan(long seed, ScaledClock clock, ChaosSettings settings, Duration minLength, Duration maxLength,
                Duration settleBound, Duration postStopWindow, BiConsumer<VoiceSession.Builder, Random> customizer,
                boolean checkWords) {
    }

    private static final String[] POOL_THREADS = {"parley-scaled-", "parley-chaos-", "parley-loop-", "parley-user-",
        "ForkJoinPool", "Common-Cleaner", "process reaper", "Attach Listener", "Signal Dispatcher", "Reference Handler",
        "Finalizer", "surefire", "Notification Thread"};

    private final Builder b;

    private ChaosHarness(Builder b) {
        this.b = b;
    }

    /** A builder with defaults for a quick run. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs the sessions and checks them; blocks until all are done. */
    public ChaosReport run() {
        long seed = b.seed != null ? b.seed : new Random().nextLong();
        System.out.println("ChaosHarness seed=" + seed + " (replay: ChaosHarness.builder().seed(" + seed + "L)...)");
        long wallStart = System.nanoTime();
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        List<ChaosSession> sessions = new CopyOnWriteArrayList<>();
        List<Violation> violations = new ArrayList<>();
        List<String> logged;
        ScaledClock clock = new ScaledClock(b.timeScale);
        ScheduledThreadPoolExecutor actors = new ScheduledThreadPoolExecutor(b.actorThreads, named("parley-chaos-actor-"));
        Feeders feeders = new Feeders(b.feederThreads, clock);
        PoolLag lag = new PoolLag(clock);
        b.logWatch.start();
        try {
            Plan plan = new Plan(seed, clock, b.settings(), b.minLength, b.maxLength, b.settleBound, b.postStopWindow, b.customizer,
                    b.checkWords);
            Semaphore slots = new Semaphore(b.concurrency);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            int first = b.onlySession >= 0 ? b.onlySession : 0;
            int last = b.onlySession >= 0 ? b.onlySession + 1 : b.sessions;
            Ramp ramp = new Ramp(b.concurrency, clock.wallNanos(b.minLength.plus(b.maxLength).dividedBy(2)));
            ChaosProgress progress = new ChaosProgress();
            for (int i = first; i < last; i++) {
                slots.acquireUninterruptibly();
                if (b.onlySession < 0 && progress.minutes() >= b.minutesTarget) {
                    break;
                }
                ramp.await(i - first);
                ChaosSession s = new ChaosSession(i, plan, actors);
                sessions.add(s);
                feeders.add(s);
                progress.started(s);
                all.add(s.run().whenComplete((r, e) -> {
                    progress.finished(s);
                    feeders.remove(s);
                    slots.release();
                }));
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).join();
        } finally {
            logged = b.logWatch.stop();
            lag.stop();
            feeders.close();
            actors.shutdownNow();
        }
        for (ChaosSession s : sessions) {
            violations.addAll(s.probe.violations());
        }
        for (String finding : logged) {
            ChaosSession owner = null;
            for (ChaosSession s : sessions) {
                if (finding.contains(s.probe.sessionId)) {
                    owner = s;
                }
            }
            violations.add(new Violation(Invariant.EXCEPTION_ONLY_LOGGED, owner == null ? -1 : owner.index,
                    owner == null ? "" : owner.probe.sessionId, "logged: " + finding));
        }
        List<String> leaked = leakedThreads(before);
        if (!leaked.isEmpty()) {
            violations.add(new Violation(Invariant.RESOURCE_LEFT, -1, "", "threads still alive after every session stopped: " + leaked));
        }
        clock.close();
        long sessionNanos = 0;
        long inputNanos = 0;
        long worstGap = 0;
        for (ChaosSession s : sessions) {
            sessionNanos += s.sessionNanos();
            inputNanos += s.inputNanos();
            worstGap = Math.max(worstGap, s.worstFeedGapNanos());
            if (Boolean.getBoolean("parley.chaos.debug")) {
                System.out.println("session " + s.index + ": " + s.sessionNanos() / 1e9 + " s");
            }
        }
        return new ChaosReport(seed, sessions.size(), sessionNanos / 60e9, inputNanos / 60e9, Duration.ofNanos(System.nanoTime() - wallStart),
                Duration.ofNanos(worstGap), Duration.ofNanos(lag.worst), violations);
    }

    /**
     * Spreads the starts of the first {@code concurrency} sessions over one mean session length,
     * the rate at which sessions start once the run is under way: all of them at once would
     * start in step, end in step, and load the machine with their setup while its code still
     * runs in the interpreter, so that the feeders fall far behind in the first seconds.
     */
    private static final class Ramp {
        private final int sessions;
        private final long spacingWallNanos;
        private final long startWall = System.nanoTime();

        Ramp(int sessions, long meanLengthWallNanos) {
            this.sessions = sessions;
            this.spacingWallNanos = meanLengthWallNanos / sessions;
        }

        /** Returns when the {@code k}-th session (from 0) may start. */
        void await(int k) {
            if (k >= sessions) {
                return;
            }
            long at = startWall + k * spacingWallNanos;
            for (long left = at - System.nanoTime(); left > 0; left = at - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
        }
    }

    /**
     * How far behind the clock's pool (every session's event loop and timers) ran: a timer
     * re-armed every 100 ms of session time, and how late it fired at worst.
     */
    private static final class PoolLag implements Runnable {
        private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
        private final ScaledClock clock;
        private long due;
        private volatile long worst;
        private volatile boolean stopped;

        PoolLag(ScaledClock clock) {
            this.clock = clock;
            arm();
        }

        private void arm() {
            due = clock.nanoTime() + PERIOD_NANOS;
            clock.schedule(this, PERIOD_NANOS, TimeUnit.NANOSECONDS);
        }

        @Override
        public void run() {
            worst = Math.max(worst, clock.nanoTime() - due);
            if (!stopped) {
                arm();
            }
        }

        void stop() {
            stopped = true;
        }
    }

    private static List<String> leakedThreads(Set<Thread> before) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        List<String> leaked;
        do {
            leaked = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.isAlive() && !before.contains(t) && !pooled(t.getName())) {
                    leaked.add(t.getName());
                }
            }
            if (leaked.isEmpty()) {
                return leaked;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        } while (System.nanoTime() < deadline);
        return leaked;
    }

    private static boolean pooled(String name) {
        for (String p : POOL_THREADS) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Threads that feed every session its audio, each session always from the same thread. */
    private static final class Feeders {
        private final List<List<ChaosSession>> groups = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean closed;

        Feeders(int n, ScaledClock clock) {
            long tickWallNanos = clock.wallNanos(Duration.ofMillis(10));
            for (int i = 0; i < n; i++) {
                List<ChaosSession> group = new CopyOnWriteArrayList<>();
                groups.add(group);
                Thread t = new Thread(() -> {
                    while (!closed) {
                        long round = clock.nanoTime();
                        for (ChaosSession s : group) {
                            s.feed(round);
                        }
                        LockSupport.parkNanos(Math.max(200_000, tickWallNanos));
                    }
                }, "parley-chaos-feeder-" + (i + 1));
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        void add(ChaosSession s) {
            groups.get(Math.floorMod(next.getAndIncrement(), groups.size())).add(s);
        }

        void remove(ChaosSession s) {
            for (List<ChaosSession> g : groups) {
                g.remove(s);
            }
        }

        void close() {
            closed = true;
            for (Thread t : threads) {
                try {
                    t.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Configures a {@link ChaosHarness}. Every setting has a default. */
    public static final class Builder {
        private Long seed;
        private int sessions = 20;
        private int concurrency = 20;
        private int onlySession = -1;
        private double timeScale = 1;
        private int actorThreads = 8;
        private int feederThreads = 2;
        private Duration minLength = Duration.ofSeconds(20);
        private Duration maxLength = Duration.ofSeconds(60);
        private Duration settleBound = Duration.ofSeconds(60);
        private Duration postStopWindow = Duration.ofSeconds(6);
        private Latency connect = Latency.logNormal(Duration.ofMillis(80), Duration.ofMillis(600)).withSpikes(0.01, Duration.ofSeconds(3));
        private Latency interim = Latency.logNormal(Duration.ofMillis(120), Duration.ofMillis(500));
        private Latency fin = Latency.logNormal(Duration.ofMillis(200), Duration.ofMillis(900)).withSpikes(0.03, Duration.ofMillis(2500));
        private Latency agentFirstText = Latency.logNormal(Duration.ofMillis(300), Duration.ofMillis(1500));
        private Latency ttsFirstAudio = Latency.logNormal(Duration.ofMillis(150), Duration.ofMillis(700));
        private double openFailure = 0.05;
        private double streamFailuresPerMinute = 0.5;
        private double disconnectsPerMinute = 0.5;
        private double sendFailuresPerMinute = 0.2;
        private double agentFailure = 0.05;
        private double ttsHang = 0.02;
        private double apiCallsPerMinute = 8;
        private double audioStallsPerMinute = 0.3;
        private BiConsumer<VoiceSession.Builder, Random> customizer;
        private LogWatch logWatch = LogWatch.standardStreams();
        private boolean checkWords = true;
        private double minutesTarget = Double.POSITIVE_INFINITY;

        private Builder() {
        }

        /** The seed everything random derives from [random, printed]. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How many sessions to run in total [20]. */
        public Builder sessions(int n) {
            this.sessions = positive(n, "sessions");
            return this;
        }

        /**
         * Stops starting sessions once the session-minutes run so far ({@link ChaosReport#sessionMinutes()},
         * counting the sessions still running up to now) reach {@code minutes}, or {@link #sessions(int)}
         * have started, whichever comes first; the sessions already started run to their end [no target].
         * Sessions start in index order, so any of them replays with {@link #seed(long)} and
         * {@link #onlySession(int)}. A session-minute is session-clock time, which runs whether or not the
         * machine has the CPU to feed the session: a run with a target ends after about as much wall time
         * on any machine, and a slower machine runs fewer sessions in it ({@link ChaosReport#inputMinutes()}
         * says how much scripted input they had).
         */
        public Builder sessionMinutes(double minutes) {
            if (!(minutes > 0)) {
                throw new IllegalArgumentException("sessionMinutes must be positive, was " + minutes);
            }
            this.minutesTarget = minutes;
            return this;
        }

        /** How many sessions run at once [20]. */
        public Builder concurrency(int n) {
            this.concurrency = positive(n, "concurrency");
            return this;
        }

        /** Runs only session {@code index} of the seeded plan, to replay a failure. */
        public Builder onlySession(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative");
            }
            this.onlySession = index;
            return this;
        }

        /** How many times faster than wall time the sessions' clock runs [1]; see {@link ScaledClock}. */
        public Builder timeScale(double scale) {
            if (!(scale >= 1) || Double.isInfinite(scale)) {
                throw new IllegalArgumentException("timeScale must be a finite number >= 1");
            }
            this.timeScale = scale;
            return this;
        }

        /** Threads making API calls at random [8]. */
        public Builder actorThreads(int n) {
            this.actorThreads = positive(n, "actorThreads");
            return this;
        }

        /** Threads feeding audio [2]. */
        public Builder feederThreads(int n) {
            this.feederThreads = positive(n, "feederThreads");
            return this;
        }

        /** Range of how long each session gets input (user speech and API calls), session time [20 s..60 s]. */
        public Builder sessionLength(Duration min, Duration max) {
            notNull(min, "min");
            notNull(max, "max");
            if (min.compareTo(Duration.ofSeconds(2)) < 0 || max.compareTo(min) < 0) {
                throw new IllegalArgumentException("need 2 s <= min <= max, was " + min + ", " + max);
            }
            this.minLength = min;
            this.maxLength = max;
            return this;
        }

        /** How long after input stops a session may take to settle, and {@code stop()} to return [60 s]. */
        public Builder settleBound(Duration d) {
            this.settleBound = notNull(d, "settleBound");
            return this;
        }

        /** How long after {@code stop()} returns to watch for late opens and callbacks [6 s]. */
        public Builder postStopWindow(Duration d) {
            this.postStopWindow = notNull(d, "postStopWindow");
            return this;
        }

        /** Connect latency of recognizer, synthesizer and transport [log-normal, median 80 ms, p99 600 ms, 1 % 3 s stalls]. */
        public Builder connectLatency(Latency l) {
            this.connect = notNull(l, "latency");
            return this;
        }

        /** Delay of interim transcripts after their audio [log-normal, median 120 ms, p99 500 ms]. */
        public Builder interimLatency(Latency l) {
            this.interim = notNull(l, "latency");
            return this;
        }

        /** Delay of a final transcript after finalize [log-normal, median 200 ms, p99 900 ms, 3 % 2.5 s]. */
        public Builder finalLatency(Latency l) {
            this.fin = notNull(l, "latency");
            return this;
        }

        /** Agent's delay to its first words [log-normal, median 300 ms, p99 1.5 s]. */
        public Builder agentLatency(Latency l) {
            this.agentFirstText = notNull(l, "latency");
            return this;
        }

        /** Synthesizer's delay to first audio [log-normal, median 150 ms, p99 700 ms]. */
        public Builder ttsLatency(Latency l) {
            this.ttsFirstAudio = notNull(l, "latency");
            return this;
        }

        /** Probability that an open (and a synthesis stream) fails [0.05]. */
        public Builder openFailure(double p) {
            this.openFailure = probability(p);
            return this;
        }

        /** Recognizer streams dropped per minute of audio [0.5]. */
        public Builder streamFailuresPerMinute(double rate) {
            this.streamFailuresPerMinute = rate(rate);
            return this;
        }

        /** Transport peer losses per minute [0.5]; the peer comes back after 0.3 to 14.3 s. */
        public Builder disconnectsPerMinute(double rate) {
            this.disconnectsPerMinute = rate(rate);
            return this;
        }

        /** Outbound sends that throw, per minute of agent audio [0.2]. */
        public Builder sendFailuresPerMinute(double rate) {
            this.sendFailuresPerMinute = rate(rate);
            return this;
        }

        /** Probability that the agent fails a reply (half of them by throwing) [0.05]. */
        public Builder agentFailure(double p) {
            this.agentFailure = probability(p);
            return this;
        }

        /** Probability that a synthesis stream never completes [0.02]. */
        public Builder ttsHang(double p) {
            this.ttsHang = probability(p);
            return this;
        }

        /** Random API calls per session-minute [8]. */
        public Builder apiCallsPerMinute(double rate) {
            this.apiCallsPerMinute = rate(rate);
            return this;
        }

        /**
         * Times per session-minute that a session's audio stops coming for 0.2 to 20 s and then
         * arrives all at once, as from a stalled host thread or a network hiccup; a stall may cut
         * the user off mid-word and the input may end in one [0.3].
         */
        public Builder audioStallsPerMinute(double rate) {
            this.audioStallsPerMinute = rate(rate);
            return this;
        }

        /**
         * Adjusts each session's builder after the harness configured it (its random
         * config, fakes and listener), e.g. to add a real VAD or turn detector. The
         * {@link Random} derives from the seed.
         */
        public Builder customize(BiConsumer<VoiceSession.Builder, Random> customizer) {
            this.customizer = notNull(customizer, "customizer");
            return this;
        }

        /**
         * Whether to check the word invariants ({@link Violation.Invariant#WORD_LOST},
         * {@link Violation.Invariant#WORD_REPEATED}, {@link Violation.Invariant#WORDS_SPLIT}) [true].
         * They hold for audio that comes at its pace; a run too big for the machine, whose feeders
         * deliver audio minutes late and whose sessions' timers fire tens of seconds late, breaks
         * them in ways that say nothing about the engine.
         */
        public Builder checkWords(boolean check) {
            this.checkWords = check;
            return this;
        }

        /** Where to look for exceptions that were only logged [{@link LogWatch#standardStreams()}]. */
        public Builder logWatch(LogWatch watch) {
            this.logWatch = notNull(watch, "logWatch");
            return this;
        }

        public ChaosHarness build() {
            return new ChaosHarness(this);
        }

        ChaosSettings settings() {
            return new ChaosSettings(connect, interim, fin, agentFirstText, ttsFirstAudio, openFailure, streamFailuresPerMinute,
                    disconnectsPerMinute, sendFailuresPerMinute, agentFailure, ttsHang, apiCallsPerMinute, audioStallsPerMinute);
        }

        private static <T> T notNull(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static int positive(int n, String name) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be positive, was " + n);
            }
            return n;
        }

        private static double probability(double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability must be within 0..1, was " + p);
            }
            return p;
        }

        private static double rate(double r) {
            if (!(r >= 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("rate must be a finite number >= 0, was " + r);
            }
            return r;
        }
    }
}
