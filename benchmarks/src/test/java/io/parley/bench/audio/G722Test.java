package io.parley.bench.audio;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioClip;
import io.parley.audio.Wav;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Allison's wideband prompts decoded as the codec decodes them. */
class G722Test {

    private static Path prompt(String name) {
        Path p = RealTurns.ASTERISK.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is missing: install the Debian packages named in bin/setup-deps");
        return p;
    }

    private static String sha256(short[] samples) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            b.putShort(s);
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    @Test
    void decodesSampleForSampleAsFfmpegDoes() throws Exception {
        // The digests of ffmpeg 5.1's decoding of the same files ("-f g722 -i F -f s16le -"),
        // which matched this decoder on every sample of three prompts.
        AudioClip five = G722.read(prompt("digits/5.g722"));
        assertThat(five.samples()).hasSize(13_122);
        assertThat(sha256(five.samples())).isEqualTo("74c827de334623893d78634ddcc86e6b1f0aed3bda694c0059e2b89e7b5ec498");
        assertThat(sha256(G722.read(prompt("auth-thankyou.g722")).samples()))
                .isEqualTo("c5415ed312cae18ebb9478219fe4ee6d5bfb8c8514f4d412603947c97d96c193");
    }

    @Test
    void isTheNarrowbandRecordingWithTheUpperBandBack() throws Exception {
        short[] wide = G722.read(prompt("auth-thankyou.g722")).samples();
        short[] narrow = Wav.read(prompt("auth-thankyou.wav")).resample(16_000).samples();
        // The same take: the loudness of the two versions rises and falls together (their
        // waveforms differ by the filters and the polarity of how each was made from the master) ...
        short[] wideLow = new AudioClip(RealTurns.FORMAT, wide).resample(8_000).resample(16_000).samples();
        assertThat(correlation(envelope(wideLow), envelope(narrow))).isGreaterThan(0.95);
        // ... and the wideband one holds the energy above 4 kHz that the narrowband one lacks.
        double upper = energy(difference(wide, wideLow));
        assertThat(upper / energy(wide)).isGreaterThan(0.001);
        assertThat(energy(difference(narrow, new AudioClip(RealTurns.FORMAT, narrow).resample(8_000).resample(16_000).samples())))
                .isLessThan(upper / 10);
    }

    private static short[] difference(short[] a, short[] b) {
        short[] d = new short[Math.min(a.length, b.length)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (short) (a[i] - b[i]);
        }
        return d;
    }

    private static double energy(short[] s) {
        double e = 0;
        for (short v : s) {
            e += (double) v * v;
        }
        return e;
    }

    /** Energy per 10 ms. */
    private static double[] envelope(short[] s) {
        double[] e = new double[s.length / 160];
        for (int i = 0; i < e.length * 160; i++) {
            e[i / 160] += (double) s[i] * s[i];
        }
        return e;
    }

    private static double correlation(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < n; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
