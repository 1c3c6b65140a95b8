package io.parley.session.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavRecorderTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final long MS = 1_000_000L;

    private static AudioFrame frame(long atMs, short value) {
        short[] s = new short[F.samplesFor(20)];
        java.util.Arrays.fill(s, value);
        return new AudioFrame(F, s, atMs * MS);
    }

    @Test
    void sidesAreAlignedGapsAreSilenceAndUnheardAgentAudioIsRemoved(@TempDir Path dir) throws Exception {
        Path agentWav = dir.resolve("agent.wav");
        Path userWav = dir.resolve("user.wav");
        try (WavRecorder wav = WavRecorder.builder().agent(agentWav).user(userWav).build()) {
            for (int i = 0; i < 10; i++) {
                wav.onUserAudio(frame(1_000 + 20 * i, (short) 100));
            }
            // The agent starts 500 ms after the user and speaks 1 s, but the user cut it at 300 ms.
            for (int i = 0; i < 50; i++) {
                wav.onAgentAudio(frame(1_500 + 20 * i, (short) 200));
            }
            wav.onAgentAudioCleared((1_500 + 300) * MS);
            // A later reply after a pause.
            wav.onAgentAudio(frame(3_000, (short) 300));
        }
        AudioClip user = Wav.read(userWav);
        assertThat(user.length()).isEqualTo(F.samplesFor(200));
        AudioClip agent = Wav.read(agentWav);
        assertThat(agent.length()).isEqualTo(F.samplesFor(2_020));
        short[] a = agent.samples();
        assertThat(a[F.samplesFor(499)]).isZero();
        assertThat(a[F.samplesFor(500)]).isEqualTo((short) 200);
        assertThat(a[F.samplesFor(799)]).isEqualTo((short) 200);
        assertThat(a[F.samplesFor(800)]).isZero();
        assertThat(a[F.samplesFor(2_000)]).isEqualTo((short) 300);
    }

    @Test
    void theHeaderIsValidWhileRecording(@TempDir Path dir) throws Exception {
        Path agentWav = dir.resolve("agent.wav");
        WavRecorder wav = WavRecorder.builder().agent(agentWav).build();
        for (int i = 0; i < 60; i++) {
            wav.onAgentAudio(frame(20 * i, (short) 1));
        }
        // Not closed: a reader sees at least the first second.
        assertThat(Wav.read(agentWav).length()).isGreaterThanOrEqualTo(F.samplesFor(1_000));
        wav.close();
        assertThat(Wav.read(agentWav).length()).isEqualTo(F.samplesFor(1_200));
    }

    @Test
    void writeErrorsAreThrownByClose(@TempDir Path dir) throws Exception {
        Path blocked = dir.resolve("file");
        Files.writeString(blocked, "a file where a directory should be");
        WavRecorder wav = WavRecorder.builder().agent(blocked.resolve("agent.wav")).build();
        wav.onAgentAudio(frame(0, (short) 1));
        assertThatThrownBy(wav::close).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> WavRecorder.builder().build()).isInstanceOf(IllegalArgumentException.class);
    }
}
