package io.parley.bench.session;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Where the lateness tail comes from: the slots the drivers woke late for, grouped into
 * episodes (late slots less than a period apart), each set beside the collector pauses that
 * overlap it. A driver that is stopped (a collection pause, the OS running something else)
 * wakes late for every slot due meanwhile and then catches up, so one stall shows as one
 * episode; a driver that is simply too slow shows as one long episode that never ends.
 *
 * <p>Each driver records into its own arrays (one writer, no allocation while it measures);
 * the pauses come from the collectors' notifications, on the JMX thread.
 */
final class LateSlots {

    /** Slots later than this are recorded. */
    static final long THRESHOLD_NANOS = 2_000_000L;
    private static final int CAPACITY = 200_000;

    private final long[] due = new long[CAPACITY];
    private final long[] late = new long[CAPACITY];
    private int count;

    /** Records a slot due at {@code dueNanos} whose driver woke {@code lateNanos} after it. */
    void add(long dueNanos, long lateNanos) {
        if (lateNanos >= THRESHOLD_NANOS && count < CAPACITY) {
            due[count] = dueNanos;
            late[count] = lateNanos;
            count++;
        }
    }

    void reset() {
        count = 0;
    }

    /** Collector pauses (start and end, {@link System#nanoTime()}), recorded from {@link #start()}. */
    static final class Pauses {
        private final List<long[]> pauses = new ArrayList<>();
        private final List<Runnable> removers = new ArrayList<>();
        private final long nanoMinusUptime;

        Pauses() {
            long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
            nanoMinusUptime = System.nanoTime() - uptimeMillis * 1_000_000L;
        }

        /** The JVM uptime, in seconds, at {@code nanos} on {@link System#nanoTime()}. */
        double uptimeSeconds(long nanos) {
            return (nanos - nanoMinusUptime) / 1e9;
        }

        /**
         * Whether the collector bean called {@code name} reports pauses. The concurrent
         * collectors' cycle beans ("ZGC Cycles", "Shenandoah Cycles"; "G1 Concurrent GC" from
         * JDK 20) report a whole cycle, most of which runs beside the application: counted as a
         * pause, a ZGC run showed a "pause" of 1.7 s where -Xlog:gc+phases showed none over
         * 0.1 ms. Their pauses come from the "... Pauses" bean beside them.
         */
        static boolean reportsPauses(String name) {
            return !name.endsWith(" Cycles") && !name.equals("G1 Concurrent GC");
        }

        void start() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter && reportsPauses(gc.getName())) {
                    NotificationEmitter emitter = (NotificationEmitter) gc;
                    NotificationListener listener = (n, h) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                            long start = nanoMinusUptime + info.getGcInfo().getStartTime() * 1_000_000L;
                            long end = start + Math.max(1, info.getGcInfo().getDuration()) * 1_000_000L;
                            synchronized (pauses) {
                                pauses.add(new long[] {start, end});
                            }
                        }
                    };
                    emitter.addNotificationListener(listener, null, null);
                    removers.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
        }

        void stop() {
            removers.forEach(Runnable::run);
        }

        List<long[]> between(long from, long to) {
            synchronized (pauses) {
                return pauses.stream().filter(p -> p[1] >= from && p[0] <= to).toList();
            }
        }
    }

    /**
     * Prints the window's collector pauses, the share of late slots (over {@code lateMillis})
     * in episodes a pause overlaps, and the {@code top} worst episodes.
     */
    static void print(List<LateSlots> drivers, Pauses pauses, long windowStart, long windowEnd, double lateMillis, int top) {
        int n = drivers.stream().mapToInt(d -> d.count).sum();
        long[][] slots = new long[n][];
        int i = 0;
        for (LateSlots d : drivers) {
            for (int k = 0; k < d.count; k++) {
                if (d.due[k] < windowEnd) {
                    slots[i++] = new long[] {d.due[k], d.late[k]};
                }
            }
        }
        n = i;
        slots = Arrays.copyOf(slots, n);
        Arrays.sort(slots, (a, b) -> Long.compare(a[0], b[0]));
        List<long[]> inWindow = pauses.between(windowStart, windowEnd);
        double pauseMs = inWindow.stream().mapToLong(p -> p[1] - p[0]).sum() / 1e6;
        double longest = inWindow.stream().mapToLong(p -> p[1] - p[0]).max().orElse(0) / 1e6;
        // Episodes: {first due, last due, max lateness, slots over lateMillis, overlapping pause ms}.
        List<double[]> episodes = new ArrayList<>();
        long over = 0;
        long overInPause = 0;
        for (int a = 0; a < n; ) {
            int b = a;
            long maxLate = slots[a][1];
            long firstDue = slots[a][0];
            while (b + 1 < n && slots[b + 1][0] - slots[b][0] <= LoadDriver.PERIOD_NANOS) {
                b++;
                maxLate = Math.max(maxLate, slots[b][1]);
            }
            long lastDue = slots[b][0];
            long counted = 0;
            for (int k = a; k <= b; k++) {
                if (slots[k][1] >= lateMillis * 1e6) {
                    counted++;
                }
            }
            // A pause that began before the driver woke for the episode's first slot.
            List<long[]> overlap = pauses.between(firstDue - LoadDriver.PERIOD_NANOS, firstDue + slots[a][1]);
            double overlapMs = overlap.stream().mapToLong(p -> p[1] - p[0]).sum() / 1e6;
            over += counted;
            if (!overlap.isEmpty()) {
                overInPause += counted;
            }
            episodes.add(new double[] {(firstDue - windowStart) / 1e9, (lastDue - firstDue) / 1e6, maxLate / 1e6, counted, overlapMs,
                pauses.uptimeSeconds(firstDue)});
            a = b + 1;
        }
        System.out.printf("%nCollector pauses in the window: %d, %.1f ms in all, longest %.1f ms. Driver slots woken %.0f ms late or more: %d, "
                        + "of which %d (%.0f %%) in stalls that began with a collector pause%n",
                inWindow.size(), pauseMs, longest, lateMillis, over, overInPause, over == 0 ? 0 : 100.0 * overInPause / over);
        episodes.sort((x, y) -> Double.compare(y[2], x[2]));
        System.out.printf("Worst stalls (at s into the window, and JVM uptime s to match -Xlog's uptime: driver lateness up to ms, lasting ms, "
                + "slots %.0f ms late or more, collector pause ms at its start):%n", lateMillis);
        for (double[] e : episodes.subList(0, Math.min(top, episodes.size()))) {
            System.out.printf("  %.2f s (uptime %.3f s): %.1f ms late, %.0f ms, %.0f slots, pause %.1f ms%n", e[0], e[5], e[2], e[1], e[3], e[4]);
        }
    }
}
