package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.providers.local.tts.EspeakTts;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** eSpeak NG (22.05 kHz, resampled to 16 kHz) into PocketSphinx's grammar mode. */
class EspeakGrammarLoopTest {

    @Test
    void grammarModeRecognisesResampledEspeakSpeechExactly() throws Exception {
        EspeakTts tts = EspeakTts.create();
        PocketSphinxStt stt = PocketSphinxStt.builder().grammar(PocketSphinxClosedLoopTest.ASSISTANT_GRAMMAR).build();
        CollectingSttListener listener = new CollectingSttListener();
        int errors = 0;
        int words = 0;
        try (SttStream stream = stt.open(new SttRequest("espeak", AudioFormat.PCM_16K_MONO, Duration.ZERO, ""), listener)) {
            for (String sentence : PocketSphinxClosedLoopTest.GRAMMAR_SENTENCES.subList(0, 10)) {
                SpeechFixtures.feed(stream, SpeechFixtures.silence(300));
                SpeechFixtures.feed(stream, SpeechFixtures.speak(tts, sentence));
                SpeechFixtures.feed(stream, SpeechFixtures.silence(300));
                stream.finalizeUtterance();
                String hyp = listener.nextFinal().text();
                if (!hyp.equals(sentence)) {
                    System.out.printf("espeak grammar miss: '%s' -> '%s'%n", sentence, hyp);
                }
                errors += WordErrorRate.errors(sentence, hyp);
                words += WordErrorRate.words(sentence).size();
            }
        }
        System.out.printf("espeak grammar loop: %d errors in %d words%n", errors, words);
        assertThat(errors).isZero();
    }
}
