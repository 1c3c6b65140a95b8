package io.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolkitTest {

    @Test
    void g711KnownCodesAndBoundedRoundTripError() {
        assertThat(G711.encodeUlaw((short) 0)).isEqualTo((byte) 0xFF);
        assertThat(G711.decodeUlaw((byte) 0xFF)).isEqualTo((short) 0);
        assertThat(G711.decodeUlaw((byte) 0x80)).isEqualTo((short) 32124);
        assertThat(G711.decodeUlaw((byte) 0x00)).isEqualTo((short) -32124);
        assertThat(G711.encodeAlaw((short) 0)).isEqualTo((byte) 0xD5);
        assertThat(G711.decodeAlaw((byte) 0xD5)).isEqualTo((short) 8);
        assertThat(G711.decodeAlaw((byte) 0xAA)).isEqualTo((short) 32256);
        assertThat(G711.decodeAlaw((byte) 0x2A)).isEqualTo((short) -32256);
        for (int v = Short.MIN_VALUE; v <= Short.MAX_VALUE; v += 7) {
            short s = (short) v;
            int u = G711.decodeUlaw(G711.encodeUlaw(s));
            int a = G711.decodeAlaw(G711.encodeAlaw(s));
            // Logarithmic quantisers: error at most half a step, and steps are about 1/16 of the segment.
            double tolerance = Math.max(8, Math.abs(v) / 16.0 + 4);
            assertThat((double) u).as("mu-law %d", v).isCloseTo(Math.max(-32124, Math.min(32124, v)), within(tolerance + 132));
            assertThat((double) a).as("A-law %d", v).isCloseTo(v, within(tolerance));
            assertThat(Integer.signum(u) * Integer.signum(v)).isGreaterThanOrEqualTo(0);
        }
        // Re-encoding a decoded value is stable (the codec is idempotent on its own output).
        for (int c = 0; c < 256; c++) {
            assertThat(G711.decodeUlaw(G711.encodeUlaw(G711.decodeUlaw((byte) c)))).isEqualTo(G711.decodeUlaw((byte) c));
            assertThat(G711.encodeAlaw(G711.decodeAlaw((byte) c))).isEqualTo((byte) c);
        }
        short[] pcm = {0, 1000, -1000, 32767, -32768};
        byte[] enc = new byte[5];
        short[] dec = new short[5];
        G711.encodeAlaw(pcm, 0, enc, 0, 5);
        G711.decodeAlaw(enc, 0, dec, 0, 5);
        assertThat(dec[1]).isBetween((short) 960, (short) 1040);
        assertThatThrownBy(() -> G711.encodeUlaw(pcm, 0, new byte[2], 0, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void channelMixerDownAndUpMixes() {
        AudioFrame stereo = new AudioFrame(new AudioFormat(16_000, 2), new short[] {100, 300, -5, -6, 32767, 32767}, 9L);
        AudioFrame mono = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 3);
        assertThat(ChannelMixer.mix(stereo, mono)).isEqualTo(3);
        assertThat(mono.samples()).containsExactly(200, -6, 32767);
        assertThat(mono.timestampNanos()).isEqualTo(9L);
        AudioFrame back = AudioFrame.allocate(new AudioFormat(16_000, 2), 6);
        ChannelMixer.mix(mono, back);
        assertThat(back.samples()).containsExactly(200, 200, -6, -6, 32767, 32767);
        short[] quad = new short[4];
        ChannelMixer.mix(new short[] {10, 20, 30, 40}, 4, quad, 2, 1);
        assertThat(quad[0]).isEqualTo((short) 20);
        assertThat(quad[1]).isEqualTo((short) 30);
        assertThatThrownBy(() -> ChannelMixer.mix(stereo, AudioFrame.allocate(AudioFormat.PCM_48K_MONO, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample rates differ");
        assertThatThrownBy(() -> ChannelMixer.mix(stereo, AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 3");
    }

    @Test
    void levelMeterReadsDbfs() {
        AudioFrame square = new AudioFrame(AudioFormat.PCM_16K_MONO, new short[] {-32768, -32768, -32768, -32768}, 0L);
        assertThat(LevelMeter.rmsDbfs(square)).isCloseTo(0.0, within(1e-9));
        short[] sine = Signals.sine(16_000, 1000, 16_384, 16_000);
        assertThat(LevelMeter.rmsDbfs(sine, 0, sine.length)).isCloseTo(-9.03, within(0.02));
        assertThat(LevelMeter.peakDbfs(new AudioFrame(AudioFormat.PCM_16K_MONO, sine, 0L))).isCloseTo(-6.02, within(0.01));
        assertThat(LevelMeter.rmsDbfs(AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 10))).isEqualTo(LevelMeter.SILENCE_DBFS);
        assertThat(LevelMeter.rmsDbfs(new short[8], 0, 8)).isEqualTo(-120.0);
    }

    @Test
    void rechunkerKeepsEverySampleAndTimestamps() {
        FrameRechunker r = new FrameRechunker(AudioFormat.PCM_16K_MONO, 32);
        List<short[]> got = new ArrayList<>();
        List<Long> stamps = new ArrayList<>();
        short next = 0;
        int total = 0;
        for (int i = 0; i < 50; i++) {
            short[] s = new short[320];
            for (int j = 0; j < s.length; j++) {
                s[j] = next++;
            }
            total += r.push(new AudioFrame(AudioFormat.PCM_16K_MONO, s, 1_000L + i * 20_000_000L), f -> {
                got.add(java.util.Arrays.copyOf(f.samples(), f.length()));
                stamps.add(f.timestampNanos());
            });
        }
        assertThat(total).isEqualTo(31);
        assertThat(r.pending()).isEqualTo(16_000 - 31 * 512);
        assertThat(r.flush(f -> got.add(java.util.Arrays.copyOf(f.samples(), f.length())))).isTrue();
        assertThat(r.flush(f -> got.add(new short[0]))).isFalse();
        short expect = 0;
        for (short[] chunk : got) {
            for (short v : chunk) {
                assertThat(v).isEqualTo(expect++);
            }
        }
        assertThat(expect).isEqualTo((short) 16_000);
        assertThat(stamps.get(0)).isEqualTo(1_000L);
        assertThat(stamps.get(1)).isEqualTo(1_000L + 32_000_000L);
        assertThatThrownBy(() -> r.push(AudioFrame.allocate(AudioFormat.PCM_8K_MONO, 1), f -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FrameRechunker(AudioFormat.PCM_16K_MONO, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
