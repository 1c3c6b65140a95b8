package io.parley.providers.local.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Vad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SileroVadTest {

    private static final Path SPEECH = Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
    private static SileroVad silero;

    @BeforeAll
    static void load() {
        Assumptions.assumeTrue(Files.isRegularFile(SileroVad.defaultModelPath()),
                "Silero model missing at " + SileroVad.defaultModelPath() + "; run bin/setup-deps");
        silero = SileroVad.defaults();
    }

    @AfterAll
    static void close() {
        if (silero != null) {
            silero.close();
        }
    }

    private static boolean[] run(Vad vad, AudioClip clip) {
        AudioFrame frame = AudioFrame.allocate(clip.format(), clip.format().samplesFor(20));
        boolean[] out = new boolean[clip.frameCount(20)];
        for (int i = 0; i < out.length; i++) {
            out[i] = vad.process(clip.frame(i, 20, frame)).speech();
        }
        return out;
    }

    private static double fraction(boolean[] d) {
        int n = 0;
        for (boolean b : d) {
            n += b ? 1 : 0;
        }
        return n / (double) d.length;
    }

    @Test
    void hearsRealSpeechAndNotSilenceOrNoise() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(SPEECH), "Debian package pocketsphinx-testdata is not installed");
        AudioClip speech = Wav.read(SPEECH);
        assertThat(fraction(run(silero.create(speech.format()), speech))).isBetween(0.6, 0.97);

        AudioClip silence = AudioClip.silence(AudioFormat.PCM_16K_MONO, java.time.Duration.ofSeconds(3));
        assertThat(fraction(run(silero.create(silence.format()), silence))).isZero();
        short[] noise = new short[16_000 * 3];
        Random rnd = new Random(1);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (rnd.nextGaussian() * 1000);
        }
        assertThat(fraction(run(silero.create(AudioFormat.PCM_16K_MONO), new AudioClip(AudioFormat.PCM_16K_MONO, noise)))).isLessThan(0.05);
    }

    @Test
    void otherRatesAreResampledAndAgreeWith16k() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(SPEECH), "Debian package pocketsphinx-testdata is not installed");
        AudioClip speech = Wav.read(SPEECH);
        boolean[] base = run(silero.create(speech.format()), speech);
        for (int rate : new int[] {8_000, 48_000}) {
            AudioClip other = speech.resample(rate);
            boolean[] d = run(silero.create(other.format()), other);
            int agree = 0;
            for (int i = 0; i < Math.min(d.length, base.length); i++) {
                agree += d[i] == base[i] ? 1 : 0;
            }
            assertThat(agree / (double) base.length).as("agreement at %d Hz", rate).isGreaterThan(0.9);
        }
    }

    @Test
    void resetRestoresAFreshStream() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(SPEECH), "Debian package pocketsphinx-testdata is not installed");
        AudioClip speech = Wav.read(SPEECH).slice(0, 3_000_000_000L);
        Vad vad = silero.create(speech.format());
        boolean[] first = run(vad, speech);
        vad.reset();
        assertThat(run(vad, speech)).isEqualTo(first);
    }

    @Test
    void missingModelSaysHowToGetIt() {
        assertThatThrownBy(() -> SileroVad.builder().modelPath(Path.of("/nonexistent/silero_vad_v5.onnx")).build())
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("/nonexistent/silero_vad_v5.onnx")
                .hasMessageContaining("bin/setup-deps")
                .hasMessageContaining("npm pack @ricky0123/vad-web@0.0.31")
                .satisfies(e -> assertThat(((SessionException) e).code()).isEqualTo(ErrorCode.VAD_ERROR));
        assertThatThrownBy(() -> SileroVad.builder().modelResource("/no/such/model.onnx").build())
                .isInstanceOf(SessionException.class).hasMessageContaining("not on the classpath");
    }

    @Test
    void corruptModelIsAClearError(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = dir.resolve("silero_vad_v5.onnx");
        Files.write(bad, new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> SileroVad.builder().modelPath(bad).build())
                .isInstanceOf(SessionException.class).hasMessageContaining("cannot load the Silero VAD model");
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> silero.create(new AudioFormat(11_025, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("11025");
        Vad vad = silero.create(AudioFormat.PCM_16K_MONO);
        assertThatThrownBy(() -> vad.process(AudioFrame.allocate(AudioFormat.PCM_8K_MONO, 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
        assertThat(vad.process(AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 0)).speech()).isFalse();
        assertThatThrownBy(() -> SileroVad.builder().activationThreshold(0.2f).deactivationThreshold(0.4f).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
