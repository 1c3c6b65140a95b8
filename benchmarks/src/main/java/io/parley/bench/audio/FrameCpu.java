package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * CPU time of the inbound path's DSP per 20 ms frame, measured by the measuring thread's own
 * CPU clock rather than by the wall clock: on a machine shared with other busy processes a
 * wall-clock benchmark (JMH's average time) counts the time the thread waited for a core, which
 * here is often more than the work itself. One thread serves {@code streams} callers in turn,
 * as a load driver serves its sessions (the callers of {@link VadStreamsBenchmark}: 1.5 s of a
 * recording every 6 s, faint noise between), so at 2,000 streams each stream's state is cold in
 * the cache.
 *
 * <p>Components: {@code vad} ({@link DspVad}), {@code prosody} ({@link ProsodyTracker}, frames
 * marked voiced where the VAD's probability reaches 0.5, worked out beforehand), and
 * {@code both} (the VAD, then the tracker with the VAD's verdict on the same frame, as the
 * session's inbound path runs them), {@code session} (the load harness's sessions, the whole
 * inbound path from the transport's hand-over: {@link io.parley.bench.session.SessionFrames}).
 * After a warm-up it measures {@code rounds} rounds and prints
 * each round's CPU and wall time per frame, then the median and the least CPU time. Other
 * processes still share the caches and the core's other hyperthread, so compare builds in
 * interleaved runs.
 *
 * <p>Run: {@code java -cp <benchmarks classes and classpath> io.parley.bench.audio.FrameCpu vad|prosody|both|session
 * [streams 2000] [rounds 10] [seconds per round 2] [warm-up seconds 10]}
 */
public final class FrameCpu {

    private FrameCpu() {
    }

    public static void main(String[] args) throws Exception {
        String component = args.length > 0 ? args[0] : "both";
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        long roundNanos = (args.length > 3 ? Long.parseLong(args[3]) : 2) * 1_000_000_000L;
        long warmupNanos = (args.length > 4 ? Long.parseLong(args[4]) : 10) * 1_000_000_000L;
        IntSupplier op = frames(component, streams);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = run(op, warmupNanos, threads)[2];
        double[] cpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long[] r = run(op, roundNanos, threads);
            cpu[i] = (double) r[0] / r[2];
            sink += r[3];
            System.out.printf(Locale.ROOT, "round %d: %.0f ns CPU, %.0f ns wall per frame (%d frames)%n",
                    i + 1, cpu[i], (double) r[1] / r[2], r[2]);
        }
        double[] sorted = cpu.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%s, %d streams: CPU per frame median %.0f ns, least %.0f ns, over %d rounds (%d)%n",
                component, streams, sorted[rounds / 2], sorted[0], rounds, sink % 2);
    }

    /**
     * The work of one frame of {@code component} ({@code vad}, {@code prosody} or {@code both})
     * for the next of {@code streams} callers in turn, as one call; it returns something derived
     * from the result, so that the work is not dropped.
     *
     * @throws IllegalArgumentException for an unknown component
     * @throws java.io.IOException if a recording cannot be read
     */
    static IntSupplier frames(String component, int streams) throws java.io.IOException {
        if (component.equals("session")) {
            return io.parley.bench.session.SessionFrames.frames(streams);
        }
        CallerTimeline timeline = new CallerTimeline();
        boolean[] voiced = voicing(timeline);
        CallerTimeline.Callers callers = timeline.new Callers(streams);
        Vad[] vads = new Vad[streams];
        ProsodyTracker[] trackers = new ProsodyTracker[streams];
        for (int s = 0; s < streams; s++) {
            vads[s] = DspVad.defaults().create(CallerTimeline.FORMAT);
            trackers[s] = new ProsodyTracker(CallerTimeline.FORMAT);
        }
        return switch (component) {
            case "vad" -> () -> {
                int s = callers.advance();
                return vads[s].process(callers.frame(s)).speech() ? 1 : 0;
            };
            case "prosody" -> () -> {
                int s = callers.advance();
                trackers[s].process(callers.frame(s), voiced[callers.latest(s)]);
                return 0;
            };
            case "both" -> () -> {
                int s = callers.advance();
                AudioFrame f = callers.frame(s);
                VadResult r = vads[s].process(f);
                trackers[s].process(f, r.probability() >= 0.5f);
                return r.speech() ? 1 : 0;
            };
            default -> throw new IllegalArgumentException("component must be vad, prosody, both or session, was " + component);
        };
    }

    /**
     * {@link #frames} run by this class's own loop: given nanoseconds of wall time, runs frames
     * for about that long and returns CPU ns, wall ns, frames and the results' sum. For {@link
     * FrameCpuPair}: each build then runs its frames from a loop compiled for its own code only.
     *
     * @throws IllegalArgumentException for an unknown component
     * @throws java.io.IOException if a recording cannot be read
     */
    public static java.util.function.LongFunction<long[]> rounds(String component, int streams) throws java.io.IOException {
        IntSupplier op = frames(component, streams);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return nanos -> run(op, nanos, threads);
    }

    /** Runs frames for about {@code nanos} of wall time; returns CPU ns, wall ns, frames and the results' sum. */
    private static long[] run(IntSupplier op, long nanos, ThreadMXBean threads) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long frames = 0;
        long sum = 0;
        long wall;
        do {
            for (int i = 0; i < 1000; i++) {
                sum += op.getAsInt();
            }
            frames += 1000;
            wall = System.nanoTime() - wall0;
        } while (wall < nanos);
        return new long[] {threads.getCurrentThreadCpuTime() - cpu0, wall, frames, sum};
    }

    /** Per frame of the timeline, whether a detector running through it marks it voiced (probability 0.5 or more). */
    private static boolean[] voicing(CallerTimeline timeline) {
        boolean[] voiced = new boolean[timeline.frames()];
        Vad vad = DspVad.defaults().create(CallerTimeline.FORMAT);
        AudioFrame f = AudioFrame.allocate(CallerTimeline.FORMAT, CallerTimeline.FRAME);
        for (int k = 0; k < voiced.length; k++) {
            timeline.fill(f, k);
            voiced[k] = vad.process(f).probability() >= 0.5f;
        }
        return voiced;
    }
}
