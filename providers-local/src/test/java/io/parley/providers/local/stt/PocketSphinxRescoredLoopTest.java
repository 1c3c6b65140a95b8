package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.providers.local.tts.FreeTtsTts;
import org.junit.jupiter.api.Test;

/**
 * The closed loop of {@link PocketSphinxClosedLoopTest} with the rescoring pass on. A class of its
 * own because free-form decoding is the module's heaviest work: its two test JVMs then decode the
 * first-pass and the rescored loop side by side.
 */
class PocketSphinxRescoredLoopTest {

    @Test
    void rescoredFreeFormRecognitionOfFreeTtsSpeechIsWithinFivePercentWordErrorRate() throws Exception {
        double wer = PocketSphinxClosedLoopTest.wordErrorRate(FreeTtsTts.create(), PocketSphinxStt.builder().rescore(true).build(),
                PocketSphinxClosedLoopTest.SENTENCES, "free-form, rescored");
        assertThat(wer).isLessThanOrEqualTo(0.05);
    }
}
