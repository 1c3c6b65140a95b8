package io.parley.audio.prosody;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tracker's pitch search is an optimised YIN whose turn decisions were tuned on real
 * speech: it must find, to the bit, what the plain method finds (every lag's difference summed
 * in window order in floats, cumulative mean normalised, first dip under the threshold walked
 * to its bottom, parabolic refinement). Pitches are compared through
 * {@link ProsodyTracker#averagePitchHz()}, which after a reset and one pitched frame is that
 * frame's pitch.
 */
class ProsodyPitchReferenceTest {

    @Test
    void findsTheSamePitchAsThePlainMethodToTheBit() {
        Random rnd = new Random(11);
        int checked = 0;
        for (int rate : new int[] {8_000, 16_000, 48_000}) {
            AudioFormat format = new AudioFormat(rate, 1);
            ProsodyTracker tracker = new ProsodyTracker(format);
            int n = format.samplesFor(20);
            short[] audio = new short[2 * n];
            AudioFrame frame = AudioFrame.allocate(format, n);
            for (int trial = 0; trial < 150; trial++) {
                double hz = 55 + rnd.nextDouble() * 400;
                double noise = rnd.nextDouble() * 3000;
                double phase = rnd.nextDouble() * 6;
                for (int i = 0; i < audio.length; i++) {
                    phase += 2 * Math.PI * hz / rate;
                    double v = 4000 * Math.sin(phase) + 2500 * Math.sin(2 * phase) + 1500 * Math.sin(3 * phase);
                    audio[i] = (short) Math.round(v + noise * rnd.nextGaussian());
                }
                tracker.reset();
                for (int f = 0; f < 2; f++) {
                    System.arraycopy(audio, f * n, frame.samples(), 0, n);
                    frame.setLength(n);
                    frame.setTimestampNanos(f * 20_000_000L);
                    tracker.process(frame, true);
                }
                double expected = plainYin(audio, rate);
                double expectedAverage = Double.NaN;
                if (!Double.isNaN(expected)) {
                    double semis = 12 * Math.log(expected / 100.0) / Math.log(2);
                    expectedAverage = 100 * Math.pow(2, semis / 12);
                    checked++;
                }
                assertThat(Double.doubleToRawLongBits(tracker.averagePitchHz()))
                        .as("%d Hz at %d Hz, noise %.0f", Math.round(hz), rate, noise)
                        .isEqualTo(Double.doubleToRawLongBits(expectedAverage));
            }
        }
        // Most trials must have had a pitch to compare, not only NaN against NaN.
        assertThat(checked).isGreaterThan(300);
    }

    /**
     * Voiced frames in a row: each frame's window overlaps the one before, and the part they
     * share is not decimated twice; every frame's pitch must still be the plain method's on
     * the audio up to its end. With fewer than 25 pitched frames none is rejected as an octave
     * error, so the average is the running average of the plain pitches.
     */
    @Test
    void findsTheSamePitchInVoicedFramesInARow() {
        Random rnd = new Random(12);
        int checked = 0;
        for (int rate : new int[] {8_000, 16_000, 48_000}) {
            AudioFormat format = new AudioFormat(rate, 1);
            ProsodyTracker tracker = new ProsodyTracker(format);
            int n = format.samplesFor(20);
            int frames = 12;
            short[] audio = new short[frames * n];
            AudioFrame frame = AudioFrame.allocate(format, n);
            for (int trial = 0; trial < 20; trial++) {
                double hz = 70 + rnd.nextDouble() * 300;
                double noise = rnd.nextDouble() * 2000;
                double phase = rnd.nextDouble() * 6;
                for (int i = 0; i < audio.length; i++) {
                    // A glide, so that no two windows are alike.
                    phase += 2 * Math.PI * hz * (1 + 0.3 * i / audio.length) / rate;
                    double v = 4000 * Math.sin(phase) + 2500 * Math.sin(2 * phase) + 1500 * Math.sin(3 * phase);
                    audio[i] = (short) Math.round(v + noise * rnd.nextGaussian());
                }
                tracker.reset();
                double average = Double.NaN;
                for (int f = 0; f < frames; f++) {
                    System.arraycopy(audio, f * n, frame.samples(), 0, n);
                    frame.setLength(n);
                    frame.setTimestampNanos(f * 20_000_000L);
                    // Every third frame unvoiced: runs of two voiced frames and a fresh start after each gap.
                    boolean voiced = f % 3 != 2;
                    tracker.process(frame, voiced);
                    if (voiced && f > 0) {
                        double hzFound = plainYin(java.util.Arrays.copyOf(audio, (f + 1) * n), rate);
                        if (!Double.isNaN(hzFound)) {
                            double semis = 12 * Math.log(hzFound / 100.0) / Math.log(2);
                            average = Double.isNaN(average) ? semis : average + 0.01 * (semis - average);
                            checked++;
                        }
                    }
                    double expected = Double.isNaN(average) ? Double.NaN : 100 * Math.pow(2, average / 12);
                    assertThat(Double.doubleToRawLongBits(tracker.averagePitchHz()))
                            .as("frame %d, %d Hz at %d Hz, noise %.0f", f, Math.round(hz), rate, noise)
                            .isEqualTo(Double.doubleToRawLongBits(expected));
                }
            }
        }
        assertThat(checked).isGreaterThan(300);
    }

    /** YIN the plain way on the end of {@code audio}, as the tracker documents it; NaN if none. */
    private static double plainYin(short[] audio, int sampleRate) {
        int factor = Math.max(1, (int) Math.round(sampleRate / 4000.0));
        double rate = (double) sampleRate / factor;
        int minLag = (int) Math.floor(rate / 400);
        int maxLag = (int) Math.ceil(rate / 60);
        int window = (int) Math.round(rate * 0.02);
        float[] x = new float[window + maxLag + 1];
        int start = audio.length - x.length * factor;
        for (int k = 0; k < x.length; k++) {
            int sum = 0;
            for (int i = 0; i < factor; i++) {
                sum += audio[start + k * factor + i];
            }
            x[k] = (float) sum / factor;
        }
        int base = x.length - window;
        float[] diff = new float[maxLag + 2];
        diff[0] = 1;
        float running = 0;
        for (int tau = 1; tau <= maxLag; tau++) {
            float d = 0;
            for (int j = 0; j < window; j++) {
                float e = x[base + j] - x[base + j - tau];
                d += e * e;
            }
            running += d;
            diff[tau] = running == 0 ? 1 : d * tau / running;
        }
        int found = -1;
        for (int tau = minLag; tau <= maxLag; tau++) {
            if (diff[tau] < 0.35f) {
                found = tau;
                while (found + 1 <= maxLag && diff[found + 1] < diff[found]) {
                    found++;
                }
                break;
            }
        }
        if (found < 0) {
            return Double.NaN;
        }
        double refined = found;
        if (found > minLag && found < maxLag) {
            double a = diff[found - 1];
            double b = diff[found];
            double c = diff[found + 1];
            double denom = a - 2 * b + c;
            if (denom > 0) {
                refined = found + 0.5 * (a - c) / denom;
            }
        }
        return rate / refined;
    }
}
