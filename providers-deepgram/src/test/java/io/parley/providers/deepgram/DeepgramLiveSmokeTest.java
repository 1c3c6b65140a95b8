package io.parley.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okio.ByteString;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Talks to the real Deepgram service. Tagged {@code live}: outside the default suite, run with
 * {@code mvn verify -Plive} and {@code DEEPGRAM_API_KEY} set (without the key JUnit
 * reports it as skipped otherwise): Aura speaks a sentence, live STT must hear it back.
 */
@Tag("live")
@EnabledIfEnvironmentVariable(named = "DEEPGRAM_API_KEY", matches = ".+")
class DeepgramLiveSmokeTest {

    @Test
    void auraSpeechIsTranscribedBackByLiveStt() throws Exception {
        AudioFormat format = AudioFormat.PCM_16K_MONO;
        RecordingTtsListener spoken = new RecordingTtsListener();
        try (TtsStream tts = DeepgramTts.builder().build().open(new TtsRequest("live", format, ""), spoken)) {
            tts.pushText("Hello from Parley. ");
            tts.flush();
            Object done = spoken.events.poll(30, TimeUnit.SECONDS);
            assertThat(done).isEqualTo(RecordingTtsListener.COMPLETE);
        }
        ByteString pcm = spoken.audioSnapshot();
        assertThat(pcm.size()).as("Aura audio").isGreaterThan(format.sampleRate() / 2);

        RecordingSttListener heard = new RecordingSttListener();
        try (SttStream stt = DeepgramStt.builder().build().open(new SttRequest("live", format, Duration.ofSeconds(4), "en"), heard)) {
            byte[] bytes = pcm.toByteArray();
            int frameBytes = format.samplesFor(20) * 2;
            AudioFrame frame = AudioFrame.allocate(format, frameBytes / 2);
            for (int off = 0; off + 1 < bytes.length; off += frameBytes) {
                int n = Math.min(frameBytes, bytes.length - off) & ~1;
                stt.write(frame.readPcm16le(bytes, off, n, 0));
            }
            stt.finalizeUtterance();
            StringBuilder text = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Object o = heard.events.poll(1, TimeUnit.SECONDS);
                if (o instanceof Transcript t && t.isFinal()) {
                    text.append(t.text()).append(' ');
                    if (t.speechFinal()) {
                        break;
                    }
                }
            }
            assertThat(text.toString().toLowerCase()).contains("hello");
        }
    }
}
