package io.parley.providers.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.testing.api.BuilderContract;
import org.junit.jupiter.api.Test;

class BuilderContractTest {

    @Test
    void localProviderBuildersRefuseNullWithIllegalArgumentException() throws Exception {
        // The speech-recognition and VAD builders; the TTS builders have their own owner.
        assertThat(BuilderContract.nullSetterViolations(PocketSphinxStt.class))
                .filteredOn(v -> v.startsWith("PocketSphinxStt") || v.startsWith("SileroVad") || v.startsWith("VoskStt"))
                .isEmpty();
    }
}
