package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.EchoSuppressor;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The far-end reference on real threads: the loop hands outbound audio over and reports
 * playout at random moments while the audio thread delivers microphone frames on time or
 * held back in bursts of up to 400 ms. Each frame's reference is a run of outbound audio in
 * order, with the content sent for its positions, and it ends where playout stood when the
 * frame was captured, within a pump's error.
 */
class FarEndRealThreadTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = 320;
    private static final long FRAME_NANOS = 20_000_000L;
    private static final int FRAMES = 75;
    /** The outbound sample at position p. */
    private static final int MODULUS = 30_011;
    /** How far a frame's reference may be from what played at its capture: two frames, for pump and transport steps. */
    private static final long TOLERANCE = 2 * FRAME;
    private static final long TOLERANCE_NANOS = 2 * FRAME_NANOS;

    @Test
    void eachFrameGetsTheReferencePlayingWhenItWasCapturedWhileTheLoopReportsAtRandom() throws Exception {
        Clock clock = Clock.system();
        List<String> violations = new ArrayList<>();
        // The position after the last sample handed over; each frame's run starts wherever its content says.
        long[] handed = {-1};
        boolean[] fresh = {true};
        EchoSuppressor recorder = new EchoSuppressor() {
            @Override
            public void played(AudioFrame farEnd) {
                for (int i = 0; i < farEnd.length(); i++) {
                    if (fresh[0]) {
                        handed[0] = farEnd.samples()[i];
                        fresh[0] = false;
                    }
                    short expected = (short) (handed[0] % MODULUS);
                    if (farEnd.samples()[i] != expected && violations.size() < 10) {
                        violations.add("position " + handed[0] + " held " + farEnd.samples()[i] + ", sent " + expected);
                    }
                    handed[0]++;
                }
            }

            @Override
            public boolean userSpeech(AudioFrame nearEnd, boolean voice) {
                fresh[0] = true;
                return voice;
            }
        };
        FarEnd farEnd = new FarEnd(null, recorder, F, clock);
        farEnd.reset(0);
        long start = clock.nanoTime();
        // The transport plays from the start, a frame at a time, without pauses.
        long lead = F.samplesFor(500);
        AtomicReference<Throwable> loopFailure = new AtomicReference<>();
        // When the loop last reported playout (clock nanos; 0 before its first report).
        AtomicLong reportedAt = new AtomicLong();
        Thread loop = new Thread(() -> {
            try {
                Random random = new Random(1);
                AudioFrame out = AudioFrame.allocate(F, FRAME);
                long sent = 0;
                long end = start + (FRAMES + 25) * FRAME_NANOS;
                while (clock.nanoTime() < end) {
                    long played = playedAt(clock.nanoTime() - start);
                    while (sent - played < lead) {
                        for (int i = 0; i < FRAME; i++) {
                            out.samples()[i] = (short) ((sent + i) % MODULUS);
                        }
                        out.setLength(FRAME);
                        farEnd.sent(out, sent);
                        sent += FRAME;
                    }
                    farEnd.playout(played, true);
                    reportedAt.set(clock.nanoTime());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2 + random.nextInt(25)));
                }
            } catch (Throwable t) {
                loopFailure.set(t);
            }
        }, "far-end-loop");
        loop.start();

        Random random = new Random(2);
        AudioFrame near = AudioFrame.allocate(F, FRAME).setLength(FRAME);
        List<String> late = new ArrayList<>();
        int k = 0;
        int checked = 0;
        while (k < FRAMES) {
            // Frames k .. k + hold - 1 are delivered together once the last is captured.
            int hold = random.nextDouble() < 0.2 ? 2 + random.nextInt(19) : 1;
            int last = Math.min(FRAMES, k + hold);
            long due = start + last * FRAME_NANOS;
            while (clock.nanoTime() < due) {
                LockSupport.parkNanos(due - clock.nanoTime());
            }
            long arrival = clock.nanoTime();
            for (; k < last; k++) {
                farEnd.release(near, false);
                farEnd.userSpeech(near, true);
                long capturedEnd = (k + 1) * FRAME_NANOS;
                if (arrival - start - capturedEnd > CaptureClock.MAX_HOLD_NANOS / 2) {
                    // This thread itself was held up for long: not the case under test.
                    continue;
                }
                if (reportedAt.get() < start + capturedEnd - TOLERANCE_NANOS) {
                    // Nor the loop: it reports every 2-27 ms, so a frame captured after a longer
                    // silence from it found it held up (under load, not yet even started), and the
                    // reference can only be as fresh as the last report.
                    continue;
                }
                long truth = playedAt(capturedEnd);
                checked++;
                if (Math.abs(Math.max(0, handed[0]) - truth) > TOLERANCE) {
                    late.add("frame " + k + ": reference to " + handed[0] + ", played at its capture " + truth);
                }
            }
        }
        loop.join(5_000);
        assertThat(loopFailure.get()).isNull();
        assertThat(violations).isEmpty();
        assertThat(checked).isGreaterThan(FRAMES / 2);
        assertThat(late).isEmpty();
    }

    /** What the transport has played {@code nanos} after the start: whole frames. */
    private static long playedAt(long nanos) {
        return Math.max(0, nanos / FRAME_NANOS) * FRAME;
    }
}
