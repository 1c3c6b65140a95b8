package io.parley.bench.recording;

import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingStatus;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import io.parley.recording.store.FileRecordingStore;
import io.parley.recording.store.RecordingWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Kills {@link CrashChild} with SIGKILL ({@code kill -9}) at random moments and
 * aimed inside each phase, in every storage mode, then checks what a user would get: every event
 * the store had confirmed is loaded (0 lost), a merge is all-or-nothing, a deletion leaves the
 * recording whole or gone, every event log the kill left unfinished or torn is reported as
 * damaged, and reopening repairs it.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.jvmArgs=-Xmx256m \
 *     -Dbench.main=io.parley.bench.recording.CrashHarness -Dbench.args="500 2 1"
 * </pre>
 * Arguments: trials [500], parallel children [2], seed [1]. Exits with 1 on any failure.
 */
public final class CrashHarness {

    static final List<String> MODES = List.of("plain", "compressed", "encrypted", "compressed+encrypted");
    static final List<String> PHASES = List.of("start", "append", "pause", "stop", "reopen", "rename", "merge", "delete");

    private final Map<String, AtomicLong> phaseNanos = new ConcurrentHashMap<>();
    private final Map<String, long[]> aimed = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private long confirmedTotal;
    private long damagedTails;
    private long damagedReported;
    private long trials;

    private CrashHarness() {
        for (String p : PHASES) {
            phaseNanos.put(p, new AtomicLong(30_000_000));
        }
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        CrashHarness h = new CrashHarness();
        boolean ok = false;
        try {
            ok = h.run(trials, parallel, seed);
        } finally {
            System.exit(ok ? 0 : 1);
        }
    }

    /** Runs the trials; returns whether all passed. */
    boolean run(int count, int parallel, long seed) throws Exception {
        Path base = Files.createTempDirectory("parley-crash");
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<?>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int trial = i;
            futures.add(pool.submit(() -> {
                try {
                    trial(base.resolve("t" + trial), trial, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + trial));
                } catch (Exception | Error e) {
                    synchronized (this) {
                        failures.add("trial " + trial + " could not run: " + e);
                    }
                    e.printStackTrace();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        deleteTree(base);
        long secs = (System.nanoTime() - t0) / 1_000_000_000L;
        System.out.printf(Locale.ROOT, "trials %d in %d s, confirmed events %d, lost 0 unless listed below%n", trials,
                secs, confirmedTotal);
        System.out.printf(Locale.ROOT, "damaged tails left by kills: %d, reported by load: %d%n", damagedTails,
                damagedReported);
        System.out.printf(Locale.ROOT, "%-10s %8s %14s%n", "aimed at", "trials", "killed inside");
        aimed.forEach((p, v) -> System.out.printf(Locale.ROOT, "%-10s %8d %14d%n", p, v[0], v[1]));
        System.out.printf(Locale.ROOT, "failures: %d%n", failures.size());
        failures.stream().limit(30).forEach(f -> System.out.println("  " + f));
        return failures.isEmpty();
    }

    /**
     * Trial {@code i} uses phase {@code i % 8} and mode {@code (i / 8) % 4}; in every third block
     * of 32 trials the kill comes at a random moment of the whole run instead of inside the phase.
     */
    private void trial(Path dir, int trial, SplittableRandom random) throws Exception {
        String mode = MODES.get(trial / PHASES.size() % MODES.size());
        boolean randomMoment = trial / (PHASES.size() * MODES.size()) % 3 == 0;
        String target = randomMoment ? "random" : PHASES.get(trial % PHASES.size());
        Files.createDirectories(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), CrashChild.class.getName(), dir.resolve("store").toString(), mode,
                Long.toString(random.nextLong())).redirectError(dir.resolve("child.err").toFile()).start();
        Map<String, Set<Long>> confirmed = new LinkedHashMap<>();
        List<String> phases = new ArrayList<>();
        long killAtNanos = randomMoment ? System.nanoTime() + 300_000_000L + (long) (random.nextDouble() * 2.5e9) : -1;
        boolean killed = false;
        boolean insideTarget = false;
        long lastPhaseStart = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            Thread killer = null;
            if (randomMoment) {
                long at = killAtNanos;
                killer = new Thread(() -> {
                    LockSupport.parkNanos(Math.max(0, at - System.nanoTime()));
                    kill(child);
                }, "crash-killer");
                killer.setDaemon(true);
                killer.start();
            }
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("C ")) {
                    String[] p = line.split(" ");
                    confirmed.computeIfAbsent(p[1], k -> new HashSet<>()).add(Long.parseLong(p[2]));
                } else if (line.startsWith("PHASE ")) {
                    String[] p = line.split(" ");
                    long at = Long.parseLong(p[2]);
                    if (!phases.isEmpty() && lastPhaseStart > 0) {
                        String prev = phases.get(phases.size() - 1);
                        AtomicLong est = phaseNanos.get(prev);
                        if (est != null) {
                            est.accumulateAndGet(at - lastPhaseStart, (a, b) -> (a * 3 + b) / 4);
                        }
                    }
                    lastPhaseStart = at;
                    phases.add(p[1]);
                    if (!killed && p[1].equals(target)) {
                        long delay = (long) (random.nextDouble() * 1.2 * phaseNanos.get(target).get());
                        LockSupport.parkNanos(delay);
                        kill(child);
                        killed = true;
                    }
                }
            }
            if (killer != null) {
                killer.join();
            }
        }
        child.waitFor(30, TimeUnit.SECONDS);
        boolean finished = phases.contains("done");
        // Killed inside the target phase when the child never announced the phase after it.
        insideTarget = !phases.isEmpty() && phases.get(phases.size() - 1).equals(target);
        if (!randomMoment) {
            synchronized (this) {
                long[] a = aimed.computeIfAbsent(target, k -> new long[2]);
                a[0]++;
                a[1] += insideTarget && !finished ? 1 : 0;
            }
        }
        verify(dir, trial, mode, target, confirmed, phases);
        deleteTree(dir);
    }

    /**
     * SIGKILL through kill(1) rather than {@code destroyForcibly}, which also closes our end of
     * the child's stdout: the confirmations it printed before dying must still be read.
     */
    private static void kill(Process child) {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill -9", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void verify(Path dir, int trial, String mode, String target, Map<String, Set<Long>> confirmed,
                        List<String> phases) {
        String what = "trial " + trial + " (" + mode + ", kill " + target + ", last phase "
                + (phases.isEmpty() ? "-" : phases.get(phases.size() - 1)) + ")";
        List<String> problems = new ArrayList<>();
        long confirmedCount = confirmed.values().stream().mapToLong(Set::size).sum();
        int tails = 0;
        int reported = 0;
        try {
            KeyProvider keys = mode.contains("encrypted") ? KeyProvider.of("k1", CrashChild.KEY) : null;
            FileRecordingStore.Builder b = FileRecordingStore.builder(dir.resolve("store"));
            if (keys != null) {
                b.encryption(keys);
            }
            FileRecordingStore store = b.build();
            // r may have been renamed to r2; the merged m must be all or nothing; s may be deleted.
            String r = store.exists("r2") ? "r2" : "r";
            check(store, r, confirmed.getOrDefault("r", Set.of()), problems, true);
            boolean deleting = phases.contains("delete");
            if (!(deleting && !store.exists("s"))) {
                check(store, "s", confirmed.getOrDefault("s", Set.of()), problems, true);
            }
            if (store.exists("m")) {
                Recording m = store.load("m");
                int expected = 1 + store.load(r).events().size() + (store.exists("s") ? store.load("s").events().size() : 20);
                if (m.report().damaged() || m.metadata().status() != RecordingStatus.STOPPED || m.events().size() != expected) {
                    problems.add("merged recording is partial: " + m.events().size() + " of " + expected + " events, "
                            + m.report().problems());
                }
            }
            for (String name : List.of(r, "s", "m")) {
                if (!store.exists(name)) {
                    continue;
                }
                if (tornOrUnfinished(dir.resolve("store").resolve(name), keys)) {
                    tails++;
                    if (store.load(name).report().damaged()) {
                        reported++;
                    } else {
                        problems.add(name + ": a torn or unfinished log loads with an empty damage report");
                    }
                }
            }
            // Reopening repairs whatever the kill left: afterwards the recording loads undamaged with everything.
            if (store.exists(r)) {
                int before = store.load(r).events().size();
                RecordingWriter w = store.append(r);
                w.updateMetadata(w.metadata().withStatus(RecordingStatus.STOPPED, w.metadata().updatedAt()));
                w.close();
                Recording again = store.load(r);
                if (again.report().damaged() || again.events().size() != before) {
                    problems.add("reopen did not repair " + r + ": " + again.events().size() + " of " + before
                            + " events, " + again.report().problems());
                }
            }
        } catch (RuntimeException e) {
            problems.add("load failed: " + e);
        }
        synchronized (this) {
            trials++;
            confirmedTotal += confirmedCount;
            damagedTails += tails;
            damagedReported += reported;
            for (String p : problems) {
                failures.add(what + ": " + p);
            }
        }
    }

    private static void check(FileRecordingStore store, String name, Set<Long> confirmed, List<String> problems,
                              boolean mustExist) {
        if (!store.exists(name)) {
            if (!confirmed.isEmpty() && mustExist) {
                problems.add(name + " is missing with " + confirmed.size() + " confirmed events");
            }
            return;
        }
        Recording rec = store.load(name);
        Set<Long> loaded = new HashSet<>();
        long prev = 0;
        for (RecordingEvent e : rec.events()) {
            if (e.seq() <= prev) {
                problems.add(name + ": events out of order at seq " + e.seq());
            }
            prev = e.seq();
            loaded.add(e.seq());
        }
        long lost = confirmed.stream().filter(s -> !loaded.contains(s)).count();
        if (lost > 0) {
            problems.add(name + ": " + lost + " of " + confirmed.size() + " confirmed events lost; report "
                    + rec.report().problems());
        }
    }

    /**
     * Ground truth read from the raw files, independently of the store's reader: whether an
     * event journal without a packed replacement ends torn or without its end marker.
     */
    static boolean tornOrUnfinished(Path dir, KeyProvider keys) throws RuntimeException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path j : files.filter(p -> p.getFileName().toString().matches("events(-\\d{4})?\\.jsonl")).sorted().toList()) {
                String n = j.getFileName().toString();
                int seg = n.startsWith("events-") ? Integer.parseInt(n.substring(7, 11)) : 0;
                if (Files.exists(dir.resolve(n.replace(".jsonl", ".blk")))) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(j);
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
                    return true;
                }
                String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
                String last = lines[lines.length - 1];
                if (LineSealer.isSealed(last)) {
                    last = LineSealer.open(keys, last, ((long) seg << 32) | (lines.length - 1));
                }
                if (!last.startsWith("{\"end_of_log\"")) {
                    return true;
                }
            }
            try (Stream<Path> wavs = Files.list(dir)) {
                for (Path w : wavs.filter(p -> p.getFileName().toString().endsWith(".wav")).toList()) {
                    if ((Files.size(w) - 44) % 4 != 0) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
