package io.parley.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpeechLevelTrackerTest {

    @Test
    void theLevelIsTheNinetiethPercentileOfTheLastHopsOnceTheRingHasWrapped() {
        SpeechLevelTracker tracker = new SpeechLevelTracker(100);
        assertThat(tracker.level()).isEqualTo(Float.NEGATIVE_INFINITY);
        // 100 hops at -20 dB, then 100 at -60..-41 dB: the first ones must be forgotten.
        for (int i = 0; i < 100; i++) {
            tracker.add(-20f);
        }
        assertThat(tracker.level()).isEqualTo(-20f);
        for (int i = 0; i < 100; i++) {
            tracker.add(-60f + i % 20);
        }
        // Ten of every 100 hops at -42 dB and above: the 90th percentile is -42 dB.
        assertThat(tracker.level()).isEqualTo(-42f);
    }

    @Test
    void aResetTrackerWaitsForAnEighthOfItsCapacityAgain() {
        SpeechLevelTracker tracker = new SpeechLevelTracker(80);
        for (int i = 0; i < 200; i++) {
            tracker.add(-30f);
        }
        tracker.reset();
        for (int i = 0; i < 9; i++) {
            tracker.add(-30f);
        }
        assertThat(tracker.level()).isEqualTo(Float.NEGATIVE_INFINITY);
        tracker.add(-30f);
        assertThat(tracker.level()).isEqualTo(-30f);
    }
}
