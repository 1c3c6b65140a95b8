package io.parley.examples.web;

import static io.parley.examples.web.WebDemoDtxTest.FULL_RATE;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The other half of {@link WebDemoDtxTest}: without DTX, silence is sent at the full packet rate
 * both ways, so the cut that test sees is DTX's doing.
 */
class WebDemoNoDtxTest {

    @BeforeAll
    static void environment() {
        WebDemoBrowserTest.environment();
    }

    @Test
    void withoutDtxSilenceGoesAtTheFullPacketRateBothWays() throws Exception {
        double[] off = WebDemoDtxTest.silenceRates(false);
        System.out.printf("browser silence packets/s without DTX: sent %.1f received %.1f%n", off[0], off[1]);
        assertThat(off[0]).isGreaterThan(FULL_RATE * 0.8);
        assertThat(off[1]).isGreaterThan(FULL_RATE * 0.8);
    }
}
