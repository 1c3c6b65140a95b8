package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.EchoSuppressor;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The far-end reference reaches the echo suppressor as it is played, never early, never after a cut. */
class FarEndTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;

    private final VirtualClock clock = new VirtualClock();
    private final List<Short> heard = new ArrayList<>();
    private final List<Boolean> voices = new ArrayList<>();
    private final EchoSuppressor recorder = new EchoSuppressor() {
        @Override
        public void played(AudioFrame farEnd) {
            for (int i = 0; i < farEnd.length(); i++) {
                heard.add(farEnd.samples()[i]);
            }
        }

        @Override
        public boolean userSpeech(AudioFrame nearEnd, boolean voice) {
            voices.add(voice);
            return voice;
        }
    };
    private final FarEnd farEnd = new FarEnd(recorder, F, clock);

    private static AudioFrame frame(int value) {
        AudioFrame f = AudioFrame.allocate(F, 320).setLength(320);
        java.util.Arrays.fill(f.samples(), (short) value);
        return f;
    }

    /** A new run; the microphone was already on before the agent's first audio. */
    private void start() {
        farEnd.reset(0);
        listen(20, false);
        voices.clear();
    }

    /** The next {@code millis} of microphone audio, captured over the next {@code millis} and delivered at once. */
    private boolean listen(int millis, boolean voice) {
        clock.advance(Duration.ofMillis(millis));
        return deliver(millis, voice);
    }

    /** The next {@code millis} of microphone audio, delivered now. */
    private boolean deliver(int millis, boolean voice) {
        AudioFrame near = AudioFrame.allocate(F, F.samplesFor(millis)).setLength(F.samplesFor(millis));
        return farEnd.userSpeech(near, voice);
    }

    @Test
    void audioIsReleasedAsItPlaysHeldWhilePausedAndDroppedByACut() {
        start();
        // Two 20 ms frames handed over ahead of playout.
        farEnd.sent(frame(1), 0);
        farEnd.sent(frame(2), 320);
        farEnd.playout(0, true);
        assertThat(listen(10, true)).isTrue();
        assertThat(heard).hasSize(160).containsOnly((short) 1);

        listen(10, false);
        assertThat(heard).hasSize(320);
        // Paused: nothing more plays until the resume.
        farEnd.playout(320, false);
        listen(100, false);
        assertThat(heard).hasSize(320);

        farEnd.playout(320, true);
        listen(10, false);
        assertThat(heard).hasSize(480);
        assertThat(heard.get(479)).isEqualTo((short) 2);

        // A cut at 480 drops the rest of frame 2; new audio continues from there.
        farEnd.rewind(480, true);
        farEnd.sent(frame(3), 480);
        listen(40, false);
        assertThat(heard).hasSize(800);
        assertThat(heard.subList(480, 800)).containsOnly((short) 3);

        // Underrun: playout cannot run past what was sent.
        listen(500, false);
        assertThat(heard).hasSize(800);
        assertThat(voices).containsExactly(true, false, false, false, false, false);
    }

    @Test
    void aPlayoutEstimateBehindWhatWasHandedOverHandsNothingOverTwice() {
        start();
        for (int i = 0; i < 5; i++) {
            farEnd.sent(frame(i + 1), 320 * i);
        }
        farEnd.playout(0, true);
        listen(30, true);
        assertThat(heard).hasSize(480);
        // The transport says less has played than the clock implied: 5 ms behind the reader.
        farEnd.playout(400, true);
        listen(1, true);
        assertThat(heard).hasSize(480);
        listen(19, true);
        // Played up to 400 + 320 = 720; what follows 480 is new, in order, without repeats.
        assertThat(heard).hasSize(720);
        for (int i = 0; i < heard.size(); i++) {
            assertThat(heard.get(i)).as("sample %d", i).isEqualTo((short) (i / 320 + 1));
        }
    }

    @Test
    void microphoneAudioDeliveredLateMeetsWhatWasPlayingWhenItWasCaptured() {
        start();
        for (int i = 0; i < 5; i++) {
            farEnd.sent(frame(i + 1), 320 * i);
        }
        farEnd.playout(0, true);
        listen(20, false);
        assertThat(heard).hasSize(320);
        // Playout pauses 40 ms later; the microphone's next 60 ms arrive together after that.
        clock.advance(Duration.ofMillis(40));
        farEnd.playout(960, false);
        clock.advance(Duration.ofMillis(20));
        deliver(20, false);
        assertThat(heard).as("reference up to the first held frame's capture").hasSize(640);
        deliver(20, false);
        assertThat(heard).hasSize(960);
        deliver(20, false);
        assertThat(heard).as("nothing played after the pause").hasSize(960);
        for (int i = 0; i < heard.size(); i++) {
            assertThat(heard.get(i)).as("sample %d", i).isEqualTo((short) (i / 320 + 1));
        }
        // On time again, and playout resumed.
        farEnd.playout(960, true);
        listen(20, false);
        assertThat(heard).hasSize(1280);
    }
}
