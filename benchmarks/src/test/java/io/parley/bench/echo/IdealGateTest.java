package io.parley.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdealGateTest {

    /** One 20 ms block of a sine at {@code hz} with amplitude {@code amp} (16-bit units). */
    private static float[] tone(double hz, double amp) {
        float[] out = new float[EchoRoom.FRAME];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / EchoRoom.FORMAT.sampleRate()));
        }
        return out;
    }

    private static short[] mix(float[] a, float[] b) {
        short[] out = new short[EchoRoom.FRAME];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(a[i] + b[i]);
        }
        return out;
    }

    @Test
    void theEchoAloneIsNeverTheUser() {
        float[] echo = tone(1000, 3000);
        assertThat(new IdealGate(6, 0.5).user(mix(echo, new float[EchoRoom.FRAME]), echo)).isFalse();
        assertThat(new IdealGate(0, 0.5).user(mix(echo, new float[EchoRoom.FRAME]), echo)).isFalse();
    }

    @Test
    void theUserCountsWhenMostOfTheBlocksEnergyIsTheirsInBandsWhereTheEchoIsQuiet() {
        float[] echo = tone(1000, 2000);
        // The user in another band with twice the echo's energy: two thirds of the block lie above it.
        assertThat(new IdealGate(6, 0.5).user(mix(echo, tone(2500, 2000 * Math.sqrt(2))), echo)).isTrue();
        // With half the echo's energy: a third, below the share.
        assertThat(new IdealGate(6, 0.5).user(mix(echo, tone(2500, 2000 * Math.sqrt(0.5))), echo)).isFalse();
    }

    @Test
    void inTheEchosOwnBandHalfTheBlockMustLieTheMarginAboveTheEcho() {
        float[] echo = tone(1000, 1000);
        // In phase the amplitudes add. 1 + 2 = 3: the near end at 9 times the echo's energy, of
        // which 9 - 4 (the 6 dB margin) lies above it, 56 %.
        assertThat(new IdealGate(6, 0.5).user(mix(echo, tone(1000, 2000)), echo)).isTrue();
        // 1 + 1.5 = 2.5: 6.25 times, 36 % above.
        assertThat(new IdealGate(6, 0.5).user(mix(echo, tone(1000, 1500)), echo)).isFalse();
        // Without a margin the same block is the user's (84 % above).
        assertThat(new IdealGate(0, 0.5).user(mix(echo, tone(1000, 1500)), echo)).isTrue();
    }
}
