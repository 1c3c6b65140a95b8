package io.parley.audio.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EchoGateTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = 320;

    /** {@code far} as heard back: 150 ms late, at -10 dB, with a short decaying tail, plus quiet noise. */
    private static short[] echoOf(short[] far, long seed) {
        return SyntheticTalker.echoOf(far, seed, 150);
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
        short[] far = SyntheticTalker.talker(1, 10, 100, 140);
        short[] near = echoOf(far, 2);
        // The user talks over the agent from 7 s on, as loud as the reference (10 dB over its echo).
        short[] user = SyntheticTalker.talker(3, 3, 190, 260);
        mixIn(near, user, 7000);
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
    void aUserTalkingOverTheFirstReplyIsHeardBeforeTwoSecondsOfItsEchoHaveCome() {
        // A new call: the user talks over the agent's first reply 1.2 s in, as loud as the
        // reference. The echo path was only looked for once two seconds of the reply had come
        // back, and until then only a user louder than the agent counted: EchoEval's first
        // barge-in of each room was heard 1 to 2 s late.
        short[] far = SyntheticTalker.talker(1, 4, 100, 140);
        short[] near = echoOf(far, 2);
        short[] user = SyntheticTalker.talker(3, 2, 190, 260);
        mixIn(near, user, 1200);
        EchoGate gate = EchoGate.create();
        boolean[] heard = run(gate, far, near);

        int userFrame = 1200 / 20;
        for (int k = 0; k < userFrame; k++) {
            assertThat(heard[k]).as("echo-only frame at %d ms", k * 20).isFalse();
        }
        int firstUser = -1;
        for (int k = userFrame; k < heard.length; k++) {
            if (heard[k]) {
                firstUser = k;
                break;
            }
        }
        assertThat(firstUser).as("first frame heard as the user's, the user starting at frame %d", userFrame)
                .isBetween(userFrame, userFrame + 10);
    }

    @Test
    void aUserTalkingOverTheFirstReplyNeedNotBeLouderThanTheAgent() {
        // As above, but the user 3 dB below the reference (7 dB over its echo). The gains start
        // at echo as loud as the reference and came down at the settled pace, so 600 ms after
        // the user began the gate still predicted more echo than the user's voice.
        short[] far = SyntheticTalker.talker(1, 4, 100, 140);
        short[] near = echoOf(far, 2);
        mixIn(near, scaled(SyntheticTalker.talker(3, 2, 190, 260), 0.7), 1200);
        boolean[] heard = run(EchoGate.create(), far, near);

        int userFrame = 1200 / 20;
        assertThat(firstFrom(heard, 0)).as("first frame heard as the user's, the user starting at frame %d", userFrame)
                .isBetween(userFrame, userFrame + 10);
    }

    @Test
    void aUserTheGateHasNotHeardYetIsNotLearnedAsEcho() {
        // After seven seconds of echo the user talks over the agent 12 dB below the reference,
        // about as loud as the echo. The gains learned the user's first syllables as echo and
        // rose until the user stayed unheard for two and a half seconds; energy where the far
        // end is quiet at the echo's delay shows the user from the start.
        short[] far = SyntheticTalker.talker(1, 10, 100, 140);
        short[] near = echoOf(far, 2);
        mixIn(near, scaled(SyntheticTalker.talker(3, 3, 190, 260), 0.25), 7000);
        boolean[] heard = run(EchoGate.create(), far, near);

        int userFrame = 7000 / 20;
        assertThat(firstFrom(heard, 3000 / 20)).as("first frame heard as the user's, the user starting at frame %d", userFrame)
                .isBetween(userFrame, userFrame + 10);
    }

    @Test
    void theEchoPathOfANewCallIsFoundWithinASecond() {
        short[] far = SyntheticTalker.talker(1, 1, 100, 140);
        short[] near = echoOf(far, 2);
        EchoGate gate = EchoGate.create();
        run(gate, far, near);
        assertThat(gate.delayKnown()).isTrue();
        assertThat(gate.delayMillis()).isBetween(100, 220);
    }

    @Test
    void aStaleEchoDelayDoesNotLetTheFirstSyllablesOfTheNextReplyThrough() {
        // A reply whose echo comes back 150 ms late, 600 ms of silence, then a reply whose echo
        // comes back after only 40 ms (the phone moved closer): the learned delay is stale.
        short[] first = SyntheticTalker.talker(1, 4, 100, 140);
        short[] second = SyntheticTalker.talker(5, 2, 100, 140);
        int gap = F.samplesFor(600);
        short[] far = new short[first.length + gap + second.length];
        System.arraycopy(first, 0, far, 0, first.length);
        System.arraycopy(second, 0, far, first.length + gap, second.length);
        short[] before = Arrays.copyOf(first, far.length);
        short[] after = new short[far.length];
        System.arraycopy(second, 0, after, first.length + gap, second.length);
        short[] near = SyntheticTalker.echoOf(before, 2, 150);
        short[] late = SyntheticTalker.echoOf(after, 6, 40);
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
    void eachFramesReferenceIsWhatPlayedWhileItWasCapturedEvenAfterACatchUp() {
        // The playout estimate stalls for a frame now and then and catches up on the next: that
        // frame gets no reference and the next gets two frames' worth, the newest of which is
        // its own. Queued instead, the surplus put the reference a frame behind for the rest of
        // the reply, and the learned delay 20 ms short of the echo's.
        short[] far = SyntheticTalker.talker(1, 10, 100, 140);
        short[] near = echoOf(far, 2);
        EchoGate gate = EchoGate.create();
        AudioFrame f = AudioFrame.allocate(F, 2 * FRAME);
        AudioFrame n = AudioFrame.allocate(F, FRAME);
        for (int k = 0; k < near.length / FRAME; k++) {
            boolean stalled = k % 25 == 24;
            if (!stalled) {
                int from = k % 25 == 0 && k > 0 ? k - 1 : k;
                System.arraycopy(far, from * FRAME, f.samples(), 0, (k + 1 - from) * FRAME);
                f.setLength((k + 1 - from) * FRAME);
                gate.played(f);
            }
            System.arraycopy(near, k * FRAME, n.samples(), 0, FRAME);
            n.setLength(FRAME);
            gate.userSpeech(n, true);
        }
        assertThat(gate.delayMillis()).isEqualTo(160);
    }

    @Test
    void withoutFarEndAudioTheGateLeavesTheVadVerdictAlone() {
        EchoGate gate = EchoGate.create();
        AudioFrame n = AudioFrame.allocate(F, FRAME);
        short[] speech = SyntheticTalker.talker(4, 1, 150, 200);
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

    /** The first frame from {@code from} on counted as user speech, or -1. */
    private static int firstFrom(boolean[] heard, int from) {
        for (int k = from; k < heard.length; k++) {
            if (heard[k]) {
                return k;
            }
        }
        return -1;
    }

    /** {@code pcm} times {@code gain}. */
    private static short[] scaled(short[] pcm, double gain) {
        short[] out = new short[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            out[i] = (short) Math.round(pcm[i] * gain);
        }
        return out;
    }

    /** Adds {@code user} into {@code near} from {@code atMillis} on, clipped. */
    private static void mixIn(short[] near, short[] user, int atMillis) {
        int at = F.samplesFor(atMillis);
        for (int i = 0; i < user.length && at + i < near.length; i++) {
            near[at + i] = (short) Math.max(-32768, Math.min(32767, near[at + i] + user[i]));
        }
    }
}
