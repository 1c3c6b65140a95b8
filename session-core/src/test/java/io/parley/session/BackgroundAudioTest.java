package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.testing.InMemoryTransport.SentFrame;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Background clips mixed into the outbound audio: alone, under speech, stopped. Virtual time. */
class BackgroundAudioTest {

    private static AudioClip constant(AudioFormat format, int value, int millis) {
        short[] s = new short[format.samplesFor(millis)];
        Arrays.fill(s, (short) value);
        return new AudioClip(format, s);
    }

    private static long samplesAfter(List<SentFrame> frames, Duration from) {
        return frames.stream().filter(f -> f.at().compareTo(from) > 0).mapToLong(f -> f.samples().length).sum();
    }

    @Test
    void aLoopingClipPlaysOnItsOwnAtRealTimePaceAndNothingGoesOutAfterStop() {
        SessionHarness h = new SessionHarness().build().start();
        AudioFormat out = h.transport.outputFormat();
        BackgroundHandle bg = h.session.playBackground(constant(out, 1000, 70),
                BackgroundOptions.builder().gain(0.5).loop(true).build());
        h.advanceTo(1000);

        List<SentFrame> sent = h.transport.sent();
        assertThat(sent).allSatisfy(f -> assertThat(f.samples()).containsOnly((short) 500));
        // A second of audio plus the playout lead, no more: paced, not flooded.
        long total = samplesAfter(sent, Duration.ofNanos(-1));
        assertThat(total).isBetween((long) out.samplesFor(1000), (long) out.samplesFor(1000 + 120));

        bg.stop();
        h.advanceTo(1010);
        int before = h.transport.sent().size();
        h.advanceTo(3000);
        assertThat(h.transport.sent()).hasSize(before);
        assertThat(bg.playing()).isFalse();
        assertThat(h.errors).isEmpty();
    }

    @Test
    void aClipInAnotherFormatIsConvertedOnceAndPlaysOnceWhenNotLooping() {
        SessionHarness h = new SessionHarness().build().start();
        AudioFormat out = h.transport.outputFormat();
        AudioFormat other = out.sampleRate() == 8000 ? AudioFormat.PCM_16K_MONO : AudioFormat.PCM_8K_MONO;
        BackgroundHandle bg = h.session.playBackground(constant(other, 4000, 300),
                BackgroundOptions.builder().gain(1).loop(false).build());
        h.advanceTo(2000);

        long total = samplesAfter(h.transport.sent(), Duration.ofNanos(-1));
        assertThat(total).isBetween((long) out.samplesFor(300), (long) out.samplesFor(320));
        short[] middle = h.transport.sent().get(5).samples();
        for (short v : middle) {
            assertThat((int) v).isBetween(3900, 4100);
        }
        assertThat(bg.playing()).isFalse();
    }

    @Test
    void theClipIsAddedSampleWiseUnderTheAgentsSpeech() {
        SessionHarness h = new SessionHarness().build().start();
        AudioFormat out = h.transport.outputFormat();
        BackgroundHandle bg = h.session.playBackground(constant(out, 1000, 40), BackgroundOptions.builder().gain(1).build());
        h.advanceTo(200);
        h.session.say("Hello there.");
        h.advanceTo(3000);

        List<SentFrame> sent = h.transport.sent();
        SentFrame firstSpeech = sent.stream().filter(f -> f.samples()[1] != 1000).findFirst().orElseThrow();
        short[] s = firstSpeech.samples();
        for (int k = 0; k < s.length; k++) {
            short tone = (short) (6000 * Math.sin(2 * Math.PI * 440 * k / out.sampleRate()));
            assertThat(s[k]).isEqualTo((short) (tone + 1000));
        }
        // After the speech the clip plays on by itself.
        assertThat(sent.get(sent.size() - 1).samples()).containsOnly((short) 1000);
        assertThat(bg.playing()).isTrue();
        h.session.stop();
        assertThat(bg.playing()).isFalse();
    }

    @Test
    void badArgumentsAndAStoppedSessionAreRefused() {
        SessionHarness h = new SessionHarness().build();
        AudioClip clip = constant(AudioFormat.PCM_16K_MONO, 1, 20);
        assertThatThrownBy(() -> h.session.playBackground(null, BackgroundOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.session.playBackground(clip, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BackgroundOptions.builder().gain(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.session.playBackground(clip, BackgroundOptions.DEFAULT))
                .isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).code()).isEqualTo(ErrorCode.SESSION_NOT_ACTIVE));
    }
}
