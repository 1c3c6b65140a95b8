package io.parley.providers.local.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FreeTtsTtsTest {

    static FreeTtsTts tts;

    @BeforeAll
    static void load() {
        tts = FreeTtsTts.create();
    }

    private static byte[] say(AudioFormat format, String text) throws Exception {
        CollectingTtsListener l = new CollectingTtsListener();
        try (TtsStream s = tts.open(new TtsRequest("t", format, ""), l)) {
            s.pushText(text);
            s.flush();
            l.awaitDone();
        }
        return l.bytes();
    }

    @Test
    void producesDeterministicLittleEndianSixteenKilohertzSpeech() throws Exception {
        assertThat(tts.nativeSampleRate()).isEqualTo(16_000);
        byte[] a = say(AudioFormat.PCM_16K_MONO, "Hello, how can I help you today?");
        byte[] b = say(AudioFormat.PCM_16K_MONO, "Hello, how can I help you today?");
        assertThat(a).isEqualTo(b);
        double seconds = a.length / 2 / 16_000.0;
        assertThat(seconds).isBetween(1.0, 4.0);
        // Little-endian samples of real speech: substantial energy, and no DC-heavy garbage that
        // reading big-endian bytes as little-endian would produce.
        short[] s = new short[a.length / 2];
        java.nio.ByteBuffer.wrap(a).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        double sumSq = 0;
        int loudSamples = 0;
        for (short v : s) {
            sumSq += (double) v * v;
            if (Math.abs(v) > 20_000) {
                loudSamples++;
            }
        }
        double rms = Math.sqrt(sumSq / s.length);
        assertThat(rms).isBetween(300.0, 8_000.0);
        assertThat((double) loudSamples / s.length).isLessThan(0.01);
    }

    @Test
    void deliversTwentyMillisecondFramesAndDuplicatesMonoIntoEveryChannel() throws Exception {
        CollectingTtsListener l = new CollectingTtsListener();
        AudioFormat stereo = new AudioFormat(16_000, 2);
        try (TtsStream s = tts.open(new TtsRequest("t", stereo, ""), l)) {
            s.pushText("Two channels.");
            s.flush();
            l.awaitDone();
        }
        assertThat(l.format).isEqualTo(stereo);
        assertThat(l.maxFrameSamples).isEqualTo(640);
        byte[] pcm = l.bytes();
        for (int i = 0; i + 3 < pcm.length; i += 4) {
            assertThat(pcm[i]).isEqualTo(pcm[i + 2]);
            assertThat(pcm[i + 1]).isEqualTo(pcm[i + 3]);
        }
        byte[] mono = say(AudioFormat.PCM_16K_MONO, "Two channels.");
        assertThat(pcm.length).isEqualTo(mono.length * 2);
    }

    @Test
    void speaksTheFirstSentenceBeforeTheReplyIsComplete() throws Exception {
        CollectingTtsListener l = new CollectingTtsListener();
        try (TtsStream s = tts.open(new TtsRequest("t", AudioFormat.PCM_16K_MONO, ""), l)) {
            s.pushText("The first sentence is ready. The second one is still");
            l.awaitFirstAudio();
            assertThat(l.done).isNotDone();
            s.pushText(" being written.");
            s.flush();
            l.awaitDone();
        }
        byte[] whole = say(AudioFormat.PCM_16K_MONO, "The first sentence is ready. The second one is still being written.");
        assertThat(l.bytes()).isEqualTo(whole);
    }

    @Test
    void cancelStopsAudioAndCompletion() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CollectingTtsListener l = new CollectingTtsListener() {
            @Override
            public synchronized void onAudio(io.parley.audio.AudioFrame frame) {
                super.onAudio(frame);
                if (frames == 1) {
                    try {
                        // Hold the first frame so cancel() lands mid-reply.
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        TtsStream s = tts.open(new TtsRequest("t", AudioFormat.PCM_16K_MONO, ""), l);
        s.pushText("This is a long reply that will be interrupted. It has a second sentence too.");
        s.flush();
        l.awaitFirstAudio();
        s.cancel();
        release.countDown();
        s.close();
        assertThat(l.done.completeOnTimeout(null, 300, TimeUnit.MILLISECONDS).get()).isNull();
        assertThat(l.frames).isEqualTo(1);
        s.pushText("ignored after cancel");
        s.flush();
        assertThat(l.frames).isEqualTo(1);
    }

    @Test
    void flushWithoutTextCompletesWithNoAudio() throws Exception {
        CollectingTtsListener l = new CollectingTtsListener();
        try (TtsStream s = tts.open(new TtsRequest("t", AudioFormat.PCM_16K_MONO, ""), l)) {
            s.flush();
            l.awaitDone();
        }
        assertThat(l.frames).isZero();
    }

    @Test
    void pushAfterFlushIsAnError() throws Exception {
        CollectingTtsListener l = new CollectingTtsListener();
        try (TtsStream s = tts.open(new TtsRequest("t", AudioFormat.PCM_16K_MONO, ""), l)) {
            s.pushText("Done.");
            s.flush();
            assertThatThrownBy(() -> s.pushText("more")).isInstanceOf(IllegalStateException.class);
            l.awaitDone();
        }
    }

    @Test
    void anotherPitchAndRateIsAnotherSpeaker() throws Exception {
        FreeTtsTts other = FreeTtsTts.builder().pitch(140).wordsPerMinute(170).build();
        CollectingTtsListener l = new CollectingTtsListener();
        try (TtsStream s = other.open(new TtsRequest("t", AudioFormat.PCM_16K_MONO, ""), l)) {
            s.pushText("What time is it?");
            s.flush();
            l.awaitDone();
        }
        byte[] base = say(AudioFormat.PCM_16K_MONO, "What time is it?");
        assertThat(l.bytes()).isNotEqualTo(base);
        assertThat(l.bytes().length).isLessThan(base.length);
        assertThatThrownBy(() -> FreeTtsTts.builder().pitch(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FreeTtsTts.builder().wordsPerMinute(1000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resamplesToTheRequestedRate() throws Exception {
        byte[] at16 = say(AudioFormat.PCM_16K_MONO, "Resampled speech.");
        byte[] at48 = say(AudioFormat.PCM_48K_MONO, "Resampled speech.");
        // Same duration, three times the samples, give or take the filter's tail.
        assertThat((double) at48.length / at16.length).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.01));
        assertThatThrownBy(() -> tts.open(new TtsRequest("t", new AudioFormat(11_025, 1), ""), new CollectingTtsListener()))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AUDIO))
                .hasMessageContaining("11025");
    }

    @Test
    void timesEveryWordRelativeToTheReplysFirstSample() throws Exception {
        CollectingTtsListener l = new CollectingTtsListener();
        try (TtsStream s = tts.open(new TtsRequest("t", AudioFormat.PCM_48K_MONO, ""), l)) {
            s.pushText("So far I heard 4 things. First, you said hello.");
            s.flush();
            l.awaitDone();
        }
        assertThat(l.words).extracting(io.parley.spi.WordTiming::word)
                .containsExactly("So", "far", "I", "heard", "4", "things", "First", "you", "said", "hello");
        java.time.Duration total = java.time.Duration.ofNanos(AudioFormat.PCM_48K_MONO.nanosFor(l.bytes().length / 2));
        for (int i = 1; i < l.words.size(); i++) {
            assertThat(l.words.get(i).start()).isGreaterThanOrEqualTo(l.words.get(i - 1).end());
            assertThat(l.words.get(i).end()).isGreaterThan(l.words.get(i).start());
        }
        // The second sentence's words start after the first sentence's audio.
        byte[] first = say(AudioFormat.PCM_48K_MONO, "So far I heard 4 things.");
        java.time.Duration firstLength = java.time.Duration.ofNanos(AudioFormat.PCM_48K_MONO.nanosFor(first.length / 2));
        assertThat(l.words.get(5).end()).isBetween(firstLength.minusMillis(300), firstLength);
        assertThat(l.words.get(6).end()).isGreaterThan(firstLength);
        assertThat(l.words.get(9).end()).isBetween(total.minusMillis(400), total);
    }

    @Test
    void replyStartsAtItsFirstSoundWhileSentencesKeepTheirPause() throws Exception {
        byte[] reply = say(AudioFormat.PCM_16K_MONO, "My name is Parley. I am a voice agent.");
        short[] s = new short[reply.length / 2];
        java.nio.ByteBuffer.wrap(reply).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        int firstLoud = 0;
        while (Math.abs(s[firstLoud]) <= LeadingSilence.THRESHOLD) {
            firstLoud++;
        }
        // FreeTTS opens each utterance with about 200 ms of near-silence; the reply keeps only the margin.
        assertThat(firstLoud * 1000 / 16_000).isBetween(LeadingSilence.MARGIN_MILLIS - 1, LeadingSilence.MARGIN_MILLIS + 5);
        // The second sentence still follows a pause of at least 150 ms: longest quiet stretch after speech began.
        int longestQuiet = 0;
        int run = 0;
        for (int i = firstLoud; i < s.length; i++) {
            run = Math.abs(s[i]) <= LeadingSilence.THRESHOLD ? run + 1 : 0;
            longestQuiet = Math.max(longestQuiet, run);
        }
        assertThat(longestQuiet * 1000 / 16_000).isGreaterThanOrEqualTo(150);
    }

    @Test
    void trimmingLeavesQuietAudioAlone() {
        short[] quiet = new short[1600];
        java.util.Arrays.fill(quiet, (short) 100);
        assertThat(LeadingSilence.samples(quiet, quiet.length, 16_000)).isZero();
        quiet[800] = 5_000;
        assertThat(LeadingSilence.samples(quiet, quiet.length, 16_000)).isEqualTo(800 - 16_000 * LeadingSilence.MARGIN_MILLIS / 1000);
        quiet[100] = -5_000;
        assertThat(LeadingSilence.samples(quiet, quiet.length, 16_000)).isZero();
    }

    @Test
    void unknownVoiceIsRejected() {
        assertThatThrownBy(() -> FreeTtsTts.builder().voice("alan").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kevin16");
    }
}
