package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.api.BuilderContract;
import org.junit.jupiter.api.Test;

/** Every public builder setter of this module refuses null with an IllegalArgumentException naming it. */
class BuilderContractTest {

    @Test
    void settersRefuseNull() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(WebRtcEngine.class)).isEmpty();
    }
}
