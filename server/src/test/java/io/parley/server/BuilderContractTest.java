package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.api.BuilderContract;
import org.junit.jupiter.api.Test;

/** The server's builders refuse null with an IllegalArgumentException naming the parameter. */
class BuilderContractTest {

    @Test
    void serverBuildersRefuseNull() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(ParleyServer.class)).isEmpty();
    }
}
