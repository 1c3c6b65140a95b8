package io.parley.providers.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Talks to the real ElevenLabs service. Tagged {@code live}: outside the default suite, run with
 * {@code mvn verify -Plive} and {@code ELEVENLABS_API_KEY} set (without the key JUnit
 * reports it as skipped otherwise); the voice is {@code ELEVENLABS_VOICE_ID} or the premade
 * "Rachel" voice.
 */
@Tag("live")
@EnabledIfEnvironmentVariable(named = "ELEVENLABS_API_KEY", matches = ".+")
class ElevenLabsLiveSmokeTest {

    private static final String VOICE = System.getenv().getOrDefault("ELEVENLABS_VOICE_ID", "21m00Tcm4TlvDq8ikWAM");
    private static final TtsRequest REQUEST = new TtsRequest("live", AudioFormat.PCM_16K_MONO, VOICE);

    private static RecordingTtsListener speak(TtsProvider tts) throws InterruptedException {
        RecordingTtsListener l = new RecordingTtsListener();
        try (TtsStream s = tts.open(REQUEST, l)) {
            s.pushText("Hello from Parley. ");
            s.pushText("This is a live check.");
            s.flush();
            assertThat(l.events.poll(30, TimeUnit.SECONDS)).isEqualTo(RecordingTtsListener.COMPLETE);
        }
        return l;
    }

    @Test
    void streamInputSpeaksWithWordTimings() throws Exception {
        RecordingTtsListener l = speak(ElevenLabsTts.builder().build());
        assertThat(l.audioBytes()).isGreaterThan(16_000);
        assertThat(l.words).extracting(w -> w.word().toLowerCase()).contains("hello");
    }

    @Test
    void multiContextSpeaksTwoRepliesOnOneSocket() throws Exception {
        try (ElevenLabsTts tts = ElevenLabsTts.builder().mode(ElevenLabsTts.Mode.MULTI_CONTEXT).build()) {
            assertThat(speak(tts).audioBytes()).isGreaterThan(16_000);
            assertThat(speak(tts).audioBytes()).isGreaterThan(16_000);
        }
    }

    @Test
    void httpStreamingSpeaks() throws Exception {
        assertThat(speak(ElevenLabsHttpTts.builder().build()).audioBytes()).isGreaterThan(16_000);
    }
}
