package io.parley.bench.session;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of the process over a measured window, split by who spent it: the load drivers,
 * the sessions' event loops, the audio pacers, the blocking pool, other Java threads, and
 * (the remainder) the JVM's own threads (collector, compiler), which have no Java thread.
 * Threads that ended inside the window count only up to their last sample.
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

    /** Starts the window now. */
    ThreadCpu(List<LoadDriver> pacing) {
        for (LoadDriver d : pacing) {
            driverIds.add(d.threadId());
        }
        start = sample();
        process0 = os.getProcessCpuTime();
        wall0 = System.nanoTime();
    }

    /** Ends the window and fills in the figures, in CPU nanoseconds. */
    void end() {
        Map<Long, Long> end = sample();
        process = os.getProcessCpuTime() - process0;
        wallNanos = System.nanoTime() - wall0;
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
