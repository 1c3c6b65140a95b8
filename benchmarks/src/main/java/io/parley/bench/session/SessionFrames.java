package io.parley.bench.session;

import io.parley.audio.AudioFrame;
import io.parley.time.Clock;
import java.io.IOException;
import java.util.function.IntSupplier;

/**
 * The load harness's sessions fed flat out by the calling thread, for {@code FrameCpu}'s
 * {@code session} component: the whole inbound path of a session (the transport's hand-over,
 * the VAD, the pitch tracker, the prefix ring, the recognizer's hand-off, the end-of-turn
 * bookkeeping) as a {@link LoadDriver} runs it, but without its pacing, so that its CPU per
 * frame can be taken by the thread's own clock and two builds compared in one process
 * ({@code FrameCpuPair}). The sessions are {@link LoadHarness}'s callers (real default pipeline,
 * {@link LoadStt} and {@link LoadTts} on the system clock), one frame of the next caller per
 * call, all filled into one frame as the driver fills them; their loops, timers and replies run
 * on their own threads, whose CPU is not counted.
 */
public final class SessionFrames {

    private SessionFrames() {
    }

    /**
     * Starts {@code sessions} sessions and returns one frame's delivery to the next of them as
     * one call (returning 0).
     *
     * @throws IOException if the recording cannot be read
     */
    public static IntSupplier frames(int sessions) throws IOException {
        Clock clock = Clock.system();
        short[] speech = LoadHarness.speech();
        short[] noise = LoadHarness.noise();
        long instantOffset = clock.nanoTime() - LoadHarness.toNanos(clock.now());
        Recorder outbound = new Recorder();
        Recorder overhead = new Recorder();
        Recorder[] stages = new Recorder[6];
        java.util.Arrays.setAll(stages, i -> new Recorder());
        SlowTurns slow = new SlowTurns(1_000_000L);
        LoadHarness.Caller[] callers = new LoadHarness.Caller[sessions];
        for (int i = 0; i < sessions; i++) {
            LoadTransport transport = new LoadTransport(clock, outbound, overhead, stages, slow);
            callers[i] = new LoadHarness.Caller(i, sessions, clock, speech, noise, false, true, instantOffset, transport);
            callers[i].session.start();
        }
        AudioFrame frame = AudioFrame.allocate(LoadHarness.FORMAT, LoadHarness.FRAME);
        long origin = clock.nanoTime();
        return new IntSupplier() {
            private int next;
            private long period;

            @Override
            public int getAsInt() {
                LoadHarness.Caller c = callers[next];
                // Stamped as the pacing driver stamps it; the period advances once every caller had its frame.
                long due = origin + period * LoadDriver.PERIOD_NANOS + c.slot * LoadDriver.SLOT_NANOS;
                c.fill(frame, due);
                c.deliver(frame);
                if (++next == callers.length) {
                    next = 0;
                    period++;
                }
                return 0;
            }
        };
    }
}
