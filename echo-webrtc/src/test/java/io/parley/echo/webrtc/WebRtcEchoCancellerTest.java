package io.parley.echo.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.TestSignals;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * libwebrtc's echo canceller on real recordings (pocketsphinx-testdata) in a simulated
 * speakerphone room: the agent's voice comes back 100-250 ms late at -10 dB with
 * reverberation, and a user talks over it.
 */
class WebRtcEchoCancellerTest {

    private static final int RATE = 16_000;
    private WebRtcEchoCanceller canceller;

    @BeforeEach
    void open() {
        // Under CI=true a library that does not load fails the test, as it should.
        canceller = WebRtcEchoCanceller.create();
        canceller.reset();
    }

    @AfterEach
    void close() {
        canceller.close();
    }

    /** The agent: two recordings, 7.5 s. */
    private static short[] agent() throws Exception {
        return TestSignals.concat(Room.recording("goforward.raw"), Room.recording("numbers.raw"));
    }

    /**
     * Feeds the session's way: before each near frame of {@code frameMs}, what played while it
     * was captured ({@code far} at {@code farFormat}, in at most 20 ms pieces), then the frame.
     */
    private short[] run(short[] far, AudioFormat farFormat, float[] mic, int frameMs) {
        int nearStep = RATE * frameMs / 1000;
        int farStep = farFormat.sampleRate() * frameMs / 1000;
        AudioFrame near = AudioFrame.allocate(Room.FORMAT, nearStep);
        AudioFrame out = AudioFrame.allocate(Room.FORMAT, nearStep);
        AudioFrame played = AudioFrame.allocate(farFormat, farFormat.samplesFor(20));
        short[] result = new short[mic.length];
        for (int f = 0; (f + 1) * nearStep <= mic.length; f++) {
            for (int p = f * farStep; p < (f + 1) * farStep && p < far.length; p += played.capacity()) {
                int n = Math.min(played.capacity(), Math.min((f + 1) * farStep, far.length) - p);
                System.arraycopy(far, p, played.samples(), 0, n);
                canceller.played(played.setLength(n));
            }
            for (int i = 0; i < nearStep; i++) {
                near.samples()[i] = (short) Math.max(-32768, Math.min(32767, Math.round(mic[f * nearStep + i])));
            }
            near.setLength(nearStep).setTimestampNanos(f * 1_000_000L * frameMs);
            out.setLength(nearStep).setTimestampNanos(near.timestampNanos());
            canceller.cancel(near, out);
            System.arraycopy(out.samples(), 0, result, f * nearStep, nearStep);
        }
        return result;
    }

    private static float[] plus(float[] a, short[] b, int at) {
        float[] m = a.clone();
        for (int i = 0; i < b.length && at + i < m.length; i++) {
            m[at + i] += b[i];
        }
        return m;
    }

    private static short[] pcm(float[] x) {
        short[] s = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i])));
        }
        return s;
    }

    @Test
    void removesTheAgentsEchoAt100To250Ms() throws Exception {
        short[] far = agent();
        for (int delay : new int[] {100, 250}) {
            canceller.reset();
            float[] mic = Room.echo(far, RATE, far.length + RATE, -10, delay, 400, delay);
            short[] out = run(far, Room.FORMAT, mic, 20);
            // After a second of the agent's speech to learn the echo path.
            int from = RATE + delay * RATE / 1000;
            double in = Room.dbfs(pcm(mic), from, far.length);
            double left = Room.dbfs(out, from, far.length);
            System.out.printf("echo %d ms: %.1f -> %.1f dBFS%n", delay, in, left);
            assertThat(in - left).as("echo reduction at %d ms, dB (%.1f -> %.1f dBFS)", delay, in, left).isGreaterThan(15);
        }
    }

    @Test
    void keepsTheUserTalkingOverTheEcho() throws Exception {
        short[] far = agent();
        short[] user = Room.recording("something.raw");
        int at = 4 * RATE;
        float[] echo = Room.echo(far, RATE, far.length + RATE, -10, 175, 400, 7);
        short[] withUser = run(far, Room.FORMAT, plus(echo, user, at), 20);
        canceller.reset();
        short[] echoOnly = run(far, Room.FORMAT, echo, 20);
        int to = Math.min(at + user.length, far.length);
        double userLevel = Room.dbfs(user, 0, to - at);
        double heard = Room.dbfs(withUser, at, to);
        double residue = Room.dbfs(echoOnly, at, to);
        double echoLevel = Room.dbfs(pcm(echo), at, to);
        System.out.printf("user %.1f dBFS, echo %.1f, user over echo out %.1f, echo alone out %.1f%n", userLevel, echoLevel, heard, residue);
        // The user comes through at their own level; the echo under them does not.
        assertThat(heard).as("user over the echo: %.1f dBFS, alone %.1f", heard, userLevel).isBetween(userLevel - 3, userLevel + 1);
        assertThat(userLevel - residue).as("user above what is left of the echo (%.1f dB before)", userLevel - echoLevel)
                .isGreaterThan(userLevel - echoLevel + 15);
    }

    @Test
    void leavesTheUserAloneWhileTheAgentIsSilent() throws Exception {
        short[] user = Room.recording("something.raw");
        float[] mic = plus(new float[user.length], user, 0);
        short[] out = run(new short[0], Room.FORMAT, mic, 20);
        int to = user.length - user.length % 320;
        assertThat(Room.dbfs(out, 0, to)).isCloseTo(Room.dbfs(user, 0, to), org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void cancelsWithOtherFrameLengthsAndAnOutputRateOf24kHz() throws Exception {
        short[] far16 = agent();
        // The agent at 24 kHz: the same recording, each sample repeated as 24/16 (zero-order hold).
        short[] far = new short[far16.length * 3 / 2];
        for (int i = 0; i < far.length; i++) {
            far[i] = far16[i * 2 / 3];
        }
        float[] mic = Room.echo(far, 24_000, far16.length + RATE, -10, 140, 450, 3);
        short[] out = run(far, AudioFormat.PCM_24K_MONO, mic, 15);
        int from = RATE * 3 / 2;
        int to = far16.length - far16.length % 240;
        assertThat(Room.dbfs(pcm(mic), from, to) - Room.dbfs(out, from, to)).isGreaterThan(15);
    }

    @Test
    void worksAgainAfterCloseAndReset() throws Exception {
        short[] far = agent();
        float[] mic = Room.echo(far, RATE, far.length, -10, 210, 500, 5);
        run(far, Room.FORMAT, mic, 20);
        canceller.close();
        canceller.reset();
        short[] out = run(far, Room.FORMAT, mic, 20);
        assertThat(Room.dbfs(pcm(mic), 2 * RATE, far.length) - Room.dbfs(out, 2 * RATE, far.length)).isGreaterThan(15);
    }

    @Test
    void refusesRatesThatAreNotWhole10MsBlocks() {
        AudioFormat odd = new AudioFormat(22_050, 1);
        AudioFrame near = AudioFrame.allocate(odd, 441).setLength(441);
        AudioFrame out = AudioFrame.allocate(odd, 441).setLength(441);
        assertThatThrownBy(() -> canceller.cancel(near, out)).isInstanceOf(SessionException.class)
                .satisfies(e -> assertThat(((SessionException) e).code()).isEqualTo(ErrorCode.INVALID_AUDIO))
                .hasMessageContaining("22050");
    }
}
