package io.parley.bench.session;

import io.parley.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The platform's share of any hand-off to a session's event loop: an empty task handed from
 * this thread to the production clock's idle loop pool, timed until it has run. No Parley code
 * runs in between, so this is what the operating system and the JVM charge for waking a parked
 * thread at that moment; the latency benchmarks that include one such hand-off
 * ({@code AgentFirstTokenBenchmark}, the turn overhead) cannot have a shorter tail than this
 * on the same machine. Run it beside them:
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.args="LoopWakeBenchmark -f 1 -wi 2 -i 5 -w 2s -r 2s"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoopWakeBenchmark {

    private final Clock clock = Clock.system();
    private volatile boolean ran;
    private final Runnable task = () -> ran = true;

    /** Lets the pool's threads park again, as they are between a reply's events. */
    @Setup(Level.Invocation)
    public void idle() {
        ran = false;
        LockSupport.parkNanos(200_000L);
    }

    @Benchmark
    public boolean handOffToAnIdleLoopThread() {
        clock.execute(task);
        while (!ran) {
            Thread.onSpinWait();
        }
        return ran;
    }
}
