package io.parley.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.api.BuilderContract;
import org.junit.jupiter.api.Test;

/** The web demo's builder refuses null with an IllegalArgumentException naming the setter. */
class WebBuilderContractTest {

    @Test
    void settersRefuseNull() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(WebDemo.class))
                .filteredOn(line -> line.contains("examples.web.")).isEmpty();
    }
}
