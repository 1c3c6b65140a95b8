package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link DspVad} tells a turn detector about the turns of {@link TurnEval}, offline and in
 * seconds instead of TurnEval's minutes of real-time sessions: per spliced mid-turn pause, the
 * silence the session counts (the longest run of 20 ms frames whose probability is below 0.5,
 * which is what {@code HeardAudio} adds up, from 200 ms before the pause to 100 ms after it),
 * when the VAD's offset came after the pause began and when its onset came after the pause
 * ended; per turn end, the last voiced frame and the last offset from the end of the speech.
 * The adaptive detector's waits sit within some 50 ms of the longest real pauses, so a VAD
 * change that moves these by a frame or two shows in TurnEval's cut-offs; comparing this
 * output before and after the change points at the pauses it moves. Runs each speaker's
 * turns through one detector in order, as the session does, quiet or in pink noise at the
 * given SNR (the same mix as TurnEval's).
 *
 * <p>Run: {@code java -cp <benchmarks classpath> io.parley.bench.audio.VadTurnEdges [snr dB]}
 */
public final class VadTurnEdges {

    private static final int FRAME = 320;
    private static final int FRAME_MS = 20;

    private VadTurnEdges() {
    }

    public static void main(String[] args) throws Exception {
        List<String> opts = new ArrayList<>(List.of(args));
        RealTurns.Band band = RealTurns.Band.of(opts);
        double snr = opts.isEmpty() ? Double.NaN : Double.parseDouble(opts.get(0));
        long pauses = 0;
        long silenceOverPause = 0;
        for (List<RealTurns.Turn> speaker : RealTurns.load(band)) {
            Vad vad = DspVad.defaults().create(RealTurns.FORMAT);
            AudioFrame f = AudioFrame.allocate(RealTurns.FORMAT, FRAME);
            for (RealTurns.Turn t : speaker) {
                short[] a = Double.isNaN(snr) ? t.audio() : TurnEval.withNoise(t, snr);
                int frames = a.length / FRAME;
                boolean[] speech = new boolean[frames];
                boolean[] voiced = new boolean[frames];
                for (int i = 0; i < frames; i++) {
                    System.arraycopy(a, i * FRAME, f.samples(), 0, FRAME);
                    f.setLength(FRAME);
                    f.setTimestampNanos(i * FRAME_MS * 1_000_000L);
                    VadResult r = vad.process(f);
                    speech[i] = r.speech();
                    voiced[i] = r.probability() >= 0.5f;
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s %-8s %-40.40s", t.speaker(),
                        t.heldOut() ? "held-out" : "tuning", t.text()));
                for (int k = 0; k < t.pauseStart().length; k++) {
                    int start = t.pauseStart()[k] / FRAME;
                    int end = t.pauseEnd()[k] / FRAME;
                    int silence = longestUnvoiced(voiced, start - 10, end + 5);
                    pauses++;
                    silenceOverPause += (silence - (end - start)) * FRAME_MS;
                    line.append(String.format(Locale.ROOT, " | pause %3d ms: silence %4d, offset %s, onset %s", (end - start) * FRAME_MS,
                            silence * FRAME_MS, at(change(speech, start - 10, end, false), start), at(change(speech, end - 5, end + 40, true), end)));
                }
                int speechEnd = t.speechEnd() / FRAME;
                int lastVoiced = -1;
                int lastOffset = -1;
                for (int i = 0; i < frames; i++) {
                    lastVoiced = voiced[i] ? i + 1 : lastVoiced;
                    lastOffset = i > 0 && speech[i - 1] && !speech[i] ? i : lastOffset;
                }
                line.append(String.format(Locale.ROOT, " | end: last voiced %s, last offset %s", at(lastVoiced, speechEnd),
                        at(lastOffset, speechEnd)));
                System.out.println(line);
            }
        }
        System.out.printf(Locale.ROOT, "%d pauses: silence counted exceeds the pause by %.1f ms on average%n", pauses,
                pauses == 0 ? 0.0 : silenceOverPause / (double) pauses);
    }

    /** The longest run of unvoiced frames within [from, to), clamped to the recording. */
    private static int longestUnvoiced(boolean[] voiced, int from, int to) {
        int best = 0;
        int run = 0;
        for (int i = Math.max(0, from); i < Math.min(voiced.length, to); i++) {
            run = voiced[i] ? 0 : run + 1;
            best = Math.max(best, run);
        }
        return best;
    }

    /** The first frame in [from, to) where the decision turns to {@code onset}, or -1. */
    private static int change(boolean[] speech, int from, int to, boolean onset) {
        for (int i = Math.max(1, from); i < Math.min(speech.length, to); i++) {
            if (speech[i] == onset && speech[i - 1] != onset) {
                return i;
            }
        }
        return -1;
    }

    private static String at(int frame, int reference) {
        return frame < 0 ? "none" : (frame - reference) * FRAME_MS + " ms";
    }
}
