package io.parley.providers.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcmAndAlignmentTest {

    @Test
    void assemblerCarriesOddBytesAndCopiesMonoToEveryChannel() {
        List<short[]> frames = new ArrayList<>();
        TtsListener l = new TtsListener() {
            @Override
            public void onAudio(AudioFrame frame) {
                frames.add(java.util.Arrays.copyOf(frame.samples(), frame.length()));
            }

            @Override
            public void onComplete() {
            }

            @Override
            public void onError(SessionException error) {
            }
        };
        PcmAssembler a = new PcmAssembler(new AudioFormat(16_000, 2));
        byte[] bytes = {0x01, 0x02, 0x03, (byte) 0xFF, (byte) 0x80};
        a.accept(bytes, 0, 3, 0, l);
        a.accept(bytes, 3, 2, 0, l);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).containsExactly((short) 0x0201, (short) 0x0201);
        assertThat(frames.get(1)).containsExactly((short) 0xFF03, (short) 0xFF03);
        assertThat(a.samplesDelivered()).isEqualTo(2);
        a.accept(new byte[] {0x7F}, 0, 1, 0, l); // completes the 0x80 carried from the last piece
        assertThat(frames.get(2)).containsExactly((short) 0x7F80, (short) 0x7F80);
        PcmAssembler fresh = new PcmAssembler(AudioFormat.PCM_16K_MONO);
        fresh.accept(new byte[] {0x11}, 0, 1, 0, l);
        assertThat(frames).as("half a sample waits for its other byte").hasSize(3);
    }

    @Test
    void alignerJoinsWordsAcrossChunksAndFinishesTheLastOne() {
        ServerMessage m = new ServerMessage().parse("{\"audio\":null,\"alignment\":{\"chars\":[\"H\",\"e\",\"y\",\" \",\"y\",\"o\"],"
                + "\"charStartTimesMs\":[0,10,20,30,40,50],\"charDurationsMs\":[10,10,10,10,10,10]}}");
        WordAligner w = new WordAligner();
        assertThat(w.add(m.bestAlignment(), 0)).containsExactly(new WordTiming("Hey", Duration.ZERO, Duration.ofMillis(30)));
        m.parse("{\"alignment\":{\"chars\":[\"u\"],\"charStartTimesMs\":[0],\"charDurationsMs\":[25]}}");
        assertThat(w.add(m.bestAlignment(), 60_000_000L)).isEmpty();
        assertThat(w.finish()).containsExactly(new WordTiming("you", Duration.ofMillis(40), Duration.ofMillis(85)));
        assertThat(w.finish()).isEmpty();
    }

    @Test
    void malformedMessagesAreProtocolErrors() {
        ServerMessage m = new ServerMessage();
        assertThatThrownBy(() -> m.parse("[]")).isInstanceOfSatisfying(SessionException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_PROTOCOL));
        assertThatThrownBy(() -> m.parse("{\"audio\":\"not base64!!\"}")).isInstanceOf(SessionException.class);
        assertThatThrownBy(() -> m.parse("{\"alignment\":{\"chars\":[\"a\"],\"charStartTimesMs\":[],\"charDurationsMs\":[1]}}"))
                .isInstanceOf(SessionException.class).hasMessageContaining("malformed");
    }
}
