package io.parley.session.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.session.AudioListener;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.UserScript;
import io.parley.time.Clock;
import java.io.ByteArrayInputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFeedTest {

    /** One second of a 440 Hz tone, every sample distinct enough to compare exactly. */
    private static AudioClip tone(AudioFormat format, int millis) {
        short[] s = new short[format.samplesFor(millis)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * (i / format.channels()) / format.sampleRate()));
        }
        return new AudioClip(format, s);
    }

    /** Audio listeners run on the listener thread, after processAudio returns: wait for them. */
    private static void awaitHeard(AtomicLong heard, long samples) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (heard.get() < samples && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    private static VoiceSession session(AudioListener listener) {
        Clock clock = Clock.system();
        UserScript nobody = new UserScript();
        return VoiceSession.builder()
                .stt(FakeStt.builder(clock, nobody).build())
                .tts(FakeTts.builder(clock).build())
                .vad(new FakeVad())
                .agent((ctx, text) -> "ok")
                .audioListener(listener)
                .build();
    }

    @Test
    void everySampleOfAWavReachesTheSessionAndTheRecorderWritesItBack(@TempDir Path dir) throws Exception {
        AudioClip clip = tone(AudioFormat.PCM_16K_MONO, 1_000);
        Path in = dir.resolve("in.wav");
        Wav.write(in, clip);
        Path userWav = dir.resolve("out/user.wav");
        WavRecorder recorder = WavRecorder.builder().user(userWav).build();
        AtomicLong heard = new AtomicLong();
        VoiceSession session = session(new AudioListener() {
            @Override
            public void onUserAudio(AudioFrame frame) {
                heard.addAndGet(frame.length());
                recorder.onUserAudio(frame);
            }
        });
        session.start();
        try {
            AudioFeed.wav(in).frameMillis(30).thenSilence(Duration.ofMillis(200)).asFastAsAccepted().into(session);
            awaitHeard(heard, clip.length() + AudioFormat.PCM_16K_MONO.samplesFor(200));
        } finally {
            session.stop();
        }
        recorder.close();
        int silence = AudioFormat.PCM_16K_MONO.samplesFor(200);
        assertThat(heard.get()).isEqualTo(clip.length() + silence);
        AudioClip written = Wav.read(userWav);
        assertThat(written.length()).isEqualTo(clip.length() + silence);
        assertThat(written.slice(0, clip.durationNanos())).isEqualTo(clip);
    }

    @Test
    void otherRatesAreConvertedAndRawPcmStreams() throws Exception {
        AudioClip eightK = tone(AudioFormat.PCM_8K_MONO, 500);
        byte[] pcm = new byte[eightK.length() * 2];
        for (int i = 0; i < eightK.length(); i++) {
            pcm[2 * i] = (byte) eightK.samples()[i];
            pcm[2 * i + 1] = (byte) (eightK.samples()[i] >> 8);
        }
        AtomicLong heard = new AtomicLong();
        VoiceSession session = session(new AudioListener() {
            @Override
            public void onUserAudio(AudioFrame frame) {
                assertThat(frame.format()).isEqualTo(AudioFormat.PCM_16K_MONO);
                heard.addAndGet(frame.length());
            }
        });
        session.start();
        try {
            AudioFeed.pcm(new ByteArrayInputStream(pcm), AudioFormat.PCM_8K_MONO).asFastAsAccepted().into(session);
            awaitHeard(heard, 7_800);
            long fromStream = heard.getAndSet(0);
            AudioFeed.clip(eightK).asFastAsAccepted().into(session);
            awaitHeard(heard, 8_000);
            // The streaming resampler keeps its filter delay; the clip is converted whole.
            assertThat(fromStream).isBetween(7_800L, 8_000L);
        } finally {
            session.stop();
        }
        assertThat(heard.get()).isEqualTo(8_000);
    }

    @Test
    void badInputIsRefusedWithTheFix(@TempDir Path dir) throws Exception {
        Path stereo = dir.resolve("stereo.wav");
        Wav.write(stereo, tone(new AudioFormat(16_000, 2), 100));
        VoiceSession session = session(new AudioListener() { });
        session.start();
        try {
            assertThatThrownBy(() -> AudioFeed.wav(stereo).into(session))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sox").hasMessageContaining("-c 1");
            assertThatThrownBy(() -> AudioFeed.wav(dir.resolve("missing.wav")).into(session))
                    .isInstanceOf(NoSuchFileException.class);
            Path notWav = dir.resolve("text.wav");
            java.nio.file.Files.writeString(notWav, "hello");
            assertThatThrownBy(() -> AudioFeed.wav(notWav).into(session))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a RIFF/WAVE file")
                    .hasMessageContaining("sox");
        } finally {
            session.stop();
        }
        assertThatThrownBy(() -> AudioFeed.wav(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioFeed.clip(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioFeed.wav(stereo).into(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AudioFeed.wav(stereo).frameMillis(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
