package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Inbound frames are dated by their place in the stream, whenever they arrive. */
class CaptureClockTest {

    private static final long MS = 1_000_000L;
    private static final long FRAME = 20 * MS;

    private final CaptureClock clock = new CaptureClock();

    @Test
    void framesOnTimeWereCapturedWhenTheyArrived() {
        for (int k = 1; k <= 100; k++) {
            long arrival = 5_000 * MS + k * FRAME + (k % 3) * MS;
            assertThat(clock.captureEnd(arrival, FRAME)).isLessThanOrEqualTo(arrival).isGreaterThanOrEqualTo(arrival - 2 * MS);
        }
    }

    @Test
    void framesHeldBackAndDeliveredTogetherKeepTheirPlaceInTheStream() {
        long t0 = 1_000 * MS;
        for (int k = 1; k <= 50; k++) {
            assertThat(clock.captureEnd(t0 + k * FRAME, FRAME)).isEqualTo(t0 + k * FRAME);
        }
        // Frames 51..75 (500 ms) held, all delivered when frame 75 is captured.
        long burst = t0 + 75 * FRAME;
        for (int k = 51; k <= 75; k++) {
            assertThat(clock.captureEnd(burst, FRAME)).isEqualTo(t0 + k * FRAME);
        }
        assertThat(clock.captureEnd(t0 + 76 * FRAME, FRAME)).isEqualTo(t0 + 76 * FRAME);
    }

    @Test
    void aStreamMoreThanTheLongestHoldLateStartsANewTimelineAndOneFedFasterThanRealTimeIsOnTime() {
        long t0 = 1_000 * MS;
        for (int k = 1; k <= 10; k++) {
            clock.captureEnd(t0 + k * FRAME, FRAME);
        }
        // Two seconds with no audio, then the stream goes on: a gap, not a hold.
        long resumed = t0 + 10 * FRAME + 2_000 * MS + FRAME;
        assertThat(clock.captureEnd(resumed, FRAME)).isEqualTo(resumed);
        // A file pushed in all at once: each frame as it arrives.
        for (int k = 1; k <= 10; k++) {
            assertThat(clock.captureEnd(resumed + k * MS, FRAME)).isEqualTo(resumed + k * MS);
        }
    }

    @Test
    void aShorterGapIsTakenForAHoldOnlyUntilTheWindowHasPassed() {
        long t0 = 1_000 * MS;
        for (int k = 1; k <= 10; k++) {
            clock.captureEnd(t0 + k * FRAME, FRAME);
        }
        long gap = 300 * MS;
        long last = 0;
        for (int k = 11; k <= 100; k++) {
            long arrival = t0 + k * FRAME + gap;
            last = clock.captureEnd(arrival, FRAME);
            if (k == 30) {
                // Indistinguishable so far from frames held back 300 ms.
                assertThat(last).isEqualTo(arrival - gap);
            }
        }
        assertThat(last).isEqualTo(t0 + 100 * FRAME + gap);
    }
}
