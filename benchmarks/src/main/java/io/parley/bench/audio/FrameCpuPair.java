package io.parley.bench.audio;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * {@link FrameCpu} for two builds in one process, in alternating rounds: A then B, then B then
 * A, and so on. On this project's shared 2-core machine the CPU per frame of one build drifts by
 * 15-30 % between runs minutes apart (other processes, the core's other hyperthread, the
 * hypervisor), which hides a change of ten percent; rounds a second apart in one process see
 * nearly the same machine. Measured with the same build as A and B (vad, 2,000 streams, 8
 * pairs, load 0.1-1.6): median B/A 1.011 and 1.037, single pairs 0.87-1.37; so a median
 * ratio is good to about 5 %, single pairs are not.
 *
 * <p>Each build is loaded from its own class path (a file holding one path, entries separated
 * by the path separator: the build's session-core classes, these benchmarks' classes and their
 * dependencies) by a class loader of its own, so the two share no class; each gets its own
 * {@code streams} callers. Prints every pair's ns per frame for A and B and their ratio, then
 * the medians.
 *
 * <p>Run: {@code java -cp <benchmarks classes> io.parley.bench.audio.FrameCpuPair <class path
 * file A> <class path file B> vad|prosody|both|session [streams 2000] [pairs 8] [seconds per round 1]
 * [warm-up seconds per build 4]}
 */
public final class FrameCpuPair {

    private FrameCpuPair() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: FrameCpuPair <class path file A> <class path file B> vad|prosody|both|session"
                    + " [streams] [pairs] [seconds per round] [warm-up seconds]");
        }
        String component = args[2];
        int streams = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        int pairs = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        long roundNanos = (args.length > 5 ? Long.parseLong(args[5]) : 1) * 1_000_000_000L;
        long warmupNanos = (args.length > 6 ? Long.parseLong(args[6]) : 4) * 1_000_000_000L;
        LongFunction<long[]> a = load(Path.of(args[0]), component, streams);
        LongFunction<long[]> b = load(Path.of(args[1]), component, streams);
        long sink = 0;
        // Warmed in slices, in turn, so that neither build is compiled under the other's load alone.
        for (long done = 0; done < warmupNanos; done += roundNanos) {
            sink += a.apply(roundNanos)[3];
            sink += b.apply(roundNanos)[3];
        }
        double[] cpuA = new double[pairs];
        double[] cpuB = new double[pairs];
        double[] ratio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            boolean aFirst = i % 2 == 0;
            long[] first = (aFirst ? a : b).apply(roundNanos);
            long[] second = (aFirst ? b : a).apply(roundNanos);
            long[] ra = aFirst ? first : second;
            long[] rb = aFirst ? second : first;
            cpuA[i] = (double) ra[0] / ra[2];
            cpuB[i] = (double) rb[0] / rb[2];
            ratio[i] = cpuB[i] / cpuA[i];
            sink += ra[3] + rb[3];
            System.out.printf(Locale.ROOT, "pair %d (%s first): A %.0f ns, B %.0f ns CPU per frame, B/A %.3f%n",
                    i + 1, aFirst ? "A" : "B", cpuA[i], cpuB[i], ratio[i]);
        }
        System.out.printf(Locale.ROOT, "%s, %d streams each, %d pairs: median A %.0f ns, B %.0f ns CPU per frame; median B/A %.3f (least %.3f, most %.3f) (%d)%n",
                component, streams, pairs, median(cpuA), median(cpuB), median(ratio),
                Arrays.stream(ratio).min().orElse(Double.NaN), Arrays.stream(ratio).max().orElse(Double.NaN), sink % 2);
    }

    /**
     * {@link FrameCpu#rounds} of the build on the class path named in {@code file}: its own
     * loop, so that neither build's calls share a call site (and its profile) with the other's.
     */
    @SuppressWarnings("unchecked")
    private static LongFunction<long[]> load(Path file, String component, int streams) throws Exception {
        String[] entries = Files.readString(file).trim().split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        // The platform loader as parent: nothing of Parley's is shared with the other build.
        ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        Class<?> frameCpu = Class.forName(FrameCpu.class.getName(), true, loader);
        return (LongFunction<long[]>) frameCpu.getMethod("rounds", String.class, int.class).invoke(null, component, streams);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
