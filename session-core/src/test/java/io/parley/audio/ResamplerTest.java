package io.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static final int[] RATES = {8_000, 16_000, 22_050, 24_000, 44_100, 48_000};

    /** Runs a whole signal through a fresh resampler in one call plus flush. */
    private static short[] convert(int from, int to, short[] in) {
        Resampler r = Resampler.create(from, to, 1);
        short[] out = new short[r.outputCapacity(in.length)];
        int n = r.process(in, 0, in.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    @Test
    void passbandIsFlatAndClean_forEveryRatePair() {
        for (int from : RATES) {
            for (int to : RATES) {
                if (from == to) {
                    continue;
                }
                int min = Math.min(from, to);
                for (double rel : new double[] {0.02, 0.2, 0.4}) {
                    double hz = rel * min;
                    short[] out = convert(from, to, Signals.sine(from, hz, 16_000, from));
                    // Skip the filter's start-up and end so only the steady state is measured.
                    int skip = to / 20;
                    double[] fit = Signals.fitSine(out, skip, out.length - skip, to, hz);
                    double gainDb = Signals.db(fit[0] / 16_000);
                    double residualDb = Signals.db(fit[1] / (16_000 / Math.sqrt(2)));
                    assertThat(gainDb).as("gain %d->%d at %.0f Hz", from, to, hz).isBetween(-0.1, 0.1);
                    assertThat(residualDb).as("distortion+images %d->%d at %.0f Hz", from, to, hz).isLessThan(-60);
                }
            }
        }
    }

    @Test
    void rejectsAliasesByAtLeast60dB_whenDownsampling() {
        for (int from : RATES) {
            for (int to : RATES) {
                if (to >= from) {
                    continue;
                }
                double lo = 0.5 * to;
                double hi = 0.5 * from;
                for (double frac : new double[] {0.1, 0.5, 0.9}) {
                    double hz = lo + frac * (hi - lo);
                    short[] out = convert(from, to, Signals.sine(from, hz, 16_000, from));
                    int skip = to / 20;
                    double leak = Signals.rms(out, skip, out.length - skip) / (16_000 / Math.sqrt(2));
                    assertThat(Signals.db(leak)).as("alias %d->%d of %.0f Hz", from, to, hz).isLessThan(-60);
                }
            }
        }
    }

    @Test
    void telephoneQualityKeepsTheTelephoneBandAndRejectsWhatWouldFoldIntoIt() {
        for (int[] pair : new int[][] {{8_000, 16_000}, {16_000, 8_000}}) {
            int from = pair[0];
            int to = pair[1];
            for (double hz : new double[] {300, 1000, 3000, 3400}) {
                Resampler r = Resampler.create(from, to, 1, Resampler.Quality.TELEPHONE);
                short[] in = Signals.sine(from, hz, 16_000, from);
                short[] out = new short[r.outputCapacity(in.length)];
                int n = r.process(in, 0, in.length, out, 0);
                double[] fit = Signals.fitSine(out, to / 20, n - to / 20, to, hz);
                assertThat(Signals.db(fit[0] / 16_000)).as("gain %d->%d at %.0f Hz", from, to, hz).isBetween(-0.1, 0.1);
                assertThat(Signals.db(fit[1] / (16_000 / Math.sqrt(2)))).as("residue %d->%d at %.0f Hz", from, to, hz)
                        .isLessThan(-50);
            }
        }
        // 16 kHz content above 4.6 kHz would fold below 3.4 kHz at 8 kHz: it is rejected.
        for (double hz : new double[] {4_700, 6_000, 7_500}) {
            Resampler r = Resampler.create(16_000, 8_000, 1, Resampler.Quality.TELEPHONE);
            short[] in = Signals.sine(16_000, hz, 16_000, 16_000);
            short[] out = new short[r.outputCapacity(in.length)];
            int n = r.process(in, 0, in.length, out, 0);
            double leak = Signals.rms(out, 400, n - 400) / (16_000 / Math.sqrt(2));
            assertThat(Signals.db(leak)).as("alias of %.0f Hz", hz).isLessThan(-55);
        }
        assertThat(Resampler.create(8_000, 16_000, 1, Resampler.Quality.TELEPHONE).toString()).contains("26 taps");
        assertThatThrownBy(() -> Resampler.create(8_000, 16_000, 1, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sineSweepThrough48To16kKeepsThePassbandAndDropsEverythingAboveNyquist() {
        int from = 48_000;
        int to = 16_000;
        double f0 = 100;
        double f1 = 23_900;
        int n = 2 * from;
        short[] sweep = new short[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) from;
            double phase = 2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * 2.0));
            sweep[i] = (short) Math.round(16_000 * Math.sin(phase));
        }
        short[] out = convert(from, to, sweep);
        int delay = Resampler.create(from, to, 1).delayOutputSamples();
        double ref = 16_000 / Math.sqrt(2);
        int window = to / 100; // 10 ms
        for (int w = 0; w + window < out.length - delay; w += window) {
            double t = (w + window / 2.0) / to;
            double freq = f0 + (f1 - f0) * t / 2.0;
            double level = Signals.db(Signals.rms(out, w + delay, w + delay + window) / ref);
            if (freq > 200 && freq < 6_000) {
                assertThat(level).as("passband at %.0f Hz", freq).isBetween(-0.3, 0.3);
            } else if (freq > 8_600) {
                assertThat(level).as("stop band at %.0f Hz", freq).isLessThan(-60);
            }
        }
    }

    @Test
    void foldedFormEqualsTheDirectConvolutionWithinOneStep_andFoldsTheTwoToOneTelephoneConversions() {
        Random rnd = new Random(11);
        for (Resampler.Quality q : Resampler.Quality.values()) {
            for (int from : RATES) {
                for (int to : RATES) {
                    if (from == to) {
                        continue;
                    }
                    // Noise over a loud sweep from 0 Hz to the input Nyquist frequency: every tap and the clipping path take part.
                    short[] in = new short[from / 2];
                    for (int i = 0; i < in.length; i++) {
                        double t = (double) i / from;
                        in[i] = (short) (rnd.nextGaussian() * 2000 + 20_000 * Math.sin(Math.PI * from * t * t));
                    }
                    Resampler folded = Resampler.create(from, to, 1, q);
                    Resampler direct = Resampler.directForm(from, to, 1, q);
                    short[] a = new short[folded.outputCapacity(in.length)];
                    short[] b = new short[direct.outputCapacity(in.length)];
                    int na = folded.process(in, 0, in.length, a, 0);
                    int nb = direct.process(in, 0, in.length, b, 0);
                    assertThat(na).isEqualTo(nb);
                    for (int i = 0; i < na; i++) {
                        assertThat(Math.abs(a[i] - b[i])).as("%d->%d %s sample %d", from, to, q, i).isLessThanOrEqualTo(1);
                    }
                }
            }
        }
        assertThat(Resampler.create(8_000, 16_000, 1, Resampler.Quality.TELEPHONE).toString()).contains("folded");
        assertThat(Resampler.create(16_000, 8_000, 1, Resampler.Quality.TELEPHONE).toString()).contains("folded");
    }

    @Test
    void streamingInFramesOfAnySizeEqualsOneShot() {
        Random rnd = new Random(7);
        short[] in = new short[2 * 22_050];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (rnd.nextGaussian() * 3000);
        }
        for (int[] pair : new int[][] {{22_050, 16_000}, {16_000, 48_000}, {48_000, 8_000}, {44_100, 48_000}}) {
            Resampler whole = Resampler.create(pair[0], pair[1], 2);
            short[] expected = new short[whole.outputCapacity(in.length)];
            int en = whole.process(in, 0, in.length, expected, 0);

            Resampler streamed = Resampler.create(pair[0], pair[1], 2);
            AudioFrame frameIn = AudioFrame.allocate(streamed.inputFormat(), 4000);
            AudioFrame frameOut = AudioFrame.allocate(streamed.outputFormat(), streamed.outputCapacity(4000));
            short[] got = new short[expected.length];
            int gn = 0;
            int off = 0;
            while (off < in.length) {
                int n = Math.min(in.length - off, 2 * (1 + rnd.nextInt(1999)));
                System.arraycopy(in, off, frameIn.samples(), 0, n);
                frameIn.setLength(n).setTimestampNanos(off);
                int w = streamed.process(frameIn, frameOut);
                assertThat(frameOut.length()).isEqualTo(w);
                assertThat(frameOut.timestampNanos()).isEqualTo(off);
                System.arraycopy(frameOut.samples(), 0, got, gn, w);
                gn += w;
                off += n;
            }
            assertThat(gn).isEqualTo(en);
            assertThat(Arrays.copyOf(got, gn)).isEqualTo(Arrays.copyOf(expected, en));
        }
    }

    @Test
    void outputLengthTracksTheRateRatio() {
        Resampler r = Resampler.create(44_100, 16_000, 1);
        AudioFrame in = AudioFrame.allocate(r.inputFormat(), 441);
        AudioFrame out = AudioFrame.allocate(r.outputFormat(), r.outputCapacity(441));
        long total = 0;
        for (int i = 0; i < 1000; i++) {
            in.setLength(441);
            total += r.process(in, out);
        }
        assertThat(total).isEqualTo(160_000);
    }

    @Test
    void flushEmitsTheTailAndClipResampleStaysAligned() {
        AudioClip clip = new AudioClip(AudioFormat.PCM_16K_MONO, Signals.sine(16_000, 440, 12_000, 16_000));
        for (int rate : new int[] {8_000, 22_050, 48_000}) {
            AudioClip there = clip.resample(rate);
            assertThat(there.duration()).isEqualTo(clip.duration());
            AudioClip back = there.resample(16_000);
            assertThat(back.samplesPerChannel()).isEqualTo(16_000);
            // Aligned round trip: the tone comes back with the same phase, so the sample-wise error is small.
            double err = 0;
            for (int i = 800; i < 15_200; i++) {
                double e = back.samples()[i] - clip.samples()[i];
                err += e * e;
            }
            assertThat(Signals.db(Math.sqrt(err / 14_400) / (12_000 / Math.sqrt(2)))).as("round trip via %d", rate).isLessThan(-50);
        }
    }

    @Test
    void equalRatesCopy() {
        Resampler r = Resampler.create(16_000, 16_000, 1);
        AudioFrame in = new AudioFrame(AudioFormat.PCM_16K_MONO, new short[] {1, 2, 3}, 5L);
        AudioFrame out = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 3);
        assertThat(r.process(in, out)).isEqualTo(3);
        assertThat(Arrays.copyOf(out.samples(), 3)).containsExactly(1, 2, 3);
        assertThat(r.delayNanos()).isZero();
    }

    @Test
    void clipsInsteadOfWrappingOnFullScaleInput() {
        short[] square = new short[8000];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 20) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = convert(8_000, 48_000, square);
        // Gibbs overshoot at each edge must saturate; wrapping around would flip the sign of
        // samples in the middle of a plateau.
        int delay = Resampler.create(8_000, 48_000, 1).delayOutputSamples();
        int checked = 0;
        for (int p = 0; p < 400; p++) {
            int mid = (p * 20 + 10) * 6 + delay;
            for (int i = mid - 30; i <= mid + 30 && i < out.length; i++) {
                int expectedSign = p % 2 == 0 ? 1 : -1;
                assertThat(out[i] * expectedSign).as("sample %d", i).isGreaterThan(25_000);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20_000);
    }

    @Test
    void zeroLengthFrameWritesNothing() {
        Resampler r = Resampler.create(48_000, 16_000, 1);
        AudioFrame out = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 10);
        assertThat(r.process(AudioFrame.allocate(AudioFormat.PCM_48K_MONO, 0), out)).isZero();
        assertThat(out.length()).isZero();
    }

    @Test
    void badInputIsRejectedClearly() {
        assertThatThrownBy(() -> Resampler.create(11_025, 16_000, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11025");
        assertThatThrownBy(() -> Resampler.create(16_000, 48_000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels");
        Resampler r = Resampler.create(16_000, 48_000, 1);
        AudioFrame in = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 320).setLength(320);
        assertThatThrownBy(() -> r.process(in, AudioFrame.allocate(AudioFormat.PCM_24K_MONO, 2000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output format");
        assertThatThrownBy(() -> r.process(AudioFrame.allocate(AudioFormat.PCM_8K_MONO, 10), AudioFrame.allocate(AudioFormat.PCM_48K_MONO, 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input format");
        assertThatThrownBy(() -> r.process(in, AudioFrame.allocate(AudioFormat.PCM_48K_MONO, 900)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs");
        assertThatThrownBy(() -> Resampler.create(16_000, 48_000, 2).process(new short[3], 0, 3, new short[100], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 2");
    }
}
