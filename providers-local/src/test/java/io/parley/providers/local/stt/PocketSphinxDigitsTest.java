package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A free-form stream told that a number is expected listens for digits alone, on real speech
 * (pocketsphinx-testdata's TIDIGITS and "go forward" recordings), and never loses words to the
 * switch.
 */
class PocketSphinxDigitsTest {

    private static final String DIGITS = "two nine three four zero";

    private static short[] digits() throws Exception {
        return SpeechFixtures.toShorts(Files.readAllBytes(SpeechFixtures.TESTDATA.resolve("tidigits/dhd.2934z.raw")));
    }

    private static short[] goForward() throws Exception {
        return SpeechFixtures.toShorts(Files.readAllBytes(SpeechFixtures.TESTDATA.resolve("goforward.raw")));
    }

    private static SttStream open(CollectingSttListener listener) {
        return PocketSphinxStt.create().open(new SttRequest("digits", AudioFormat.PCM_16K_MONO, Duration.ZERO, ""), listener);
    }

    @Test
    void aNumberExpectedDuringTheRoomToneBeforeItIsHeardAsDigits() throws Exception {
        CollectingSttListener listener = new CollectingSttListener();
        try (SttStream stream = open(listener)) {
            // The stream is already in an utterance of silence (the agent asking) when told.
            SpeechFixtures.feed(stream, SpeechFixtures.silence(600));
            stream.expect(ExpectedAnswer.digits());
            SpeechFixtures.feed(stream, digits());
            stream.finalizeUtterance();
            assertThat(listener.nextFinal().text()).isEqualTo(DIGITS);

            // Answered: free-form again from the next utterance.
            stream.expect(ExpectedAnswer.ANY);
            SpeechFixtures.feed(stream, goForward());
            stream.finalizeUtterance();
            assertThat(listener.nextFinal().text()).contains("forward");
        }
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void speechAlreadyBeingHeardFinishesInTheSearchItBeganIn() throws Exception {
        CollectingSttListener listener = new CollectingSttListener();
        try (SttStream stream = open(listener)) {
            SpeechFixtures.feed(stream, goForward());
            // Told mid-speech: switching now would drop what was heard; the next utterance switches.
            listener.nextInterim();
            stream.expect(ExpectedAnswer.digits());
            SpeechFixtures.feed(stream, SpeechFixtures.silence(300));
            stream.finalizeUtterance();
            assertThat(listener.nextFinal().text()).contains("forward");

            SpeechFixtures.feed(stream, digits());
            stream.finalizeUtterance();
            assertThat(listener.nextFinal().text()).isEqualTo(DIGITS);
        }
        assertThat(listener.errors).isEmpty();
    }

    @Test
    void aGrammarModeStreamKeepsItsGrammar() throws Exception {
        CollectingSttListener listener = new CollectingSttListener();
        PocketSphinxStt stt = PocketSphinxStt.builder()
                .grammar("#JSGF V1.0;\ngrammar move;\npublic <move> = go forward ten meters;\n").build();
        try (SttStream stream = stt.open(new SttRequest("g", AudioFormat.PCM_16K_MONO, Duration.ZERO, ""), listener)) {
            stream.expect(ExpectedAnswer.digits());
            SpeechFixtures.feed(stream, goForward());
            stream.finalizeUtterance();
            assertThat(listener.nextFinal().text()).isEqualTo("go forward ten meters");
        }
        assertThat(listener.errors).isEmpty();
    }
}
