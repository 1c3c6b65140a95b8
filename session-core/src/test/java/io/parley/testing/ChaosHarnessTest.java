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

    /**
     * A run with a session-minutes target stops starting sessions once the minutes run so far
     * reach it; the sessions it started run to their end, in index order, so each replays alone.
     */
    @Test
    void aSessionMinutesTargetEndsTheRunEarly() {
        ChaosReport report = ChaosHarness.builder().seed(7).sessions(200).concurrency(4).timeScale(40)
                .sessionLength(Duration.ofSeconds(2), Duration.ofSeconds(3))
                .sessionMinutes(0.5)
                .build().run();
        assertThat(report.sessionMinutes()).isGreaterThanOrEqualTo(0.5);
        assertThat(report.sessions()).isBetween(4, 40);
        assertThat(report.inputMinutes()).isPositive().isLessThanOrEqualTo(report.sessionMinutes());
        report.assertNoViolations();
        assertThatThrownBy(() -> ChaosHarness.builder().sessionMinutes(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A machine that cannot keep up: the feeders deliver each session's audio seconds late, in
     * large bursts (here the VAD holds the feeder 1 ms per frame of audio, so a feeder takes
     * several wall seconds to come round, each time hundreds of session-seconds behind). The
     * harness must wait for a session's audio before judging whether it settled, not report
     * the user as still speaking because their last words had not been delivered yet.
     */
    @Test
    void aFeederFarBehindIsWaitedForBeforeASessionIsJudged() {
        ChaosReport report = ChaosHarness.builder().seed(3).sessions(8).concurrency(8).timeScale(40)
                .sessionLength(Duration.ofSeconds(20), Duration.ofSeconds(30))
                .settleBound(Duration.ofSeconds(10))
                .openFailure(0).streamFailuresPerMinute(0).disconnectsPerMinute(0).sendFailuresPerMinute(0)
                .agentFailure(0).ttsHang(0).apiCallsPerMinute(0).audioStallsPerMinute(0)
                .customize((b, r) -> b.vad(new SlowVad()))
                .build().run();
        assertThat(report.worstFeedGap()).as("the feeders fell far behind").isGreaterThan(Duration.ofSeconds(20));
        report.assertNoViolations();
    }

    /** A level detector that takes 1 ms of wall time per frame on the thread that feeds the audio. */
    private static final class SlowVad implements io.parley.spi.VadProvider {
        private final FakeVad levels = new FakeVad(ChaosStt.LOUD_RMS, Duration.ofMillis(100));

        @Override
        public String name() {
            return "slow-vad";
        }

        @Override
        public io.parley.spi.Vad create(io.parley.audio.AudioFormat format) {
            io.parley.spi.Vad vad = levels.create(format);
            return new io.parley.spi.Vad() {
                @Override
                public io.parley.spi.VadResult process(io.parley.audio.AudioFrame frame) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    return vad.process(frame);
                }

                @Override
                public void reset() {
                    vad.reset();
                }
            };
        }
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
