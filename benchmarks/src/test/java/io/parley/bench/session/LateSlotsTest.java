package io.parley.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The stall report counts collector pauses, not concurrent collectors' whole cycles. */
class LateSlotsTest {

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
}
