package io.parley.audio.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EchoGateTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = 320;

    /** Voiced "syllables" of random pitch and length with short gaps, about -20 dBFS. */
    private static short[] talker(long seed, double seconds, double minF0, double maxF0) {
        Random r = new Random(seed);
        short[] out = new short[(int) (seconds * F.sampleRate())];
        int pos = 0;
        while (pos < out.length) {
            int len = F.samplesFor(120 + r.nextInt(200));
            double f0 = minF0 + r.nextDouble() * (maxF0 - minF0);
            double phase = 0;
            for (int i = 0; i < len && pos + i < out.length; i++) {
                double env = Math.sin(Math.PI * i / len);
                phase += 2 * Math.PI * f0 / F.sampleRate();
                double v = 0;
                for (int h = 1; h <= 12; h++) {
                    v += Math.sin(h * phase) / h;
                }
                out[pos + i] = (short) (3000 * env * v);
            }
            pos += len + F.samplesFor(30 + r.nextInt(150));
        }
        return out;
    }

    /** {@code far} as heard back: 150 ms late, at -10 dB, with a short decaying tail, plus quiet noise. */
    private static short[] echoOf(short[] far, long seed) {
        return echoOf(far, seed, 150);
    }

    /** {@code far} as heard back {@code delayMs} late, otherwise as {@link #echoOf(short[], long)}. */
    private static short[] echoOf(short[] far, long seed, int delayMs) {
        Random r = new Random(seed);
        int delay = F.samplesFor(delayMs);
        int[] taps = {0, 80, 230, 470, 900, 1500};
        double[] gains = {0.25, 0.12, -0.09, 0.06, -0.04, 0.02};
        short[] out = new short[far.length];
        for (int i = 0; i < far.length; i++) {
            double v = (r.nextDouble() * 2 - 1) * 30;
            for (int k = 0; k < taps.length; k++) {
                int j = i - delay - taps[k];
                if (j >= 0) {
                    v += gains[k] * far[j];
                }
            }
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return out;
    }

    /** Runs the gate over both signals; returns, per frame, whether it counted user speech (VAD always voiced). */
    private static boolean[] run(EchoGate gate, short[] far, short[] near) {
        AudioFrame f = AudioFrame.allocate(F, FRAME);
        AudioFrame n = AudioFrame.allocate(F, FRAME);
        boolean[] out = new boolean[near.length / FRAME];
        for (int k = 0; k < out.length; k++) {
            if (far != null) {
                System.arraycopy(far, k * FRAME, f.samples(), 0, FRAME);
                f.setLength(FRAME);
                gate.played(f);
            }
            System.arraycopy(near, k * FRAME, n.samples(), 0, FRAME);
            n.setLength(FRAME);
            out[k] = gate.userSpeech(n, true);
        }
        return out;
    }

    @Test
    void theAgentsOwnVoiceComingBackIsNotUserSpeechButTheUserTalkingOverItIs() {
        short[] far = talker(1, 10, 100, 140);
        short[] near = echoOf(far, 2);
        // The user talks over the agent from 7 s on, as loud as the reference (10 dB over its echo).
        short[] user = talker(3, 3, 190, 260);
        int userAt = F.samplesFor(7000);
        for (int i = 0; i < user.length && userAt + i < near.length; i++) {
            near[userAt + i] = (short) Math.max(-32768, Math.min(32767, near[userAt + i] + user[i]));
        }
        EchoGate gate = EchoGate.create();
        boolean[] user0 = run(gate, far, near);

        int learnedFrom = 3000 / 20;
        int userFrame = 7000 / 20;
        for (int k = learnedFrom; k < userFrame; k++) {
            assertThat(user0[k]).as("echo-only frame at %d ms", k * 20).isFalse();
        }
        assertThat(gate.delayKnown()).isTrue();
        assertThat(gate.delayMillis()).isBetween(100, 220);
        int firstUser = -1;
        for (int k = userFrame; k < user0.length; k++) {
            if (user0[k]) {
                firstUser = k;
                break;
            }
        }
        assertThat(firstUser).as("user speech over the echo is heard").isBetween(userFrame, userFrame + 15);
    }

    @Test
    void aStaleEchoDelayDoesNotLetTheFirstSyllablesOfTheNextReplyThrough() {
        // A reply whose echo comes back 150 ms late, 600 ms of silence, then a reply whose echo
        // comes back after only 40 ms (the phone moved closer): the learned delay is stale.
        short[] first = talker(1, 4, 100, 140);
        short[] second = talker(5, 2, 100, 140);
        int gap = F.samplesFor(600);
        short[] far = new short[first.length + gap + second.length];
        System.arraycopy(first, 0, far, 0, first.length);
        System.arraycopy(second, 0, far, first.length + gap, second.length);
        short[] before = Arrays.copyOf(first, far.length);
        short[] after = new short[far.length];
        System.arraycopy(second, 0, after, first.length + gap, second.length);
        short[] near = echoOf(before, 2, 150);
        short[] late = echoOf(after, 6, 40);
        for (int i = 0; i < near.length; i++) {
            near[i] = (short) (near[i] + late[i]);
        }
        EchoGate gate = EchoGate.create();
        run(gate, Arrays.copyOf(far, first.length), Arrays.copyOf(near, first.length));
        assertThat(gate.delayMillis()).isBetween(100, 220);
        boolean[] rest = run(gate, Arrays.copyOfRange(far, first.length, far.length),
                Arrays.copyOfRange(near, first.length, far.length));
        int secondStarts = gap / FRAME;
        for (int k = secondStarts; k < secondStarts + 15; k++) {
            assertThat(rest[k]).as("echo-only frame %d ms into the second reply", (k - secondStarts) * 20).isFalse();
        }
    }

    @Test
    void withoutFarEndAudioTheGateLeavesTheVadVerdictAlone() {
        EchoGate gate = EchoGate.create();
        AudioFrame n = AudioFrame.allocate(F, FRAME);
        short[] speech = talker(4, 1, 150, 200);
        System.arraycopy(speech, 0, n.samples(), 0, FRAME);
        n.setLength(FRAME);
        assertThat(gate.userSpeech(n, true)).isTrue();
        assertThat(gate.userSpeech(n, false)).isFalse();
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> EchoGate.builder().marginDb(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EchoGate.builder().userShare(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EchoGate.builder().hangover(Duration.ofSeconds(3))).isInstanceOf(IllegalArgumentException.class);
    }
}
