package io.parley.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpectralNoiseSuppressorTest {

    private static short[] run(SpectralNoiseSuppressor ns, AudioFormat f, short[] x, int frameMs) {
        AudioClip clip = new AudioClip(f, x);
        AudioFrame in = AudioFrame.allocate(f, f.samplesFor(frameMs));
        short[] out = new short[x.length];
        int o = 0;
        for (int i = 0; i < clip.frameCount(frameMs); i++) {
            clip.frame(i, frameMs, in);
            ns.process(in, in); // in place
            System.arraycopy(in.samples(), 0, out, o, in.length());
            o += in.length();
        }
        assertThat(o).isEqualTo(x.length);
        return out;
    }

    private static double energyDb(short[] s, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) s[i] * s[i];
        }
        return 10 * Math.log10(e / (to - from) + 1e-9);
    }

    @Test
    void turnsSteadyNoiseDownAndLeavesSpeech() {
        int rate = 16_000;
        float[] speech = TestSignals.concat(new float[2 * rate], TestSignals.speech(rate, 2, 4), new float[2 * rate]);
        float[] noisy = TestSignals.mix(speech, TestSignals.pink(speech.length, 0.01, 8), 5, rate);
        short[] in = TestSignals.pcm(noisy);
        SpectralNoiseSuppressor ns = new SpectralNoiseSuppressor();
        short[] out = run(ns, AudioFormat.PCM_16K_MONO, in, 20);
        int lag = (int) (ns.latencyNanos() * rate / 1_000_000_000L);
        assertThat(lag).isEqualTo(256);
        // Noise only, after the tracker has settled: at least 10 dB quieter.
        double noiseDrop = energyDb(in, 4 * rate + 4000, 6 * rate - lag) - energyDb(out, 4 * rate + 4000 + lag, 6 * rate);
        assertThat(noiseDrop).isGreaterThan(10);
        // The speech region comes out about as loud as the clean speech (the input has the noise
        // on top); a Wiener gain at 5 dB SNR costs the weakest speech bins a little, never more.
        short[] clean = TestSignals.pcm(speech);
        double speechLoss = energyDb(clean, 2 * rate, 4 * rate) - energyDb(out, 2 * rate + lag, 4 * rate + lag);
        assertThat(speechLoss).isBetween(-1.0, 2.5);
        // And the output is closer to the clean speech than the input was.
        double errIn = 0, errOut = 0, sig = 0;
        for (int i = 2 * rate; i < 4 * rate; i++) {
            sig += (double) clean[i] * clean[i];
            errIn += Math.pow(in[i] - clean[i], 2);
            errOut += Math.pow(out[i + lag] - clean[i], 2);
        }
        assertThat(10 * Math.log10(sig / errOut)).isGreaterThan(10 * Math.log10(sig / errIn) + 2);
    }

    @Test
    void cleanSpeechPassesAlmostUntouched() {
        int rate = 16_000;
        short[] clean = TestSignals.pcm(TestSignals.concat(new float[rate / 2], TestSignals.speech(rate, 2, 6)));
        SpectralNoiseSuppressor ns = new SpectralNoiseSuppressor();
        short[] out = run(ns, AudioFormat.PCM_16K_MONO, clean, 20);
        double sig = 0, err = 0;
        for (int i = rate / 2; i < clean.length - 256; i++) {
            sig += (double) clean[i] * clean[i];
            err += Math.pow(out[i + 256] - clean[i], 2);
        }
        assertThat(10 * Math.log10(sig / err)).isGreaterThan(20);
    }

    @Test
    void frameSizeAndChannelLayoutDoNotChangeTheResult() {
        int rate = 48_000;
        short[] x = TestSignals.pcm(TestSignals.mix(TestSignals.speech(rate, 1, 2), TestSignals.white(rate, 0.01, 3), 10, rate));
        short[] a = run(new SpectralNoiseSuppressor(), AudioFormat.PCM_48K_MONO, x, 20);
        short[] b = run(new SpectralNoiseSuppressor(), AudioFormat.PCM_48K_MONO, x, 10);
        assertThat(b).isEqualTo(a);
        short[] stereo = new short[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            stereo[2 * i] = x[i];
            stereo[2 * i + 1] = x[i];
        }
        short[] s = run(new SpectralNoiseSuppressor(), new AudioFormat(rate, 2), stereo, 20);
        for (int i = 0; i < x.length; i++) {
            assertThat(s[2 * i]).isEqualTo(a[i]);
            assertThat(s[2 * i + 1]).isEqualTo(a[i]);
        }
    }

    @Test
    void clippedAndOffsetInputStaysBounded() {
        short[] x = new short[16_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (short) (i % 64 < 32 ? 32767 : -32768);
        }
        short[] out = run(new SpectralNoiseSuppressor(), AudioFormat.PCM_16K_MONO, x, 20);
        assertThat(out).hasSize(16_000);
        short[] dc = new short[16_000];
        java.util.Arrays.fill(dc, (short) 12_000);
        // A constant offset is the steadiest "noise" there is: it is suppressed, not amplified.
        short[] dcOut = run(new SpectralNoiseSuppressor(), AudioFormat.PCM_16K_MONO, dc, 20);
        assertThat(Math.abs((int) dcOut[15_000])).isLessThan(12_000);
    }

    @Test
    void badInputIsRejected() {
        SpectralNoiseSuppressor ns = new SpectralNoiseSuppressor();
        assertThatThrownBy(() -> ns.process(AudioFrame.allocate(new AudioFormat(96_000, 1), 10), AudioFrame.allocate(new AudioFormat(96_000, 1), 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("96000");
        AudioFrame f = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 320).setLength(320);
        ns.process(f, f);
        assertThatThrownBy(() -> ns.process(AudioFrame.allocate(AudioFormat.PCM_8K_MONO, 160), AudioFrame.allocate(AudioFormat.PCM_8K_MONO, 160)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differs");
        assertThatThrownBy(() -> ns.process(f, AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 320");
        ns.process(AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 0), AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 0));
        assertThatThrownBy(() -> SpectralNoiseSuppressor.builder().maxAttenuationDb(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
