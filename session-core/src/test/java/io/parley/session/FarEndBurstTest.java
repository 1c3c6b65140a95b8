package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.echo.EchoGate;
import io.parley.audio.echo.SyntheticTalker;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The echo gate behind the far-end reference, in virtual time, when the microphone's frames
 * reach the session in bursts (a busy audio thread, a jitter buffer, a telephony gateway):
 * the agent's echo must not count as the user, and the user talking over it still must.
 */
class FarEndBurstTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = 320;
    private static final long TICK = 20_000_000L;
    /** Microphone frames before the agent starts. */
    private static final int IDLE = 50;

    /** What the microphone hears: the far end 150 ms late at about -10 dB with a short tail, quiet noise, the user. */
    private static short[] microphone(short[] far, short[] user, int userFrom, long seed) {
        short[] out = SyntheticTalker.echoOf(far, seed, 150);
        for (int i = 0; i < user.length && userFrom + i < out.length; i++) {
            out[userFrom + i] = (short) Math.max(-32768, Math.min(32767, out[userFrom + i] + user[i]));
        }
        return out;
    }

    /**
     * Plays {@code far} (after {@value #IDLE} ticks of the agent being silent) through a
     * transport that reports its position at jittered pumps, and feeds the microphone's frames
     * to the far end's gate, delivered in bursts when {@code burstChance} is positive (holds
     * of 40 to 400 ms); returns per microphone frame whether the gate counted user speech (the
     * VAD always hears voice). Microphone frame {@code IDLE + k} holds {@code mic} frame k.
     */
    private static boolean[] run(short[] far, short[] mic, double burstChance, long seed) {
        Random holds = new Random(seed * 31 + 7);
        return run(far, mic, t -> holds.nextDouble() < burstChance ? 2 + holds.nextInt(19) : 0, seed);
    }

    /**
     * As above, with microphone frames held back as {@code holds} says: before microphone frame
     * t (if no hold is on), a hold of {@code holds.applyAsInt(t)} frames starts (none if below 2).
     */
    private static boolean[] run(short[] far, short[] mic, IntUnaryOperator holds, long seed) {
        VirtualClock clock = new VirtualClock();
        FarEnd farEnd = new FarEnd(null, EchoGate.create(), F, clock);
        Random random = new Random(seed);
        int frames = far.length / FRAME;
        boolean[] user = new boolean[frames];
        AudioFrame out = AudioFrame.allocate(F, FRAME);
        AudioFrame silence = AudioFrame.allocate(F, FRAME).setLength(FRAME);
        ArrayDeque<Integer> waiting = new ArrayDeque<>();
        int lead = 5;
        farEnd.reset(0);
        int holdLeft = 0;
        for (int t = 0; t < IDLE + frames; t++) {
            long tickStart = t * TICK;
            int k = t - IDLE;
            // The loop pumps somewhere in the tick: it tops up the transport's queue and reports
            // the samples played so far, which the transport counts a whole frame at a time.
            clock.advance(Duration.ofNanos(tickStart + 4_000_000 + random.nextInt(12_000_000) - clock.nanoTime()));
            if (k == 0) {
                for (int j = 0; j < Math.min(lead, frames); j++) {
                    send(farEnd, out, far, j);
                }
            }
            farEnd.playout(Math.max(0, (long) k * FRAME), true);
            if (k >= 0 && k + lead < frames) {
                send(farEnd, out, far, k + lead);
            }
            // Microphone frame t is complete at the end of the tick; it is delivered a little
            // later, or held back with the ones after it and delivered with them at once.
            clock.advance(Duration.ofNanos(tickStart + TICK + random.nextInt(3_000_000) - clock.nanoTime()));
            waiting.add(t);
            if (holdLeft == 0) {
                int hold = holds.applyAsInt(t);
                holdLeft = hold >= 2 ? hold : 0;
            }
            if (holdLeft > 0 && --holdLeft > 0) {
                continue;
            }
            while (!waiting.isEmpty()) {
                int n = waiting.poll() - IDLE;
                AudioFrame near = n < 0 ? silence : AudioFrame.allocate(F, FRAME).setLength(FRAME);
                if (n >= 0) {
                    System.arraycopy(mic, n * FRAME, near.samples(), 0, FRAME);
                }
                near.setTimestampNanos((n + IDLE) * TICK);
                farEnd.release(near, false);
                boolean heard = farEnd.userSpeech(near, n >= 0);
                if (n >= 0) {
                    user[n] = heard;
                }
            }
        }
        return user;
    }

    private static void send(FarEnd farEnd, AudioFrame out, short[] far, int k) {
        System.arraycopy(far, k * FRAME, out.samples(), 0, FRAME);
        out.setLength(FRAME);
        farEnd.sent(out, (long) k * FRAME);
    }

    private static int count(boolean[] user, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            n += user[k] ? 1 : 0;
        }
        return n;
    }

    @Test
    void theEchoIsNeverTheUserAndTheUserOverItIsHeardWhetherFramesArriveSteadilyOrInBursts() {
        short[] far = SyntheticTalker.talker(1, 8, 100, 140);
        short[] userVoice = SyntheticTalker.talker(3, 3, 190, 260);
        int from = F.samplesFor(4_000);
        short[] mic = microphone(far, userVoice, from, 2);
        for (double bursts : new double[] {0, 0.1, 0.2}) {
            for (long seed = 1; seed <= 2; seed++) {
                assertEchoIgnoredAndUserHeard(run(far, mic, bursts, seed), from, userVoice.length,
                        "bursts " + bursts + ", seed " + seed);
            }
        }
    }

    @Test
    void microphoneFramesHeldFor400MillisecondsAreMatchedWithTheReferencePlayedWhenTheyWereCaptured() {
        short[] far = SyntheticTalker.talker(5, 8, 100, 140);
        short[] userVoice = SyntheticTalker.talker(3, 3, 190, 260);
        int from = F.samplesFor(5_000);
        short[] mic = microphone(far, userVoice, from, 4);
        // Holds of 400 ms: one beginning before the agent starts and ending in its first words,
        // then every 1.3 s through the reply, and one while the user talks over it.
        IntUnaryOperator holds = t -> t == IDLE - 10 || (t > IDLE && (t - IDLE) % 65 == 30) ? 20 : 0;
        assertEchoIgnoredAndUserHeard(run(far, mic, holds, 3), from, userVoice.length, "holds of 400 ms");
    }

    /** No echo frame before the user's voice at sample {@code from} counted as the user, and 90 % of the user's did. */
    private static void assertEchoIgnoredAndUserHeard(boolean[] user, int from, int userSamples, String what) {
        int userFrames = userSamples / FRAME;
        assertThat(count(user, 0, from / FRAME)).as("echo frames taken for the user, %s", what).isZero();
        assertThat(count(user, from / FRAME, from / FRAME + userFrames)).as("user frames heard, %s", what)
                .isGreaterThanOrEqualTo(userFrames * 9 / 10);
    }
}
