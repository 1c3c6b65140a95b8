package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.audio.echo.AdaptiveEchoCanceller;
import io.parley.audio.echo.EchoGate;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Whether {@link EchoGate} allocates per frame: the thread's allocated bytes (HotSpot's
 * {@code com.sun.management.ThreadMXBean}) over rounds of 20 ms frames of real recorded
 * prompts as the far end and their room echo plus a real user recording as the near end.
 * The first round includes the gate's one-time setup for the format; later rounds should
 * show 0 bytes. With the argument {@code adaptive} it measures {@link AdaptiveEchoCanceller}
 * instead (played, cancel and its user-speech verdict per frame).
 *
 * <p>{@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.echo.EchoGateAllocation}
 * (or {@code -Dbench.args=adaptive})
 */
public final class EchoGateAllocation {

    private static final int ROUNDS = 10;

    private EchoGateAllocation() {
    }

    public static void main(String[] args) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Recordings.Clip> prompts = Recordings.agentPrompts(2.0, 4.5);
        Recordings.Clip user = Recordings.users(0.9).get(0);
        // Ten seconds of far end: the prompts back to back.
        int frames = 500;
        short[] far = new short[frames * EchoRoom.FRAME];
        for (int at = 0, p = 0; at < far.length; p++) {
            short[] pcm = prompts.get(p % prompts.size()).pcm();
            int n = Math.min(pcm.length, far.length - at);
            System.arraycopy(pcm, 0, far, at, n);
            at += n;
        }
        float[] echo = new float[frames * EchoRoom.FRAME];
        RoomEcho room = new RoomEcho(-10, 175, 350, new Random(1));
        short[] played = new short[EchoRoom.FRAME];
        float[] heard = new float[EchoRoom.FRAME];
        for (int k = 0; k < frames; k++) {
            System.arraycopy(far, k * EchoRoom.FRAME, played, 0, EchoRoom.FRAME);
            java.util.Arrays.fill(heard, 0f);
            room.process(played, EchoRoom.FRAME, heard);
            System.arraycopy(heard, 0, echo, k * EchoRoom.FRAME, EchoRoom.FRAME);
        }
        AudioFrame farFrame = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        AudioFrame nearFrame = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        boolean adaptive = args.length > 0 && "adaptive".equals(args[0]);
        EchoGate gate = EchoGate.create();
        AdaptiveEchoCanceller canceller = AdaptiveEchoCanceller.create();
        AudioFrame cancelled = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        long thread = Thread.currentThread().getId();
        int userFrames = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int k = 0; k < frames; k++) {
                int at = k * EchoRoom.FRAME;
                System.arraycopy(far, at, farFrame.samples(), 0, EchoRoom.FRAME);
                farFrame.setLength(EchoRoom.FRAME);
                short[] near = nearFrame.samples();
                for (int i = 0; i < EchoRoom.FRAME; i++) {
                    // The user talks over the second half of every other round.
                    int u = (at + i) % user.pcm().length;
                    float v = echo[at + i] + (round % 2 == 1 && k > frames / 2 ? user.pcm()[u] : 0);
                    near[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
                }
                nearFrame.setLength(EchoRoom.FRAME);
                if (adaptive) {
                    canceller.played(farFrame);
                    canceller.cancel(nearFrame, cancelled.setLength(EchoRoom.FRAME));
                    userFrames += canceller.userSpeech(cancelled, true) ? 1 : 0;
                } else {
                    gate.played(farFrame);
                    userFrames += gate.userSpeech(nearFrame, true) ? 1 : 0;
                }
            }
            long bytes = threads.getThreadAllocatedBytes(thread) - before;
            System.out.printf(Locale.ROOT, "round %d: %d frames, %d bytes allocated (%.2f per frame)%n",
                    round, frames, bytes, (double) bytes / frames);
        }
        System.out.printf(Locale.ROOT, "frames counted as user speech: %d%n", userFrames);
    }
}
