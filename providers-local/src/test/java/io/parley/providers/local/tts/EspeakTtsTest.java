package io.parley.providers.local.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import org.junit.jupiter.api.Test;

class EspeakTtsTest {

    @Test
    void synthesizesSpeechAtItsNativeRate() throws Exception {
        EspeakTts tts = EspeakTts.create();
        assertThat(tts.nativeSampleRate()).isEqualTo(22_050);
        CollectingTtsListener l = new CollectingTtsListener();
        try (TtsStream s = tts.open(new TtsRequest("t", new AudioFormat(22_050, 1), ""), l)) {
            s.pushText("Hello from eSpeak. This is a second sentence.");
            s.flush();
            l.awaitDone();
        }
        double seconds = l.bytes().length / 2 / 22_050.0;
        assertThat(seconds).isBetween(1.5, 6.0);
    }

    @Test
    void missingLibraryNamesTheDebianPackage() {
        assertThatThrownBy(() -> EspeakSynthesizer.load("espeak-ng-absent"))
                .isInstanceOfSatisfying(SessionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
                .hasMessageContaining("apt-get install espeak-ng");
    }

    @Test
    void unknownVoiceAndRateAreRejected() {
        assertThatThrownBy(() -> EspeakTts.create("xx-nowhere", 160)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("xx-nowhere");
        assertThatThrownBy(() -> EspeakTts.create("en-us", 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
