package io.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NoiseFloorTrackerTest {

    private static final int BINS = 58;

    @Test
    void presenceDecaysToZeroWithoutPassingThroughDenormals() {
        NoiseFloorTracker tracker = new NoiseFloorTracker(BINS, 120, 13, 0.8f, 1.8f, 1e-10f);
        Random random = new Random(7);
        float[] power = new float[BINS];
        int denormals = 0;
        for (int hop = 0; hop < 400; hop++) {
            // Steady noise, with a loud burst in every bin from hop 100 to 110.
            float level = hop >= 100 && hop < 110 ? 1e4f : 1f;
            for (int k = 0; k < BINS; k++) {
                float g = (float) random.nextGaussian();
                power[k] = level * (0.5f + 0.1f * g * g) * 1e-6f;
            }
            tracker.update(power);
            for (float q : tracker.presence()) {
                if (q != 0 && q < Float.MIN_NORMAL) {
                    denormals++;
                }
            }
        }
        assertThat(denormals).isZero();
        assertThat(tracker.presence()).containsOnly(0f);
    }
}
