package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The harness's own detectors: each must see the fault it exists for. */
class ChaosHarnessTest {

    @Test
    void anExceptionThatIsOnlyLoggedIsAViolation() {
        ChaosReport report = ChaosHarness.builder().seed(42).sessions(2).concurrency(2).timeScale(10)
                .sessionLength(Duration.ofSeconds(2), Duration.ofSeconds(3))
                .customize((b, r) -> b.listener(new SessionListener() {
                    @Override
                    public void onStateChanged(StateChange change) {
                        throw new IllegalStateException("listener bug");
                    }
                }))
                .build().run();
        assertThat(report.counts()).containsKey(Violation.Invariant.EXCEPTION_ONLY_LOGGED);
        assertThat(report.seed()).isEqualTo(42);
        assertThat(report.sessionMinutes()).isPositive();
        assertThatThrownBy(report::assertNoViolations).isInstanceOf(AssertionError.class).hasMessageContaining("seed=42");
    }

    @Test
    void standardStreamsWatchReportsErrorsAndStackTracesButNotWarnings() {
        LogWatch watch = LogWatch.standardStreams();
        watch.start();
        System.err.println("[main] WARN x - retrying");
        System.err.println("[main] ERROR x - session s1: boom");
        new IllegalStateException("only logged").printStackTrace();
        List<String> found = watch.stop();
        assertThat(found).hasSize(2);
        assertThat(found.get(0)).contains("ERROR", "s1");
        assertThat(found.get(1)).startsWith("java.lang.IllegalStateException: only logged").contains("at io.parley.testing");
    }

    @Test
    void latenciesStayWithinTheirShape() {
        Random r = new Random(1);
        Latency uniform = Latency.uniform(Duration.ofMillis(10), Duration.ofMillis(20));
        Latency logNormal = Latency.logNormal(Duration.ofMillis(100), Duration.ofMillis(400));
        long above = 0;
        for (int i = 0; i < 10_000; i++) {
            assertThat(uniform.sample(r)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
            if (logNormal.sample(r).compareTo(Duration.ofMillis(400)) > 0) {
                above++;
            }
        }
        assertThat(above).as("about 1 % above the p99").isBetween(40L, 200L);
        assertThat(Latency.fixed(Duration.ofMillis(5)).withSpikes(1, Duration.ofSeconds(2)).sample(r)).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> Latency.uniform(Duration.ofMillis(2), Duration.ofMillis(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
