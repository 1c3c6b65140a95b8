package io.parley.time;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RealTimePlayoutTest {

    private static final long MS = 1_000_000L;

    @Test
    void playsQueuedSamplesAtTheSampleRateWithPauseAndClear() {
        RealTimePlayout p = new RealTimePlayout(16_000, 1);
        p.enqueue(16_000, 0);
        assertThat(p.played(250 * MS)).isEqualTo(4_000);
        p.pause(250 * MS);
        assertThat(p.played(900 * MS)).isEqualTo(4_000);
        p.resume(900 * MS);
        assertThat(p.played(1_150 * MS)).isEqualTo(8_000);
        assertThat(p.nanosUntilDrained(1_150 * MS)).isEqualTo(500 * MS);
        assertThat(p.clear(1_150 * MS)).isEqualTo(8_000);
        assertThat(p.played(5_000 * MS)).isEqualTo(8_000);
        assertThat(p.nanosUntilDrained(5_000 * MS)).isEqualTo(-1);
    }

    @Test
    void idleTimeIsNotCountedAsPlayback() {
        RealTimePlayout p = new RealTimePlayout(8_000, 2);
        p.enqueue(160, 0);
        assertThat(p.played(1_000 * MS)).isEqualTo(160);
        p.enqueue(160, 2_000 * MS);
        assertThat(p.played(2_005 * MS)).isEqualTo(240);
    }

    @Test
    void fractionalSamplesDoNotDrift() {
        RealTimePlayout p = new RealTimePlayout(44_100, 1);
        p.enqueue(1_000_000, 0);
        long t = 0;
        for (int i = 0; i < 1000; i++) {
            t += 7_777_777L;
            p.played(t);
        }
        assertThat(p.played(t)).isEqualTo(t * 44_100 / 1_000_000_000L);
    }
}
