package io.parley.bench.session;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    /**
     * Collector pauses, recorded from {@link #start()}: each as {start, end} on
     * {@link System#nanoTime()}, then the young generation's bytes: eden before and after, the
     * survivor space after (what outlived the young objects' age so far: the pause copies it),
     * and how much the old generation grew (promoted, or humongous objects allocated there).
     *
     * <p>A collector reports its pauses on a clock of its own: milliseconds since the JVM's
     * management started, about 120 ms after the JVM did (JDK 17: a pause that {@code -Xlog:gc}
     * shows starting at uptime 1,047 ms is reported starting at 924), not the runtime bean's
     * uptime. Read as uptime, every pause was placed about 120 ms before it happened, before the
     * stall it caused, and quiet 2,000-session runs read "0 % of late slots in stalls that began
     * with a collector pause" though each worst stall was a young pause. That clock is tied to
     * {@link System#nanoTime()} by the notifications themselves: each arrives after its pause
     * ended, so the earliest arrival after an end, over all of them, is the offset.
     */
    static final class Pauses {
        /** Pauses on {@link System#nanoTime()} given by {@link #add}. */
        private final List<long[]> pauses = new ArrayList<>();
        /** Pauses as the collectors reported them, on their clock (ms): {start, end, then the bytes}. */
        private final List<long[]> reported = new ArrayList<>();
        /** {@link System#nanoTime()} at the collectors' clock's zero: the least of (arrival - end) over the notifications. */
        private long gcClockZero = Long.MAX_VALUE;
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
                            long arrived = System.nanoTime();
                            GcInfo gi = info.getGcInfo();
                            reported(arrived, new long[] {gi.getStartTime(), gi.getStartTime() + Math.max(1, gi.getDuration()),
                                used(gi.getMemoryUsageBeforeGc(), "Eden"), used(gi.getMemoryUsageAfterGc(), "Eden"),
                                used(gi.getMemoryUsageAfterGc(), "Survivor"),
                                used(gi.getMemoryUsageAfterGc(), "Old") - used(gi.getMemoryUsageBeforeGc(), "Old")});
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

        /** Records a pause: {start, end} on {@link System#nanoTime()}, optionally the young generation's bytes (see the class comment). */
        void add(long[] pause) {
            synchronized (pauses) {
                pauses.add(Arrays.copyOf(pause, 6));
            }
        }

        /**
         * Records a pause as a collector reported it: {start, end} in ms on the collectors'
         * clock, then the bytes; its notification arrived at {@code arrivedNanos}.
         */
        void reported(long arrivedNanos, long[] pause) {
            synchronized (pauses) {
                reported.add(Arrays.copyOf(pause, 6));
                gcClockZero = Math.min(gcClockZero, arrivedNanos - pause[1] * 1_000_000L);
            }
        }

        private static long used(Map<String, MemoryUsage> pools, String kind) {
            return pools.entrySet().stream().filter(e -> e.getKey().contains(kind)).mapToLong(e -> e.getValue().getUsed()).sum();
        }

        /** Bytes used in the eden space now; -1 if the collector has none (ZGC, Shenandoah). */
        static long edenUsed() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getName().contains("Eden"))
                    .mapToLong(p -> p.getUsage().getUsed()).reduce(Long::sum).orElse(-1);
        }

        /**
         * Bytes allocated in eden between two readings of {@link #edenUsed()} at {@code from} and
         * {@code to}: what eden grew by, plus what each collection in between emptied from it.
         * Objects too large for a region (humongous) go straight to the old generation and are not
         * counted. -1 without an eden.
         */
        long allocated(long from, long to, long edenFrom, long edenTo) {
            if (edenFrom < 0 || edenTo < 0) {
                return -1;
            }
            return edenTo - edenFrom + between(from, to).stream().mapToLong(p -> p[2] - p[3]).sum();
        }

        /** The pauses that overlap {@code from .. to} on {@link System#nanoTime()}, as {start, end, then the bytes}. */
        List<long[]> between(long from, long to) {
            synchronized (pauses) {
                List<long[]> all = new ArrayList<>(pauses);
                for (long[] r : reported) {
                    long[] p = r.clone();
                    p[0] = gcClockZero + r[0] * 1_000_000L;
                    p[1] = gcClockZero + r[1] * 1_000_000L;
                    all.add(p);
                }
                return all.stream().filter(p -> p[1] >= from && p[0] <= to).sorted((a, b) -> Long.compare(a[0], b[0])).toList();
            }
        }
    }

    /**
     * One stall: late slots less than a period apart. {@code pauseMs} is the length of the
     * collector pauses that overlap it from a period before its first slot to the moment the
     * driver woke for its worst slot.
     */
    record Episode(long firstDue, long lastDue, long maxLate, long counted, double pauseMs) {
    }

    /**
     * Groups {@code slots} ({due, lateness} pairs, sorted by due time) into episodes, each with
     * the collector pauses that overlap it. A driver woken late by a pause is late for every
     * slot due meanwhile, but the episode often begins before the pause: a slot a few ms late
     * (another thread had the core) less than a period before the pause starts the same
     * episode. So the pauses are looked for up to the worst slot's wake-up, not only around
     * the first slot: looking only there, every stall of quiet 2,000-session runs that began
     * at a G1 young pause was counted as begun by none.
     */
    static List<Episode> episodes(long[][] slots, Pauses pauses, double lateMillis) {
        List<Episode> episodes = new ArrayList<>();
        int n = slots.length;
        for (int a = 0; a < n; ) {
            int b = a;
            int worst = a;
            while (b + 1 < n && slots[b + 1][0] - slots[b][0] <= LoadDriver.PERIOD_NANOS) {
                b++;
                if (slots[b][1] > slots[worst][1]) {
                    worst = b;
                }
            }
            long counted = 0;
            for (int k = a; k <= b; k++) {
                if (slots[k][1] >= lateMillis * 1e6) {
                    counted++;
                }
            }
            long firstDue = slots[a][0];
            List<long[]> overlap = pauses.between(firstDue - LoadDriver.PERIOD_NANOS, slots[worst][0] + slots[worst][1]);
            double overlapMs = overlap.stream().mapToLong(p -> p[1] - p[0]).sum() / 1e6;
            episodes.add(new Episode(firstDue, slots[b][0], slots[worst][1], counted, overlapMs));
            a = b + 1;
        }
        return episodes;
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
        List<Episode> episodes = new ArrayList<>(episodes(slots, pauses, lateMillis));
        long over = episodes.stream().mapToLong(Episode::counted).sum();
        long overInPause = episodes.stream().filter(e -> e.pauseMs() > 0).mapToLong(Episode::counted).sum();
        System.out.printf("%nCollector pauses in the window: %d, %.1f ms in all, longest %.1f ms. Driver slots woken %.0f ms late or more: %d, "
                        + "of which %d (%.0f %%) in stalls that began with a collector pause%n",
                inWindow.size(), pauseMs, longest, lateMillis, over, overInPause, over == 0 ? 0 : 100.0 * overInPause / over);
        if (!inWindow.isEmpty()) {
            double[] ms = inWindow.stream().mapToDouble(p -> (p[1] - p[0]) / 1e6).sorted().toArray();
            System.out.printf("Each pause, ms (eden before → survivors after, old generation grew by, MB):");
            for (long[] p : inWindow) {
                System.out.printf(" %.0f (%.0f → %.1f, %+.1f);", (p[1] - p[0]) / 1e6, p[2] / 1e6, p[4] / 1e6, p[5] / 1e6);
            }
            System.out.printf(" median %.0f ms%n", ms[ms.length / 2]);
        }
        episodes.sort((x, y) -> Long.compare(y.maxLate(), x.maxLate()));
        System.out.printf("Worst stalls (at s into the window, and JVM uptime s to match -Xlog's uptime: driver lateness up to ms, lasting ms, "
                + "slots %.0f ms late or more, collector pause ms from its start to its worst slot):%n", lateMillis);
        for (Episode e : episodes.subList(0, Math.min(top, episodes.size()))) {
            System.out.printf("  %.2f s (uptime %.3f s): %.1f ms late, %.0f ms, %d slots, pause %.1f ms%n", (e.firstDue() - windowStart) / 1e9,
                    pauses.uptimeSeconds(e.firstDue()), e.maxLate() / 1e6, (e.lastDue() - e.firstDue()) / 1e6, e.counted(), e.pauseMs());
        }
    }
}
