package io.parley.audio.prosody;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.Wav;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The coarse-to-fine search against plain YIN at the full rate (every lag, double sums), on
 * real speech: they must find the same pitch in the same frames.
 */
class PitchSearchTest {

    private static final Path DATA = Path.of("/usr/share/pocketsphinx/test/data");
    private static final double RATE = 8000;

    @Test
    void findsWhatFullRateYinFindsOnRealSpeech() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(DATA), "Debian package pocketsphinx-testdata is not installed");
        int frames = 0;
        int pitched = 0;
        int same = 0;
        for (short[] speech : new short[][] {raw(DATA.resolve("goforward.raw")),
                Wav.read(DATA.resolve("librivox/sense_and_sensibility_01_austen_64kb-0870.wav")).resample(16_000).samples()}) {
            float[] x = new float[speech.length / 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = (speech[2 * i] + speech[2 * i + 1]) / 2f;
            }
            PitchSearch search = new PitchSearch(RATE);
            for (int end = search.span(); end <= x.length; end += 160) {
                double fast = search.pitchHz(x, end);
                double full = fullRateYin(x, end);
                frames++;
                if (!Double.isNaN(full)) {
                    pitched++;
                }
                boolean agree = Double.isNaN(fast) && Double.isNaN(full)
                        || Math.abs(12 * Math.log(fast / full) / Math.log(2)) < 0.1;
                if (agree) {
                    same++;
                }
            }
        }
        // Measured: 490 of the 492 frames (251 pitched) within a tenth of a semitone or unpitched
        // in both. The two others have a dip under the threshold at the full rate that the
        // low-passed signal does not show (the search then takes the next one, a lower pitch).
        assertThat(pitched).as("pitched frames").isGreaterThan(frames / 3);
        assertThat((double) same / frames).as("frames in agreement of %d", frames).isGreaterThan(0.99);
    }

    /**
     * YIN as published, at the full rate: the first lag from 60 to 400 Hz whose cumulative mean
     * normalised difference is under the threshold, walked down to the bottom of its dip,
     * refined between its neighbours.
     */
    private static double fullRateYin(float[] x, int end) {
        int w = 160;
        int minLag = (int) Math.floor(RATE / PitchSearch.MAX_PITCH_HZ);
        int maxLag = (int) Math.ceil(RATE / PitchSearch.MIN_PITCH_HZ);
        double[] cmnd = new double[maxLag + 1];
        cmnd[0] = 1;
        double running = 0;
        for (int tau = 1; tau <= maxLag; tau++) {
            double d = 0;
            for (int j = end - w; j < end; j++) {
                double e = x[j] - x[j - tau];
                d += e * e;
            }
            running += d;
            cmnd[tau] = running == 0 ? 1 : d * tau / running;
        }
        for (int tau = minLag; tau <= maxLag; tau++) {
            if (cmnd[tau] < PitchSearch.THRESHOLD) {
                while (tau < maxLag && cmnd[tau + 1] < cmnd[tau]) {
                    tau++;
                }
                double refined = tau;
                if (tau > minLag && tau < maxLag) {
                    double denom = cmnd[tau - 1] - 2 * cmnd[tau] + cmnd[tau + 1];
                    if (denom > 0) {
                        refined = tau + 0.5 * (cmnd[tau - 1] - cmnd[tau + 1]) / denom;
                    }
                }
                return RATE / refined;
            }
        }
        return Double.NaN;
    }

    private static short[] raw(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        short[] s = new short[b.remaining() / 2];
        b.asShortBuffer().get(s);
        return s;
    }
}
