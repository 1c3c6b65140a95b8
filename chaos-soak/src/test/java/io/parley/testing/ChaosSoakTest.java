package io.parley.testing;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine on real threads under random faults and random API calls: at least 10,000
 * session-minutes (session clock, see {@link ChaosHarness}) with zero invariant violations.
 * It has its own module, which depends only on session-core, so that {@code mvn -T 1C verify}
 * runs it beside the other modules' tests (skip it with {@code -pl '!chaos-soak'}). Override the
 * size with {@code -Dparley.chaos.sessions=N} (and {@code parley.chaos.concurrency},
 * {@code parley.chaos.scale}, {@code parley.chaos.audioStalls} per minute) and the seed with {@code -Dparley.chaos.seed=S} to replay a
 * failure ({@code -Dparley.chaos.only=INDEX} for one session).
 *
 * <p>Sized so that its two feeders keep up on two cores while the rest of the suite runs: 440 sessions
 * at a time, ten times faster than real time (4,400 real-time sessions), about 1.1 cores and 2.5 to 3
 * minutes alone, with audio at most a few seconds late. A session-minute then costs what it costs in
 * real time, every 10-60 ms of audio and every timer waking a thread: about 16-19 CPU-seconds per
 * 1,000 session-minutes, of which 18-20 CPU-seconds a run are the JIT compilers'. A run sized beyond
 * what the machine can feed (the former 420 sessions at 40 times real time) looked about half as
 * dear per session-minute only because its audio came minutes late in large bursts (threads that
 * never idle, warm caches) and its sessions' waiting counted as session-minutes. The summary line
 * says how late the harness delivered audio and how late the sessions' timers fired at worst. On a
 * machine that cannot keep up, audio comes in bursts, and the harness's checks wait on the sessions'
 * own clock and for the feeders to come round, so they judge a session only on work it has had the
 * CPU to do.
 */
class ChaosSoakTest {

    @Test
    void tenThousandSessionMinutesWithoutViolations() {
        ChaosHarness.Builder b = ChaosHarness.builder()
                .sessions(Integer.getInteger("parley.chaos.sessions", 5000))
                .concurrency(Integer.getInteger("parley.chaos.concurrency", 440))
                .timeScale(Double.parseDouble(System.getProperty("parley.chaos.scale", "10")))
                .sessionLength(Duration.ofSeconds(60), Duration.ofSeconds(180))
                .audioStallsPerMinute(Double.parseDouble(System.getProperty("parley.chaos.audioStalls", "0.3")))
                .feederThreads(2)
                .actorThreads(16);
        Long seed = Long.getLong("parley.chaos.seed");
        if (seed != null) {
            b.seed(seed);
        }
        Integer only = Integer.getInteger("parley.chaos.only");
        if (only != null) {
            b.onlySession(only);
        }
        long cpu0 = processCpuNanos();
        ChaosReport report = b.build().run();
        System.out.println(report.summary());
        System.out.printf("process CPU during the run: %.1f s%n", (processCpuNanos() - cpu0) / 1e9);
        report.violations().forEach(System.out::println);
        report.assertNoViolations();
        if (only == null && !Boolean.getBoolean("parley.chaos.small")) {
            assertThat(report.sessionMinutes()).isGreaterThanOrEqualTo(10_000);
        }
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
