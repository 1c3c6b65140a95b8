package io.parley.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.jtransforms.fft.FloatFFT_1D;
import org.junit.jupiter.api.Test;

class RealFftTest {

    @Test
    void powersMatchALibraryRealTransformAtEverySizeDspVadUses() {
        Random random = new Random(7);
        for (int size : new int[] {4, 8, 128, 256, 512}) {
            float[] x = new float[size];
            float[] window = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = (float) random.nextGaussian();
                window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / size));
            }
            float[] reference = new float[size];
            for (int i = 0; i < size; i++) {
                reference[i] = x[i] * window[i];
            }
            new FloatFFT_1D(size).realForward(reference);
            int count = size / 2 - 1;
            float[] power = new float[count];
            float total = new RealFft(size).power(x, window, 1, count, power);
            float expectedTotal = 0;
            for (int k = 1; k <= count; k++) {
                float expected = reference[2 * k] * reference[2 * k] + reference[2 * k + 1] * reference[2 * k + 1];
                assertThat(power[k - 1]).as("size %d bin %d", size, k).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3f * (1 + expected)));
                expectedTotal += expected;
            }
            assertThat(total).isCloseTo(expectedTotal, org.assertj.core.data.Offset.offset(1e-3f * (1 + expectedTotal)));
            float[] dc = new float[1];
            new RealFft(size).power(x, window, 0, 1, dc);
            assertThat(dc[0]).isCloseTo(reference[0] * reference[0], org.assertj.core.data.Offset.offset(1e-3f * (1 + dc[0])));
        }
    }

    @Test
    void rejectsSizesThatAreNotPowersOfTwoAndBinsOutOfRange() {
        assertThatThrownBy(() -> new RealFft(96)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RealFft(128).power(new float[128], new float[128], 60, 10, new float[10]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
