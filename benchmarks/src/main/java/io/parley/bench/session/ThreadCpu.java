package io.parley.bench.session;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of the process over a measured window, split by who spent it: the load drivers,
 * the sessions' event loops, the audio pacers, the blocking pool, other Java threads, and
 * (the remainder) the JVM's own threads (collector, compiler), which have no Java thread.
 * Threads that ended inside the window count only up to their last sample. On Linux, also the
 * whole machine's busy and stolen CPU from {@code /proc/stat}, so what other processes took
 * from the harness's cores shows beside its own figures.
 */
final class ThreadCpu {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final Set<Long> driverIds = new HashSet<>();
    private final Map<Long, Long> start;
    private final long process0;
    private final long wall0;
    double process;
    double drivers;
    double loops;
    double pacers;
    double blocking;
    double otherJava;
    double wallNanos;
    /** Cores of the whole machine busy on average over the window, or NaN where unknown. */
    double machineCores = Double.NaN;
    /** Cores the hypervisor took from the machine on average over the window, or NaN. */
    double stealCores = Double.NaN;
    /** The machine's cores as {@code /proc/stat} counts them, or 0 where unknown. */
    int machineCpus;
    private final long[] stat0;

    /** Starts the window now. */
    ThreadCpu(List<LoadDriver> pacing) {
        for (LoadDriver d : pacing) {
            driverIds.add(d.threadId());
        }
        start = sample();
        process0 = os.getProcessCpuTime();
        wall0 = System.nanoTime();
        stat0 = procStat();
    }

    /** Ends the window and fills in the figures, in CPU nanoseconds. */
    void end() {
        Map<Long, Long> end = sample();
        process = os.getProcessCpuTime() - process0;
        wallNanos = System.nanoTime() - wall0;
        long[] stat1 = procStat();
        if (stat0 != null && stat1 != null && stat1[0] > stat0[0]) {
            double total = stat1[0] - stat0[0];
            machineCpus = (int) stat1[3];
            machineCores = (stat1[1] - stat0[1]) / total * machineCpus;
            stealCores = (stat1[2] - stat0[2]) / total * machineCpus;
        }
        for (ThreadInfo info : threads.getThreadInfo(end.keySet().stream().mapToLong(Long::longValue).toArray())) {
            if (info == null) {
                continue;
            }
            long id = info.getThreadId();
            double used = end.get(id) - start.getOrDefault(id, 0L);
            String name = info.getThreadName();
            if (driverIds.contains(id)) {
                drivers += used;
            } else if (name.startsWith("parley-loop-pacer-")) {
                pacers += used;
            } else if (name.startsWith("parley-loop-")) {
                loops += used;
            } else if (name.startsWith("parley-user-")) {
                blocking += used;
            } else {
                otherJava += used;
            }
        }
    }

    /**
     * Ticks of all the machine's CPUs from {@code /proc/stat}: total, busy (all but idle and
     * I/O wait, steal included), steal, and the number of CPUs; null where it cannot be read.
     */
    private static long[] procStat() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is inside user and nice)
            for (int i = 1; i <= 8 && i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long cpus = lines.stream().filter(l -> l.matches("cpu\\d+ .*")).count();
            return new long[] {total, total - idle - steal, steal, cpus};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private Map<Long, Long> sample() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }
}
