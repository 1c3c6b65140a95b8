package io.parley.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.TestSignals;
import io.parley.audio.Wav;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DspVadTest {

    /** Decisions per 20 ms frame. */
    private static boolean[] run(Vad vad, AudioFormat format, short[] samples) {
        AudioClip clip = new AudioClip(format, samples);
        AudioFrame frame = AudioFrame.allocate(format, format.samplesFor(20));
        boolean[] out = new boolean[clip.frameCount(20)];
        for (int i = 0; i < out.length; i++) {
            VadResult r = vad.process(clip.frame(i, 20, frame));
            assertThat(Float.isNaN(r.probability())).isFalse();
            out[i] = r.speech();
        }
        return out;
    }

    private static double fraction(boolean[] d, int fromFrame, int toFrame) {
        int n = 0;
        for (int i = fromFrame; i < toFrame; i++) {
            n += d[i] ? 1 : 0;
        }
        return n / (double) (toFrame - fromFrame);
    }

    /** 2 s noise, then alternating 1.5 s speech / 1.5 s noise, three times: 11 s. */
    private static float[] scene(int rate, double snrDb, long seed) {
        float[] speechOnly = TestSignals.concat(
                new float[2 * rate],
                TestSignals.speech(rate, 1.5, seed), new float[rate * 3 / 2],
                TestSignals.speech(rate, 1.5, seed + 1), new float[rate * 3 / 2],
                TestSignals.speech(rate, 1.5, seed + 2), new float[rate * 3 / 2]);
        return TestSignals.mix(speechOnly, TestSignals.pink(speechOnly.length, 0.01, seed), snrDb, rate);
    }

    private static void assertFindsSpeech(boolean[] d) {
        // Frames at 20 ms: speech is at 2-3.5 s, 5-6.5 s, 8-9.5 s.
        for (int s : new int[] {100, 250, 400}) {
            assertThat(fraction(d, s + 5, s + 75)).as("speech from frame %d", s).isGreaterThan(0.85);
            assertThat(fraction(d, s + 90, s + 150)).as("noise after frame %d", s + 75).isLessThan(0.1);
        }
    }

    @Test
    void findsSpeechInPinkNoiseAt10dB_atEveryRate() {
        for (int rate : new int[] {8_000, 16_000, 22_050, 24_000, 44_100, 48_000}) {
            AudioFormat format = new AudioFormat(rate, 1);
            boolean[] d = run(DspVad.defaults().create(format), format, TestSignals.pcm(scene(rate, 10, 3)));
            assertFindsSpeech(d);
        }
    }

    @Test
    void silenceAndSteadyTonesAreNotSpeech() {
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        assertThat(fraction(run(DspVad.defaults().create(f), f, new short[16_000 * 3]), 0, 150)).isZero();
        short[] hum = new short[16_000 * 5];
        for (int i = 0; i < hum.length; i++) {
            hum[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 16_000.0) + 3000 * Math.sin(2 * Math.PI * 1200 * i / 16_000.0));
        }
        boolean[] d = run(DspVad.defaults().create(f), f, hum);
        // The noise floor needs about a second to learn a steady sound; after that it is background.
        assertThat(fraction(d, 75, 250)).isZero();
    }

    @Test
    void digitalSilenceNearSilenceAndNoiseAfterZerosAreNeverSpeech() {
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        int rate = f.sampleRate();
        java.util.Random r = new java.util.Random(1);
        short[] dither = new short[10 * rate];
        for (int i = 0; i < dither.length; i++) {
            dither[i] = (short) (r.nextInt(5) - 2);
        }
        assertThat(fraction(run(DspVad.defaults().create(f), f, dither), 0, 500)).isZero();
        // Three seconds of digital zeros, then pink noise at about -45 dBFS.
        float[] pink = TestSignals.pink(7 * rate, 0.006, 3);
        short[] afterZeros = new short[10 * rate];
        for (int i = 3 * rate; i < afterZeros.length; i++) {
            afterZeros[i] = (short) Math.round(pink[i - 3 * rate] * 32767);
        }
        assertThat(fraction(run(DspVad.defaults().create(f), f, afterZeros), 0, 500)).isZero();
    }

    @Test
    void knocksAreNotSpeechButSpeechAfterAKnockIs() {
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        int rate = f.sampleRate();
        float[] room = TestSignals.pink(6 * rate, 0.003, 4);
        // Three raps 180 ms apart at 1 s: damped 90/170/260 Hz modes with a noisy 5 ms attack.
        java.util.Random r = new java.util.Random(2);
        for (int rap = 0; rap < 3; rap++) {
            int at = rate + rap * rate * 18 / 100;
            int len = rate / 10;
            for (int i = 0; i < len; i++) {
                double t = (double) i / rate;
                double v = Math.sin(2 * Math.PI * 90 * t) + Math.sin(2 * Math.PI * 170 * t) + Math.sin(2 * Math.PI * 260 * t);
                if (i < rate / 200) {
                    v += 2 * r.nextGaussian();
                }
                room[at + i] += (float) (0.25 * Math.exp(-5.0 * i / len) * v);
            }
        }
        float[] speech = TestSignals.speech(rate, 1.5, 9);
        for (int i = 0; i < speech.length; i++) {
            room[3 * rate + i] += speech[i] * 0.3f;
        }
        short[] pcm = new short[room.length];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.max(-32768, Math.min(32767, Math.round(room[i] * 32767)));
        }
        boolean[] d = run(DspVad.defaults().create(f), f, pcm);
        assertThat(fraction(d, 45, 100)).as("knocks at 1.0-1.5 s").isZero();
        assertThat(fraction(d, 160, 225)).as("speech at 3.2-4.5 s").isGreaterThan(0.85);
    }

    @Test
    void dcOffsetAndClippingDoNotChangeTheDecisions() {
        int rate = 16_000;
        float[] x = scene(rate, 20, 11);
        short[] base = TestSignals.pcm(x);
        short[] offset = base.clone();
        for (int i = 0; i < offset.length; i++) {
            offset[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, offset[i] + 8000));
        }
        float[] loud = x.clone();
        for (int i = 0; i < loud.length; i++) {
            loud[i] *= 12; // speech peaks far beyond full scale
        }
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        assertFindsSpeech(run(DspVad.defaults().create(f), f, offset));
        assertFindsSpeech(run(DspVad.defaults().create(f), f, TestSignals.pcm(loud)));
    }

    @Test
    void stereoIsMixedDownAndFrameSizeDoesNotMatter() {
        int rate = 48_000;
        short[] mono = TestSignals.pcm(scene(rate, 10, 5));
        short[] stereo = new short[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            stereo[2 * i] = mono[i];
            stereo[2 * i + 1] = mono[i];
        }
        AudioFormat f = new AudioFormat(rate, 2);
        assertFindsSpeech(run(DspVad.defaults().create(f), f, stereo));
        // 10 ms frames reach the same decisions at the same instants as 20 ms frames.
        Vad a = DspVad.defaults().create(f);
        Vad b = DspVad.defaults().create(f);
        AudioClip clip = new AudioClip(f, stereo);
        AudioFrame f10 = AudioFrame.allocate(f, f.samplesFor(10));
        AudioFrame f20 = AudioFrame.allocate(f, f.samplesFor(20));
        for (int i = 0; i < clip.frameCount(20); i++) {
            a.process(clip.frame(2 * i, 10, f10));
            boolean second = a.process(clip.frame(2 * i + 1, 10, f10)).speech();
            assertThat(b.process(clip.frame(i, 20, f20)).speech()).isEqualTo(second);
        }
    }

    /** Every frame's probability bits and decision, the stream alone on a fresh detector. */
    private static long[] outputs(Vad vad, AudioClip clip, int millis) {
        AudioFrame frame = AudioFrame.allocate(clip.format(), clip.format().samplesFor(millis));
        long[] out = new long[clip.frameCount(millis)];
        for (int i = 0; i < out.length; i++) {
            VadResult r = vad.process(clip.frame(i, millis, frame));
            out[i] = (long) Float.floatToRawIntBits(r.probability()) << 1 | (r.speech() ? 1 : 0);
        }
        return out;
    }

    @Test
    void streamsSharingAThreadOrRunningOnManyGiveEachTheOutputsItHasAlone() throws Exception {
        // Rates with and without decimation, stereo, window sizes 128 and 512, and 10 ms frames
        // of 441 samples (odd, so the decimator's phase alternates between frames).
        AudioFormat[] formats = {new AudioFormat(8_000, 1), new AudioFormat(48_000, 2), new AudioFormat(16_000, 1),
            new AudioFormat(44_100, 1)};
        int[] millis = {20, 20, 10, 10};
        AudioClip[] clips = new AudioClip[formats.length];
        long[][] alone = new long[formats.length][];
        for (int s = 0; s < formats.length; s++) {
            int rate = formats[s].sampleRate();
            short[] mono = TestSignals.pcm(scene(rate, 10, 11 + s));
            short[] pcm = new short[mono.length * formats[s].channels()];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = mono[i / formats[s].channels()];
            }
            clips[s] = new AudioClip(formats[s], pcm);
            alone[s] = outputs(DspVad.defaults().create(formats[s]), clips[s], millis[s]);
            assertThat(java.util.Arrays.stream(alone[s]).anyMatch(v -> (v & 1) == 1)).as("speech found in stream %d", s).isTrue();
        }
        // All four in turn, frame by frame, on this thread.
        Vad[] vads = new Vad[formats.length];
        AudioFrame[] frames = new AudioFrame[formats.length];
        for (int s = 0; s < formats.length; s++) {
            vads[s] = DspVad.defaults().create(formats[s]);
            frames[s] = AudioFrame.allocate(formats[s], formats[s].samplesFor(millis[s]));
        }
        for (int i = 0; i < 1100; i++) {
            for (int s = 0; s < formats.length; s++) {
                if (i < alone[s].length) {
                    VadResult r = vads[s].process(clips[s].frame(i, millis[s], frames[s]));
                    long v = (long) Float.floatToRawIntBits(r.probability()) << 1 | (r.speech() ? 1 : 0);
                    assertThat(v).as("stream %d frame %d in turn", s, i).isEqualTo(alone[s][i]);
                }
            }
        }
        // Two copies of each on threads of their own, all at once.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2 * formats.length);
        try {
            List<java.util.concurrent.Future<long[]>> runs = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int s = 0; s < 2 * formats.length; s++) {
                int k = s % formats.length;
                runs.add(pool.submit(() -> {
                    go.await();
                    return outputs(DspVad.defaults().create(formats[k]), clips[k], millis[k]);
                }));
            }
            go.countDown();
            for (int s = 0; s < runs.size(); s++) {
                assertThat(runs.get(s).get(60, java.util.concurrent.TimeUnit.SECONDS)).as("stream %d on its thread", s)
                        .isEqualTo(alone[s % formats.length]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void digitalSilenceIsNotTransformedButEveryWindowHoldingASoundIs() {
        AudioFormat f = new AudioFormat(8_000, 1);
        // At 8 kHz: windows of 128 samples every 80, the first of each 20 ms frame starting
        // 48 samples before the frame, so a frame's sample p lies in its first window if
        // p < 80 and in its second if p >= 32.
        for (int p : new int[] {0, 31, 32, 79, 80, 159}) {
            DspVadStream vad = (DspVadStream) DspVad.defaults().create(f);
            AudioFrame frame = new AudioFrame(f, new short[160], 160, 0L);
            for (int i = 0; i < 100; i++) {
                vad.process(frame);
            }
            assertThat(vad.transforms()).as("2 s of zeros").isZero();
            frame.samples()[p] = 1;
            vad.process(frame);
            int holding = (p < 80 ? 1 : 0) + (p >= 32 ? 1 : 0);
            assertThat(vad.transforms()).as("windows holding sample %d", p).isGreaterThanOrEqualTo(holding);
            long before = vad.transforms();
            frame.samples()[p] = 0;
            vad.process(frame);
            // The next frame's first window still holds the sample if it was in the last 48.
            assertThat(vad.transforms() - before).as("after sample %d", p).isGreaterThanOrEqualTo(p >= 112 ? 1 : 0);
            for (int i = 0; i < 10; i++) {
                vad.process(frame);
            }
            long settled = vad.transforms();
            vad.process(frame);
            assertThat(vad.transforms()).as("zeros again after sample %d", p).isEqualTo(settled);
        }
    }

    @Test
    void talkerGateRejectsQuietBackgroundSpeech() {
        int rate = 16_000;
        // The talker at 3-4.5 s and 6-7.5 s; a quieter "other talker" 20 dB down throughout.
        float[] talker = TestSignals.concat(new float[3 * rate], TestSignals.speech(rate, 1.5, 31), new float[3 * rate / 2],
                TestSignals.speech(rate, 1.5, 32), new float[3 * rate]);
        float[] background = new float[talker.length];
        for (int off = 0; off < background.length; off += rate) {
            float[] s = TestSignals.speech(rate, 1.0, 40 + off);
            System.arraycopy(s, 0, background, off, Math.min(s.length, background.length - off));
        }
        short[] mix = TestSignals.pcm(TestSignals.mix(talker, background, 20, rate));
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        boolean[] plain = run(DspVad.defaults().create(f), f, mix);
        boolean[] gated = run(DspVad.builder().talkerGateDb(14).build().create(f), f, mix);
        // Without the gate the background talker is speech too; with it, only the talker is.
        assertThat(fraction(plain, 400, 525)).isGreaterThan(0.5);
        assertThat(fraction(gated, 400, 525)).isLessThan(0.1);
        assertThat(fraction(gated, 305, 370)).isGreaterThan(0.8);
        assertThatThrownBy(() -> DspVad.builder().talkerGateDb(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("talkerGateDb");
    }

    @Test
    void resetForgetsTheStream() {
        AudioFormat f = AudioFormat.PCM_16K_MONO;
        Vad vad = DspVad.defaults().create(f);
        short[] s = TestSignals.pcm(scene(16_000, 10, 9));
        boolean[] first = run(vad, f, s);
        vad.reset();
        assertThat(run(vad, f, s)).isEqualTo(first);
    }

    @Test
    void detectReturnsPaddedSegments() {
        int rate = 16_000;
        AudioClip clip = new AudioClip(AudioFormat.PCM_16K_MONO, TestSignals.pcm(scene(rate, 15, 21)));
        List<DspVad.SpeechSegment> segs = DspVad.builder().prefixPadding(Duration.ofMillis(200)).build().detect(clip);
        assertThat(segs).hasSize(3);
        long[] starts = {2_000, 5_000, 8_000};
        for (int i = 0; i < 3; i++) {
            assertThat(segs.get(i).startNanos() / 1_000_000).isBetween(starts[i] - 300, starts[i] + 50);
            assertThat(segs.get(i).endNanos() / 1_000_000).isBetween(starts[i] + 1_350, starts[i] + 1_700);
        }
    }

    @Test
    void findsRealSpeechInPocketsphinxRecordings() throws IOException {
        Path dir = Path.of("/usr/share/pocketsphinx/test/data/librivox");
        Assumptions.assumeTrue(Files.isDirectory(dir), "Debian package pocketsphinx-testdata is not installed");
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(x -> x.toString().endsWith(".wav")).toList()) {
                AudioClip clip = Wav.read(p);
                boolean[] d = run(DspVad.defaults().create(clip.format()), clip.format(), clip.samples());
                // Read speech: mostly voiced, with pauses; a detector that hears nothing or everything fails.
                assertThat(fraction(d, 0, d.length)).as(p.getFileName().toString()).isBetween(0.5, 0.97);
            }
        }
    }

    @Test
    void fastLogIsAccurate() {
        for (float x = 1e-3f; x < 1e6f; x *= 1.37f) {
            assertThat((double) DspVadStream.fastLn(x)).as("ln %s", x).isCloseTo(Math.log(x), org.assertj.core.api.Assertions.within(3e-4));
        }
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> DspVad.defaults().create(new AudioFormat(96_000, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("96000");
        Vad vad = DspVad.defaults().create(AudioFormat.PCM_16K_MONO);
        assertThatThrownBy(() -> vad.process(AudioFrame.allocate(AudioFormat.PCM_8K_MONO, 160)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
        assertThat(vad.process(AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 0)).speech()).isFalse();
        assertThatThrownBy(() -> DspVad.builder().activationThreshold(0.3f).deactivationThreshold(0.5f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deactivationThreshold");
        assertThatThrownBy(() -> DspVad.builder().activationThreshold(Float.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DspVad.builder().minSilence(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minSilence");
        assertThatThrownBy(() -> DspVad.builder().sensitivity(0f).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sensitivity");
    }
}
