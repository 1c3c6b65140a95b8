package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.Prosody;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What prosody says at the places a turn detector must tell apart: the VAD offsets inside the
 * spliced mid-turn pauses of {@link RealTurns} (the speaker is not done) and at the real ends of
 * turns. Runs {@link DspVad} and a {@link ProsodyTracker} over each speaker's turns in order,
 * as the session's inbound path does, and prints each offset's measures and
 * {@link Prosody#finality()}, then per split how well finality separates the two kinds (the
 * share of (end, pause) pairs it orders right: 0.5 is chance), and as much for each of its
 * measures alone (a lower final pitch, a steeper fall, more lengthening, a faster fade counted
 * as more final; a pair with either side unmeasured counts half). Offline and fast; for looking at
 * the signal, not a latency figure. It ends with a digest of every measure's exact bits: a change
 * that must not alter prosody shows the same digest before and after.
 *
 * <p>Options: {@code large} ({@link LargeTurns}' set instead of RealTurns' turns), {@code summary}
 * (no line per offset).
 *
 * <p>Run: {@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.ProsodyProbe
 * -Dbench.args="large summary"}
 */
public final class ProsodyProbe {

    private ProsodyProbe() {
    }

    private record Offset(String speaker, boolean heldOut, boolean end, Prosody prosody) {
    }

    public static void main(String[] args) throws Exception {
        List<String> opts = new ArrayList<>(List.of(args));
        RealTurns.Band band = RealTurns.Band.of(opts);
        boolean summary = opts.contains("summary");
        List<Offset> offsets = new ArrayList<>();
        for (List<RealTurns.Turn> speaker : opts.contains("large") ? LargeTurns.load(band) : RealTurns.load(band)) {
            Vad vad = DspVad.defaults().create(RealTurns.FORMAT);
            ProsodyTracker tracker = new ProsodyTracker(RealTurns.FORMAT);
            AudioFrame f = AudioFrame.allocate(RealTurns.FORMAT, 320);
            for (RealTurns.Turn t : speaker) {
                short[] a = t.audio();
                boolean speaking = false;
                int lastVoicedEnd = 0;
                for (int off = 0; off + 320 <= a.length; off += 320) {
                    System.arraycopy(a, off, f.samples(), 0, 320);
                    f.setLength(320);
                    f.setTimestampNanos(off * 62_500L);
                    VadResult r = vad.process(f);
                    tracker.process(f, r.probability() >= 0.5f);
                    if (r.probability() >= 0.5f) {
                        lastVoicedEnd = off + 320;
                    }
                    if (r.speech() && !speaking) {
                        speaking = true;
                    } else if (!r.speech() && speaking) {
                        speaking = false;
                        Prosody p = tracker.snapshot();
                        String kind = kind(t, lastVoicedEnd);
                        if (kind != null) {
                            offsets.add(new Offset(t.speaker(), t.heldOut(), kind.equals("end"), p));
                            if (summary) {
                                continue;
                            }
                            System.out.printf(Locale.ROOT, "%-8s %-8s %-5s slope %6.1f st/s  final %5.1f st  length %4.2f  decay %6.0f dB/s"
                                            + "  finality %5.2f  | %s%n", t.speaker(), t.heldOut() ? "held-out" : "tuning", kind,
                                    p.pitchSlope(), p.finalPitch(), p.finalLengthening(), p.energyDecay(), p.finality(), t.text());
                        }
                    }
                }
            }
        }
        // Every measure's exact bits, so that a change meant to leave prosody as it was (a
        // faster pitch search) can be checked by comparing this line before and after it.
        long digest = 1;
        for (Offset o : offsets) {
            Prosody p = o.prosody;
            for (double v : new double[] {p.pitchSlope(), p.finalPitch(), p.finalLengthening(), p.energyDecay()}) {
                digest = 31 * digest + Double.doubleToRawLongBits(v);
            }
        }
        System.out.printf(Locale.ROOT, "digest of the %d offsets' measures: %016x%n", offsets.size(), digest);
        for (boolean held : new boolean[] {false, true}) {
            List<Offset> part = offsets.stream().filter(o -> o.heldOut == held).toList();
            List<Double> ends = part.stream().filter(o -> o.end).map(o -> o.prosody.finality()).toList();
            List<Double> pauses = part.stream().filter(o -> !o.end).map(o -> o.prosody.finality()).toList();
            List<Double> endPitch = part.stream().filter(o -> o.end).map(o -> o.prosody.finalPitch()).sorted().toList();
            List<Double> pausePitch = part.stream().filter(o -> !o.end).map(o -> o.prosody.finalPitch()).sorted().toList();
            System.out.printf(Locale.ROOT, "%s: %d ends (mean finality %.2f, median final pitch %.1f st), %d pauses (mean %.2f,"
                            + " median final pitch %.1f st), pairs ordered right by finality %.2f, final pitch %.2f, fall %.2f,"
                            + " lengthening %.2f, fade %.2f%n",
                    held ? "held-out" : "tuning", ends.size(), ends.stream().mapToDouble(d -> d).average().orElse(Double.NaN),
                    median(endPitch), pauses.size(), pauses.stream().mapToDouble(d -> d).average().orElse(Double.NaN),
                    median(pausePitch), orderedRight(part, Prosody::finality), orderedRight(part, p -> -p.finalPitch()),
                    orderedRight(part, p -> -p.pitchSlope()), orderedRight(part, Prosody::finalLengthening),
                    orderedRight(part, p -> -p.energyDecay()));
        }
    }

    /** The share of (end, pause) pairs in which the end scores higher; ties and unmeasured sides count half. */
    private static double orderedRight(List<Offset> part, ToDoubleFunction<Prosody> score) {
        double right = 0;
        long pairs = 0;
        for (Offset e : part) {
            if (!e.end) {
                continue;
            }
            double es = score.applyAsDouble(e.prosody);
            for (Offset q : part) {
                if (q.end) {
                    continue;
                }
                double qs = score.applyAsDouble(q.prosody);
                right += Double.isNaN(es) || Double.isNaN(qs) || es == qs ? 0.5 : es > qs ? 1 : 0;
                pairs++;
            }
        }
        return pairs == 0 ? Double.NaN : right / pairs;
    }

    /** The middle of the measured values of a sorted list (NaNs sort last and are left out). */
    private static double median(List<Double> sorted) {
        List<Double> measured = sorted.stream().filter(d -> !d.isNaN()).toList();
        return measured.isEmpty() ? Double.NaN : measured.get(measured.size() / 2);
    }

    /** "end" for the turn's last speech, "pause" for speech before a spliced pause, null otherwise. */
    private static String kind(RealTurns.Turn t, int voicedEnd) {
        int tolerance = 16_000 / 5;
        if (Math.abs(voicedEnd - t.speechEnd()) <= tolerance) {
            return "end";
        }
        for (int start : t.pauseStart()) {
            if (Math.abs(voicedEnd - start) <= tolerance) {
                return "pause";
            }
        }
        return null;
    }
}
