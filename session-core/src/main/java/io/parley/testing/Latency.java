package io.parley.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * A random delay distribution for fake providers: how long a connect, a first result or a
 * final transcript takes. Immutable; draws come from the caller's {@link Random}, so a seeded
 * run draws the same delays again.
 */
public abstract class Latency {

    private Latency() {
    }

    /** Draws one delay in nanoseconds. */
    public abstract long sampleNanos(Random random);

    /** Draws one delay. */
    public Duration sample(Random random) {
        return Duration.ofNanos(sampleNanos(random));
    }

    /** Always {@code d}. */
    public static Latency fixed(Duration d) {
        long n = nonNegative(d, "d");
        return new Latency() {
            @Override
            public long sampleNanos(Random random) {
                return n;
            }

            @Override
            public String toString() {
                return "fixed(" + d + ")";
            }
        };
    }

    /** Uniform between {@code min} and {@code max}. */
    public static Latency uniform(Duration min, Duration max) {
        long lo = nonNegative(min, "min");
        long hi = nonNegative(max, "max");
        if (hi < lo) {
            throw new IllegalArgumentException("max " + max + " is below min " + min);
        }
        return new Latency() {
            @Override
            public long sampleNanos(Random random) {
                return lo + (long) (random.nextDouble() * (hi - lo));
            }

            @Override
            public String toString() {
                return "uniform(" + min + ".." + max + ")";
            }
        };
    }

    /**
     * Log-normal with the given median and 99th percentile: mostly near the median with the
     * long tail real network calls have.
     */
    public static Latency logNormal(Duration median, Duration p99) {
        long m = nonNegative(median, "median");
        long p = nonNegative(p99, "p99");
        if (m <= 0 || p < m) {
            throw new IllegalArgumentException("need 0 < median <= p99, was " + median + ", " + p99);
        }
        double mu = Math.log(m);
        double sigma = (Math.log(p) - mu) / 2.326;
        return new Latency() {
            @Override
            public long sampleNanos(Random random) {
                return (long) Math.exp(mu + sigma * random.nextGaussian());
            }

            @Override
            public String toString() {
                return "logNormal(median " + median + ", p99 " + p99 + ")";
            }
        };
    }

    /** This distribution, but with probability {@code p} the delay is {@code spike} instead (a stall). */
    public Latency withSpikes(double p, Duration spike) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be within 0..1, was " + p);
        }
        long s = nonNegative(spike, "spike");
        Latency base = this;
        return new Latency() {
            @Override
            public long sampleNanos(Random random) {
                return random.nextDouble() < p ? s : base.sampleNanos(random);
            }

            @Override
            public String toString() {
                return base + " with " + p + " spikes of " + spike;
            }
        };
    }

    private static long nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d.toNanos();
    }
}
