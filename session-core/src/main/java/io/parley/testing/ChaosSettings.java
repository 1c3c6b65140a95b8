package io.parley.testing;

import java.time.Duration;
import java.util.Random;

/** The fault and latency model of one chaos run, shared by its fakes. Immutable. */
record ChaosSettings(
        Latency connect,
        Latency interim,
        Latency fin,
        Latency agentFirstText,
        Latency ttsFirstAudio,
        double openFailure,
        double streamFailuresPerMinute,
        double disconnectsPerMinute,
        double sendFailuresPerMinute,
        double agentFailure,
        double ttsHang,
        double apiCallsPerMinute,
        double audioStallsPerMinute) {

    /** Probability that an event with {@code perMinute} rate happens within {@code nanos}. */
    static double chance(double perMinute, long nanos) {
        return perMinute * nanos / (double) Duration.ofMinutes(1).toNanos();
    }

    /**
     * How long until the next event of a Poisson process with {@code perMinute} rate: drawn once
     * per event, instead of a {@link #chance} drawn per frame, for the same rate
     * ({@link Long#MAX_VALUE} for a rate of 0).
     */
    static long nanosUntilNext(double perMinute, Random random) {
        if (perMinute <= 0) {
            return Long.MAX_VALUE;
        }
        double nanos = -Math.log(1 - random.nextDouble()) / perMinute * Duration.ofMinutes(1).toNanos();
        return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }
}
