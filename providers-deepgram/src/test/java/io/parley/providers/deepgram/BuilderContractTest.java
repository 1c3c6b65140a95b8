package io.parley.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.api.BuilderContract;
import org.junit.jupiter.api.Test;

class BuilderContractTest {

    @Test
    void buildersRefuseNullWithIllegalArgumentException() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(DeepgramStt.class)).isEmpty();
    }
}
