package io.parley.testing.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.VoiceSession;
import org.junit.jupiter.api.Test;

class BuilderContractTest {

    @Test
    void sessionCoreBuildersRefuseNullWithIllegalArgumentException() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(VoiceSession.class)).isEmpty();
    }
}
