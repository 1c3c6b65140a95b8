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

/**
 * Each microphone frame meets the outbound audio that was playing while it was captured: the
 * frame's length of it, ending where playout stood; nothing while paused, nothing after a cut
 * or past what was sent.
 */
class FarEndTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;

    private final VirtualClock clock = new VirtualClock();
    /** Per microphone frame, the outbound positions handed over before it ("from-to"), or "-" for none. */
    private final List<String> spans = new ArrayList<>();
    private final List<Boolean> voices = new ArrayList<>();
    private long spanFrom = -1;
    private long spanTo = -1;
    private final List<String> gaps = new ArrayList<>();
    private final EchoSuppressor recorder = new EchoSuppressor() {
        @Override
        public void played(AudioFrame farEnd) {
            for (int i = 0; i < farEnd.length(); i++) {
                long pos = farEnd.samples()[i] - 1;
                if (spanFrom < 0) {
                    spanFrom = pos;
                } else if (pos != spanTo) {
                    gaps.add("position " + pos + " after " + spanTo);
                }
                spanTo = pos + 1;
            }
        }

        @Override
        public boolean userSpeech(AudioFrame nearEnd, boolean voice) {
            spans.add(spanFrom < 0 ? "-" : spanFrom + "-" + spanTo);
            spanFrom = -1;
            voices.add(voice);
            return voice;
        }
    };
    private final FarEnd farEnd = new FarEnd(null, recorder, F, clock);

    /** 20 ms of outbound audio at position {@code pos}, each sample holding its position + 1. */
    private void send(long pos) {
        AudioFrame f = AudioFrame.allocate(F, 320).setLength(320);
        for (int i = 0; i < 320; i++) {
            f.samples()[i] = (short) (pos + i + 1);
        }
        farEnd.sent(f, pos);
    }

    /** A new run; the microphone was already on before the agent's first audio. */
    private void start() {
        farEnd.reset(0);
        listen(20, false);
        spans.clear();
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
        farEnd.release(near, false);
        return farEnd.userSpeech(near, voice);
    }

    @Test
    void audioIsHandedOverAsItPlaysNothingWhilePausedAndNothingDroppedByACut() {
        start();
        send(0);
        send(320);
        farEnd.playout(0, true);
        assertThat(listen(10, true)).isTrue();
        listen(10, false);
        // Paused: nothing more plays until the resume.
        farEnd.playout(320, false);
        listen(100, false);
        farEnd.playout(320, true);
        listen(10, false);
        // A cut at 480 drops the rest of frame 2; new audio continues from there.
        farEnd.rewind(480, true);
        send(480);
        listen(20, false);
        // Underrun: playout cannot run past what was sent.
        listen(20, false);
        listen(500, false);
        // The next reply starts playing halfway through a frame: that frame meets only the new
        // audio, not the previous reply's last 10 ms.
        clock.advance(Duration.ofMillis(10));
        send(800);
        farEnd.playout(800, true);
        clock.advance(Duration.ofMillis(10));
        deliver(20, false);
        assertThat(spans).containsExactly("0-160", "160-320", "-", "320-480", "480-800", "-", "-", "800-960");
        assertThat(voices).containsExactly(true, false, false, false, false, false, false, false);
        assertThat(gaps).isEmpty();
    }

    @Test
    void whenThePlayoutEstimateStepsBackTheReferenceStepsWithIt() {
        start();
        for (int i = 0; i < 5; i++) {
            send(320 * i);
        }
        farEnd.playout(0, true);
        listen(30, true);
        // The transport says less has played than the clock implied: 80 samples behind.
        farEnd.playout(400, true);
        listen(1, true);
        listen(19, true);
        // Each frame's reference ends where the estimate says playout stood at its capture,
        // even where that repeats audio an earlier frame already met.
        assertThat(spans).containsExactly("0-480", "400-416", "416-720");
    }

    @Test
    void microphoneAudioDeliveredLateMeetsWhatWasPlayingWhenItWasCaptured() {
        start();
        for (int i = 0; i < 5; i++) {
            send(320 * i);
        }
        farEnd.playout(0, true);
        listen(20, false);
        // Playout pauses 40 ms later; the microphone's next 60 ms arrive together after that.
        clock.advance(Duration.ofMillis(40));
        farEnd.playout(960, false);
        clock.advance(Duration.ofMillis(20));
        deliver(20, false);
        deliver(20, false);
        deliver(20, false);
        // On time again, and playout resumed.
        farEnd.playout(960, true);
        listen(20, false);
        assertThat(spans).containsExactly("0-320", "320-640", "640-960", "-", "960-1280");
    }

    @Test
    void aFrameLongerThanTwentyMillisecondsGetsItsWholeLength() {
        start();
        for (int i = 0; i < 5; i++) {
            send(320 * i);
        }
        farEnd.playout(0, true);
        listen(60, false);
        assertThat(spans).containsExactly("0-960");
        assertThat(gaps).isEmpty();
    }
}
