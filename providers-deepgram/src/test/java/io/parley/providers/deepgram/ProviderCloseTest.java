package io.parley.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttRequest;
import io.parley.spi.TtsRequest;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ProviderCloseTest {

    @Test
    void closeRefusesNewStreamsAndIsIdempotent() throws Exception {
        try (FakeDeepgram fake = new FakeDeepgram()) {
            DeepgramStt stt = DeepgramStt.builder().apiKey(FakeDeepgram.KEY).baseUrl(fake.baseUrl()).build();
            DeepgramTts tts = DeepgramTts.builder().apiKey(FakeDeepgram.KEY).baseUrl(fake.baseUrl()).build();
            stt.close();
            stt.close();
            tts.close();
            assertThatThrownBy(() -> stt.open(new SttRequest("s", AudioFormat.PCM_16K_MONO, Duration.ZERO, ""), new RecordingSttListener()))
                    .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
            assertThatThrownBy(() -> tts.open(new TtsRequest("s", AudioFormat.PCM_24K_MONO, ""), new RecordingTtsListener()))
                    .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        }
    }

    @Test
    void aClientTheApplicationPassedInIsNotShutDown() {
        OkHttpClient mine = new OkHttpClient();
        try {
            DeepgramStt.builder().apiKey(FakeDeepgram.KEY).httpClient(mine).build().close();
            DeepgramTts.builder().apiKey(FakeDeepgram.KEY).httpClient(mine).build().close();
            assertThat(mine.dispatcher().executorService().isShutdown()).isFalse();
        } finally {
            mine.dispatcher().executorService().shutdown();
        }
    }
}
