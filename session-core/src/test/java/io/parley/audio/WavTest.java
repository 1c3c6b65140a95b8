package io.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {

    @TempDir
    Path dir;

    @Test
    void writeThenReadRoundTrips() throws IOException {
        short[] stereo = new short[2 * 4410];
        for (int i = 0; i < stereo.length; i++) {
            stereo[i] = (short) (i * 37 - 30_000);
        }
        Path f = dir.resolve("a.wav");
        Wav.write(f, new AudioFormat(44_100, 2), stereo);
        assertThat(Files.size(f)).isEqualTo(44 + 2L * stereo.length);
        AudioClip clip = Wav.read(f);
        assertThat(clip.format()).isEqualTo(new AudioFormat(44_100, 2));
        assertThat(clip.samples()).isEqualTo(stereo);
        assertThat(clip.duration()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void skipsUnknownChunksAndAcceptsExtensiblePcm() {
        short[] samples = {1, -2, 3, -4};
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + 3 + 1 + 8 + 40 + 8 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(b.capacity() - 8).put("WAVE".getBytes());
        b.put("LIST".getBytes()).putInt(3).put(new byte[] {1, 2, 3}).put((byte) 0); // odd chunk + pad byte
        b.put("fmt ".getBytes()).putInt(40).putShort((short) 0xFFFE).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16).putShort((short) 22).putShort((short) 16).putInt(4)
                .putShort((short) 1).put(new byte[14]);
        b.put("data".getBytes()).putInt(8);
        for (short s : samples) {
            b.putShort(s);
        }
        AudioClip clip = Wav.parse(b.array());
        assertThat(clip.format()).isEqualTo(AudioFormat.PCM_8K_MONO);
        assertThat(clip.samples()).containsExactly(samples);
    }

    @Test
    void refusesWhatIsNotPcm16WithAClearMessage() throws IOException {
        byte[] pcm16 = Wav.encode(AudioFormat.PCM_16K_MONO, new short[10]);
        byte[] eightBit = pcm16.clone();
        eightBit[34] = 8;
        assertThatThrownBy(() -> Wav.parse(eightBit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8-bit").hasMessageContaining("only 16-bit PCM");
        byte[] floats = pcm16.clone();
        floats[20] = 3;
        assertThatThrownBy(() -> Wav.parse(floats)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encoding 0x3");
        assertThatThrownBy(() -> Wav.parse("hello, not audio".getBytes())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a RIFF/WAVE");
        assertThatThrownBy(() -> Wav.parse(java.util.Arrays.copyOf(pcm16, 30))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated fmt");
        Path bad = dir.resolve("bad.wav");
        Files.write(bad, eightBit);
        assertThatThrownBy(() -> Wav.read(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad.wav");
        assertThatThrownBy(() -> Wav.read(dir.resolve("missing.wav"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Wav.write(dir.resolve("x.wav"), new AudioFormat(16_000, 2), new short[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 2");
    }

    @Test
    void readsHeaderlessRawPcm() throws IOException {
        Path raw = dir.resolve("a.raw");
        Files.write(raw, new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF});
        assertThat(Wav.readRaw(raw, AudioFormat.PCM_16K_MONO).samples()).containsExactly(1, -1);
        Files.write(raw, new byte[3]);
        assertThatThrownBy(() -> Wav.readRaw(raw, AudioFormat.PCM_16K_MONO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clipFramesCoverEverySampleWithTimestamps() {
        short[] s = new short[16_000 + 100];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) i;
        }
        AudioClip clip = new AudioClip(AudioFormat.PCM_16K_MONO, s);
        List<AudioFrame> frames = clip.frames(20);
        assertThat(frames).hasSize(51);
        assertThat(clip.frameCount(20)).isEqualTo(51);
        assertThat(frames.get(50).length()).isEqualTo(100);
        assertThat(frames.get(1).timestampNanos()).isEqualTo(20_000_000L);
        assertThat(frames.get(1).samples()[0]).isEqualTo((short) 320);
        assertThat(clip.frames(20, true)).hasSize(50);
        AudioFrame reuse = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 320);
        assertThat(clip.frame(50, 20, reuse).length()).isEqualTo(100);
        assertThatThrownBy(() -> clip.frame(51, 20, reuse)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> clip.frames(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(clip.slice(0, 10_000_000L).length()).isEqualTo(160);
        assertThat(clip.append(clip).length()).isEqualTo(2 * s.length);
        assertThat(clip).isEqualTo(new AudioClip(AudioFormat.PCM_16K_MONO, s.clone()));
        assertThatThrownBy(() -> new AudioClip(new AudioFormat(16_000, 2), new short[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
