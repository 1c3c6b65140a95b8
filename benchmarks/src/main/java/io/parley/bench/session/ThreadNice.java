package io.parley.bench.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The OS priority (nice) the process's threads actually run at, by kind of thread, read on
 * Linux from {@code /proc/self/task/<tid>/stat}. Java's {@link Thread#setPriority} reaches the
 * OS only with {@code -XX:ThreadPriorityPolicy=1}, and a thread may also have been reniced from
 * outside, so the harness reports what the kernel saw rather than what was asked for.
 */
final class ThreadNice {

    /** Thread names as the kernel keeps them (the first 15 characters), and the kind they are. */
    private static final String[][] KINDS = {
            {"load-driver-", "drivers"},
            {"parley-loop-pac", "pacers"},
            {"parley-loop-", "event loops"},
            {"parley-user-", "blocking pool"},
    };

    private ThreadNice() {
    }

    /**
     * One line: for each kind of thread, the distinct nice values its live threads have, e.g.
     * {@code drivers 0, event loops 4, pacers 4, blocking pool 4}; or why it cannot be read.
     */
    static String describe() {
        Map<String, TreeSet<Integer>> byKind = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm;
                String stat;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    // The thread ended between the listing and the read.
                    continue;
                }
                for (String[] k : KINDS) {
                    if (comm.startsWith(k[0])) {
                        byKind.computeIfAbsent(k[1], x -> new TreeSet<>()).add(nice(stat));
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        }
        StringBuilder line = new StringBuilder();
        for (String[] k : KINDS) {
            TreeSet<Integer> values = byKind.get(k[1]);
            if (values != null) {
                line.append(line.length() == 0 ? "" : ", ").append(k[1]).append(' ')
                        .append(values.toString().replaceAll("[\\[\\] ]", ""));
            }
        }
        return line.toString();
    }

    /** Field 19 of a task's stat line; the fields after the command name, which may hold spaces, start at 3. */
    static int nice(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[19 - 3]);
    }
}
