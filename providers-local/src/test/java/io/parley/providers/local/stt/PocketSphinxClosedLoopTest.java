package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FreeTTS speaks, PocketSphinx listens: an offline closed loop that measures recognition on
 * speech whose text is known exactly.
 */
class PocketSphinxClosedLoopTest {

    static final List<String> SENTENCES = List.of(
            "hello how can i help you today",
            "what time is it right now",
            "please turn off the kitchen lights",
            "the weather will be sunny tomorrow morning",
            "i would like to book a table for two",
            "can you tell me how long you have been listening",
            "my phone number has changed since last year",
            "we need to buy milk bread and eggs",
            "the train leaves the station at seven",
            "thank you very much for your help",
            "please call me back in ten minutes",
            "where is the nearest post office",
            "i forgot my password again",
            "the meeting has been moved to friday afternoon",
            "could you repeat that more slowly",
            "open the window in the living room",
            "what did you hear me say",
            "set an alarm for six thirty",
            "the children are playing in the garden",
            "goodbye and have a nice evening");

    static final String ASSISTANT_GRAMMAR = """
            #JSGF V1.0;
            grammar assistant;
            public <command> = <ask> | <lights> | <alarm> | <call>;
            <ask> = what time is it | how long have you been listening | what did you hear | what is your name;
            <lights> = turn (on | off) the <room> lights;
            <room> = kitchen | bedroom | living room | garden;
            <alarm> = set an alarm for <number> [thirty];
            <number> = one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve;
            <call> = call <person> [please];
            <person> = mom | dad | the office | my sister;
            """;

    static final List<String> GRAMMAR_SENTENCES = List.of(
            "what time is it",
            "how long have you been listening",
            "what did you hear",
            "what is your name",
            "turn on the kitchen lights",
            "turn off the bedroom lights",
            "turn on the living room lights",
            "turn off the garden lights",
            "set an alarm for six thirty",
            "set an alarm for eleven",
            "set an alarm for two",
            "call mom please",
            "call the office",
            "call my sister",
            "call dad please",
            "turn off the kitchen lights",
            "set an alarm for nine thirty",
            "what time is it",
            "turn on the bedroom lights",
            "call the office please");

    static FreeTtsTts tts;

    @BeforeAll
    static void loadVoice() {
        tts = FreeTtsTts.create();
    }

    @Test
    void firstPassFreeFormRecognitionOfFreeTtsSpeechIsWithinFifteenPercentWordErrorRate() throws Exception {
        // The default trades the rescoring pass (which helps on clean synthetic speech only) for a final at once.
        double wer = wordErrorRate(tts, PocketSphinxStt.create(), SENTENCES, "free-form, first pass");
        assertThat(wer).isLessThanOrEqualTo(0.15);
    }

    @Test
    void grammarRecognitionOfFreeTtsSpeechIsExact() throws Exception {
        PocketSphinxStt stt = PocketSphinxStt.builder().grammar(ASSISTANT_GRAMMAR).build();
        assertThat(stt.grammarMode()).isTrue();
        double wer = wordErrorRate(tts, stt, GRAMMAR_SENTENCES, "grammar");
        assertThat(wer).isZero();
    }

    /** Speaks each sentence with {@code tts}, decodes it with {@code stt} and returns the word error rate. */
    static double wordErrorRate(FreeTtsTts tts, PocketSphinxStt stt, List<String> sentences, String label) throws Exception {
        CollectingSttListener listener = new CollectingSttListener();
        int errors = 0;
        int words = 0;
        long finalNanos = 0;
        try (SttStream stream = stt.open(new SttRequest("closed-loop", AudioFormat.PCM_16K_MONO, Duration.ZERO, ""), listener)) {
            for (String sentence : sentences) {
                SpeechFixtures.feed(stream, SpeechFixtures.silence(300));
                SpeechFixtures.feed(stream, SpeechFixtures.speak(tts, sentence));
                SpeechFixtures.feed(stream, SpeechFixtures.silence(300));
                long t0 = System.nanoTime();
                stream.finalizeUtterance();
                Transcript t = listener.nextFinal();
                finalNanos += System.nanoTime() - t0;
                assertThat(t.speechFinal()).isTrue();
                int e = WordErrorRate.errors(sentence, t.text());
                if (e > 0) {
                    System.out.printf("%s miss: '%s' -> '%s'%n", label, sentence, t.text());
                }
                errors += e;
                words += WordErrorRate.words(sentence).size();
            }
        }
        assertThat(listener.errors).isEmpty();
        double wer = (double) errors / words;
        System.out.printf("%s closed loop: %d errors in %d words, WER %.1f %%; finalize -> final (decoding what was fed, then ending the utterance) mean %d ms%n",
                label, errors, words, 100 * wer, finalNanos / sentences.size() / 1_000_000);
        return wer;
    }
}
