package io.parley.testing;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ChaosHarness} run did and found.
 *
 * @param seed           the seed the run derived everything from
 * @param sessions       sessions run
 * @param sessionMinutes session-clock minutes from each session's first {@code start()} to its
 *                       final {@code stop()} returning, summed; on a machine that cannot feed the
 *                       sessions in time it includes their waiting for late audio
 * @param inputMinutes   the sessions' scripted input (the user's speech and pauses and the API
 *                       calls among them), summed: what they would take on a machine that keeps up
 * @param wallTime       how long the run took
 * @param worstFeedGap   how late, at worst, a chunk or frame of any session's audio was delivered
 *                       after it was complete (and after a stall fault released it), in session
 *                       time: about one feeder tick when the machine keeps up; much more means
 *                       the run was too big for the machine and audio came in bursts
 * @param worstPoolLag   how late, at worst, a timer of the sessions' clock fired, in session time:
 *                       how far the sessions' event loops fell behind the clock
 * @param violations     every broken invariant, in no particular order
 */
public record ChaosReport(long seed, int sessions, double sessionMinutes, double inputMinutes, Duration wallTime, Duration worstFeedGap,
                          Duration worstPoolLag, List<Violation> violations) {

    public ChaosReport {
        Objects.requireNonNull(wallTime, "wallTime");
        Objects.requireNonNull(worstFeedGap, "worstFeedGap");
        Objects.requireNonNull(worstPoolLag, "worstPoolLag");
        violations = List.copyOf(violations);
    }

    /** Violations per invariant. */
    public Map<Violation.Invariant, Integer> counts() {
        Map<Violation.Invariant, Integer> m = new EnumMap<>(Violation.Invariant.class);
        for (Violation v : violations) {
            m.merge(v.invariant(), 1, Integer::sum);
        }
        return m;
    }

    /**
     * Throws if anything was found.
     *
     * @throws AssertionError listing up to three violations of each kind, the counts and the seed
     */
    public void assertNoViolations() {
        if (!violations.isEmpty()) {
            StringBuilder sb = new StringBuilder(summary()).append('\n');
            for (Violation.Invariant inv : counts().keySet()) {
                violations.stream().filter(v -> v.invariant() == inv).limit(3)
                        .forEach(v -> sb.append("  ").append(v).append('\n'));
            }
            sb.append("replay one session: ChaosHarness.builder().seed(").append(seed).append("L).onlySession(N)");
            throw new AssertionError(sb.toString());
        }
    }

    /** One line: seed, size, time and violation counts. */
    public String summary() {
        return String.format("chaos seed=%d: %d sessions, %.0f session-minutes (%.0f of scripted input) in %.1f s wall (audio at most %d ms late, timers at most %d ms), %d violations %s",
                seed, sessions, sessionMinutes, inputMinutes, wallTime.toMillis() / 1000.0, worstFeedGap.toMillis(), worstPoolLag.toMillis(),
                violations.size(), counts());
    }

    @Override
    public String toString() {
        return summary();
    }
}
