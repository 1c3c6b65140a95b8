package io.parley.testing;

import java.time.Duration;

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
}
