package io.parley.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.TestSignals;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfbandDecimatorTest {

    /**
     * The decimation by its definition, over the whole input at once: output m is centred on
     * input 2 m - 10 (its window's newest input is 2 m + 1), the inputs before the first one
     * are zero, the taps are a Hann-windowed sinc scaled to unit gain at 0 Hz, and the terms
     * are summed in the decimator's order, so the bits must agree.
     */
    private static float[] reference(float[] x) {
        double[] t = new double[6];
        double sum = 0.5;
        for (int j = 0; j < t.length; j++) {
            int m = 2 * j + 1;
            t[j] = Math.sin(Math.PI * m / 2) / (Math.PI * m) * (0.5 + 0.5 * Math.cos(Math.PI * m / 12));
            sum += 2 * t[j];
        }
        float[] c = {(float) (0.5 / sum), (float) (t[0] / sum), (float) (t[1] / sum), (float) (t[2] / sum),
            (float) (t[3] / sum), (float) (t[4] / sum), (float) (t[5] / sum)};
        float[] b = new float[22 + x.length];
        System.arraycopy(x, 0, b, 22, x.length);
        float[] out = new float[x.length / 2];
        for (int m = 0; m < out.length; m++) {
            int mid = 22 + 2 * m + 1 - 11;
            out[m] = c[0] * b[mid]
                    + c[1] * (b[mid - 1] + b[mid + 1]) + c[2] * (b[mid - 3] + b[mid + 3])
                    + c[3] * (b[mid - 5] + b[mid + 5]) + c[4] * (b[mid - 7] + b[mid + 7])
                    + c[5] * (b[mid - 9] + b[mid + 9]) + c[6] * (b[mid - 11] + b[mid + 11]);
        }
        return out;
    }

    @Test
    void blocksOfAnyLengthGiveTheBitsOfTheWholeInputDecimatedAtOnce() {
        float[] noisy = TestSignals.mix(TestSignals.speech(16_000, 2, 3), TestSignals.pink(32_000, 0.01, 4), 10, 16_000);
        short[] pcm = TestSignals.pcm(noisy);
        float scale = 1f / 32768f;
        float[] x = new float[pcm.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = pcm[i] * scale;
        }
        float[] expected = reference(x);
        assertThat(expected).isNotEqualTo(new float[expected.length]);
        SplittableRandom random = new SplittableRandom(7);
        HalfbandDecimator d = new HalfbandDecimator();
        // A work area shared with another decimator, as a thread's streams share one.
        HalfbandDecimator.Work work = new HalfbandDecimator.Work();
        HalfbandDecimator other = new HalfbandDecimator();
        float[] out = new float[expected.length + 1];
        float[] sink = new float[1000];
        int produced = 0;
        for (int at = 0; at < pcm.length; ) {
            // Odd and even lengths, empty blocks, and blocks longer than the work area holds.
            int n = Math.min(pcm.length - at, random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(1, 900));
            short[] block = Arrays.copyOfRange(pcm, at, at + n);
            produced += d.process(block, n, 1, scale, out, produced, work);
            other.process(pcm, random.nextInt(1, 1000), 1, scale, sink, 0, work);
            at += n;
        }
        assertThat(produced).isEqualTo(pcm.length / 2);
        assertThat(Arrays.copyOf(out, produced)).isEqualTo(expected);
    }

    @Test
    void channelsAreSummedBeforeTheyAreDecimated() {
        short[] mono = TestSignals.pcm(TestSignals.pink(4_801, 0.1, 9));
        short[] stereo = new short[2 * mono.length];
        float[] x = new float[mono.length];
        float scale = 1f / (32768f * 2);
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = (short) (mono[i] / 3);
            x[i] = (mono[i] + mono[i] / 3) * scale;
        }
        HalfbandDecimator d = new HalfbandDecimator();
        HalfbandDecimator.Work work = new HalfbandDecimator.Work();
        float[] out = new float[mono.length / 2 + 1];
        int produced = 0;
        for (int at = 0; at < mono.length; at += 441) {
            int n = Math.min(441, mono.length - at);
            produced += d.process(Arrays.copyOfRange(stereo, 2 * at, 2 * (at + n)), n, 2, scale, out, produced, work);
        }
        assertThat(Arrays.copyOf(out, produced)).isEqualTo(reference(x));
    }
}
