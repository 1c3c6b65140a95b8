package io.parley.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stall report counts collector pauses, not concurrent collectors' whole cycles, and finds the pause a stall grew from. */
class LateSlotsTest {

    private static final long MS = 1_000_000L;

    /**
     * A stall as quiet 2,000-session runs showed them: the driver is a little late (2.5 ms,
     * another thread had the core) for a slot, and a G1 young pause of 35 ms starts 8 ms later,
     * within the same episode; the slots due during the pause are woken up to 38 ms late.
     */
    @Test
    void aPauseThatBeginsAfterTheEpisodesFirstSlotIsFoundUpToItsWorstSlot() {
        long t0 = 10_000 * MS;
        long[][] slots = {
            {t0, 2_500_000L},
            {t0 + 5 * MS, 3 * MS},
            {t0 + 10 * MS, 38 * MS},
            {t0 + 11 * MS, 37 * MS},
            {t0 + 12 * MS, 36 * MS},
        };
        LateSlots.Pauses pauses = new LateSlots.Pauses();
        pauses.add(new long[] {t0 + 8 * MS, t0 + 43 * MS});
        pauses.add(new long[] {t0 + 500 * MS, t0 + 530 * MS});

        List<LateSlots.Episode> episodes = LateSlots.episodes(slots, pauses, 10);

        assertThat(episodes).hasSize(1);
        LateSlots.Episode e = episodes.get(0);
        assertThat(e.maxLate()).isEqualTo(38 * MS);
        assertThat(e.counted()).isEqualTo(3);
        assertThat(e.pauseMs()).isEqualTo(35.0);
    }

    @Test
    void aStallWithNoPauseBeforeItsWorstSlotHasNone() {
        long t0 = 10_000 * MS;
        long[][] slots = {{t0, 12 * MS}, {t0 + 5 * MS, 14 * MS}, {t0 + 100 * MS, 3 * MS}};
        LateSlots.Pauses pauses = new LateSlots.Pauses();
        // Begins after the worst slot's wake-up (t0 + 19 ms).
        pauses.add(new long[] {t0 + 25 * MS, t0 + 45 * MS});

        List<LateSlots.Episode> episodes = LateSlots.episodes(slots, pauses, 10);

        assertThat(episodes).hasSize(2);
        assertThat(episodes.get(0).pauseMs()).isZero();
        assertThat(episodes.get(0).counted()).isEqualTo(2);
        assertThat(episodes.get(1).pauseMs()).isZero();
    }

    @Test
    void concurrentCyclesAreNotCountedAsPausesButTheirPausesAre() {
        assertThat(LateSlots.Pauses.reportsPauses("ZGC Cycles")).isFalse();
        assertThat(LateSlots.Pauses.reportsPauses("Shenandoah Cycles")).isFalse();
        assertThat(LateSlots.Pauses.reportsPauses("G1 Concurrent GC")).isFalse();
        assertThat(LateSlots.Pauses.reportsPauses("ZGC Pauses")).isTrue();
        assertThat(LateSlots.Pauses.reportsPauses("Shenandoah Pauses")).isTrue();
        assertThat(LateSlots.Pauses.reportsPauses("G1 Young Generation")).isTrue();
        assertThat(LateSlots.Pauses.reportsPauses("G1 Old Generation")).isTrue();
        assertThat(LateSlots.Pauses.reportsPauses("PS Scavenge")).isTrue();
    }

    /**
     * The collectors' clock is not the runtime bean's uptime (JDK 17: about 120 ms behind it);
     * a pause is placed on {@link System#nanoTime()} by the notifications' arrivals, the
     * earliest after its pause's end giving the offset.
     */
    @Test
    void reportedPausesArePlacedByWhenTheirNotificationsArrived() {
        LateSlots.Pauses pauses = new LateSlots.Pauses();
        long zero = 5_000 * MS;
        // Reported at 1,000-1,028 ms on the collectors' clock, its notification 3 ms after the end.
        pauses.reported(zero + 1_031 * MS, new long[] {1_000, 1_028});
        // Another arrives 1 ms after its end: the offset is that.
        pauses.reported(zero + 2_041 * MS, new long[] {2_020, 2_040});

        List<long[]> placed = pauses.between(zero, zero + 3_000 * MS);

        assertThat(placed).hasSize(2);
        assertThat(placed.get(0)[0]).isEqualTo(zero + 1_001 * MS);
        assertThat(placed.get(0)[1]).isEqualTo(zero + 1_029 * MS);
        assertThat(placed.get(1)[0]).isEqualTo(zero + 2_021 * MS);
        // A stall that began at the pause is matched to it.
        long[][] slots = {{zero + 1_005 * MS, 25 * MS}, {zero + 1_010 * MS, 20 * MS}};
        assertThat(LateSlots.episodes(slots, pauses, 10).get(0).pauseMs()).isEqualTo(28.0);
    }
}
