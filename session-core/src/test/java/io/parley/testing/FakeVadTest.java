package io.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Vad;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The hangover counts quiet audio, as real detectors count frames: a host that stamps some
 * frames on arrival and others as captured, and delivers late audio in a burst, made the
 * timestamps jump back 68 s in chaos session 413, and a hangover measured between timestamps
 * then never ran out.
 */
class FakeVadTest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;

    private static AudioFrame frame(boolean loud, long timestampMillis) {
        AudioFrame f = AudioFrame.allocate(FORMAT, 320).setLength(320);
        Arrays.fill(f.samples(), (short) (loud ? 4000 : 0));
        return f.setTimestampNanos(Duration.ofMillis(timestampMillis).toNanos());
    }

    @Test
    void speechEndsAfterTheHangoverOfQuietAudioWhateverTheTimestamps() {
        Vad vad = new FakeVad(500, Duration.ofMillis(100)).create(FORMAT);
        // A loud frame stamped on arrival, then quiet frames stamped as captured, a minute earlier.
        assertThat(vad.process(frame(true, 70_000)).speech()).isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(vad.process(frame(false, 10_000 + 20 * i)).speech()).as("quiet frame %d", i).isTrue();
        }
        assertThat(vad.process(frame(false, 10_080)).speech()).isFalse();
    }

    @Test
    void withoutHangoverTheFirstQuietFrameEndsSpeech() {
        Vad vad = new FakeVad().create(FORMAT);
        assertThat(vad.process(frame(true, 0)).speech()).isTrue();
        assertThat(vad.process(frame(false, 20)).speech()).isFalse();
    }
}
