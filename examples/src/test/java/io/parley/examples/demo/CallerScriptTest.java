package io.parley.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallerScriptTest {

    @Test
    void aStereoFortyEightKilohertzRecordingBecomesOneSixteenKilohertzMonoLine(@TempDir Path dir) throws Exception {
        int n = 48_000;
        short[] stereo = new short[2 * n];
        for (int i = 0; i < n; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 48_000.0));
            stereo[2 * i] = v;
            stereo[2 * i + 1] = v;
        }
        Path wav = dir.resolve("caller.wav");
        Wav.write(wav, new AudioFormat(48_000, 2), stereo);
        List<CallerLine> lines = CallerScript.fromFile(wav);
        assertThat(lines).singleElement().satisfies(l -> {
            assertThat(l.cue()).isEqualTo(CallerLine.Cue.AFTER_AGENT);
            assertThat(l.duration().toMillis()).isBetween(990L, 1010L);
            assertThat(new AudioClip(AudioFormat.PCM_16K_MONO, l.audio()).peak()).isBetween(7500, 8500);
        });
    }

    @Test
    void anUnsupportedRateNamesTheConversionCommand(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("odd.wav");
        Wav.write(wav, new AudioFormat(32_000, 1), new short[3200]);
        assertThatThrownBy(() -> CallerScript.fromFile(wav)).isInstanceOfSatisfying(DemoException.class,
                e -> assertThat(e.exitCode()).isEqualTo(2)).hasMessageContaining("32000 Hz").hasMessageContaining("sox");
    }
}
