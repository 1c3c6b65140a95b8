package io.parley.bench.audio;

import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What PocketSphinx's own scores say about the last word the turn detector reads, offline and
 * deterministic: whether a word that holds a turn open at a finished turn's end (inserted or
 * misread) scores differently from the real unfinished words before mid-turn pauses.
 *
 * <p>Turns are decoded as {@link RecognizerTails} does (one decoder per speaker, the session's
 * audio span, a result every 300 ms, words in the silence set aside). For each result the
 * detector would read in a pause (from the VAD's offset to the user resuming) or at a turn's end
 * (up to a second after the VAD's last offset), the last kept word's segment scores
 * ({@code ps_seg_prob}: acoustic score per 10 ms frame, language-model score, and the posterior,
 * which is 0 without a lattice), its duration, and how many results in a row ended with it;
 * quartiles per class, and AUCs of holding words in real pauses against wrong ones at finished
 * ends (0.5: no separation).
 *
 * <p>Options: {@code large} ({@link LargeTurns} instead of {@link RealTurns}; only the split's
 * turns are decoded, each speaker's through one decoder; {@code --stride N}: every N-th of them),
 * {@code lm} (free-form; default the word loop), {@code held-out}, {@code noise} or
 * {@code quiet}, {@code --seed N}, {@code detail} (every result).
 *
 * <p>Run: {@code mvn -q -B -o -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.TailScores
 * -Dbench.args="large lm --stride 3 noise"} (with {@code lm} about 0.6 s of CPU per second of audio).
 */
public final class TailScores {

    private static final int RATE = RealTurns.FORMAT.sampleRate();
    private static final int CHUNK = RATE / 50;
    private static final int INTERIM = RATE * 300 / 1000;
    private static final int PREFIX = RATE / 2;

    private TailScores() {
    }

    /** One result's last kept word, labelled by where it was read. */
    record Row(String place, boolean finished, boolean holding, boolean right, String word, double ascrPerFrame, int lscr,
               int frames, int runs, int prob, String turn) {
    }

    public static void main(String[] args) throws Exception {
        List<String> opts = new ArrayList<>(List.of(args));
        RealTurns.Band band = RealTurns.Band.of(opts);
        boolean lm = opts.remove("lm");
        boolean heldOut = opts.remove("held-out");
        boolean detail = opts.remove("detail");
        boolean large = opts.remove("large");
        long seed = ToolArgs.takeLong(opts, "--seed", 0);
        long stride = ToolArgs.takeLong(opts, "--stride", 1);
        double[] snrs = opts.contains("noise") ? new double[] {10} : opts.contains("quiet") ? new double[] {Double.NaN}
                : new double[] {Double.NaN, 10};
        List<List<RealTurns.Turn>> speakers = large ? LargeTurns.load(band) : RealTurns.load(band);
        String loop = lm ? null : TurnEval.wordLoop(speakers);
        for (double snr : snrs) {
            List<Row> rows = new ArrayList<>();
            for (List<RealTurns.Turn> speaker : speakers) {
                try (DirectDecoder d = new DirectDecoder(loop, List.of())) {
                    Vad vad = DspVad.defaults().create(RealTurns.FORMAT);
                    int taken = 0;
                    for (RealTurns.Turn turn : speaker) {
                        if (large && (turn.heldOut() != heldOut || taken++ % stride != 0)) {
                            // The large set is too long to decode whole per condition: only the split's turns (every stride-th).
                            continue;
                        }
                        short[] heard = Double.isNaN(snr) ? turn.audio() : TurnEval.withNoise(turn, snr, seed);
                        RecognizerTails.Speech speech = RecognizerTails.Speech.of(vad, heard);
                        List<Timed> results = decode(d, heard, speech, turn);
                        if (turn.heldOut() == heldOut) {
                            rows.addAll(label(turn, speech, results));
                        }
                    }
                }
            }
            String cond = Double.isNaN(snr) ? "quiet" : "noise";
            System.out.printf(Locale.ROOT, "%n== %s %s %s ==%n", lm ? "lm" : "vocab", cond, heldOut ? "held-out" : "tuning");
            if (detail) {
                for (Row r : rows) {
                    System.out.printf(Locale.ROOT, "  %-5s %s %-8s %-12s ascr/f %7.0f lscr %7d frames %3d runs %d prob %d  '%s'%n", r.place,
                            r.holding ? "H" : "-", r.right ? "right" : "wrong", r.word, r.ascrPerFrame, r.lscr, r.frames, r.runs, r.prob,
                            r.turn);
                }
            }
            summary("holding word held a real pause", rows.stream().filter(r -> !r.finished && r.holding).toList());
            summary("holding word at a finished end, wrong", rows.stream().filter(r -> r.finished && r.holding && !r.right).toList());
            summary("finished end read right", rows.stream().filter(r -> r.finished && r.right).toList());
            summary("finished end, other wrong word", rows.stream().filter(r -> r.finished && !r.holding && !r.right).toList());
            summary("pause, non-holding last word", rows.stream().filter(r -> !r.finished && !r.holding).toList());
            List<Row> held = rows.stream().filter(r -> !r.finished && r.holding).toList();
            List<Row> wrong = rows.stream().filter(r -> r.finished && r.holding && !r.right).toList();
            System.out.printf(Locale.ROOT, "separation of holding words at real pauses from wrong ones at finished ends (AUC, 0.5 = none):"
                            + " ascr/frame %.2f, lscr %.2f, frames %.2f, runs %.2f%n",
                    auc(held, wrong, Row::ascrPerFrame), auc(held, wrong, Row::lscr), auc(held, wrong, Row::frames), auc(held, wrong, Row::runs));
            List<Row> pauses = rows.stream().filter(r -> !r.finished).toList();
            List<Row> ends = rows.stream().filter(r -> r.finished).toList();
            System.out.printf(Locale.ROOT, "separation of any last word at real pauses from finished ends (AUC): ascr/frame %.2f, lscr %.2f,"
                            + " frames %.2f, runs %.2f%n",
                    auc(pauses, ends, Row::ascrPerFrame), auc(pauses, ends, Row::lscr), auc(pauses, ends, Row::frames), auc(pauses, ends, Row::runs));
        }
        System.exit(0);
    }

    private static void summary(String what, List<Row> rows) {
        double[] a = rows.stream().mapToDouble(Row::ascrPerFrame).sorted().toArray();
        double[] l = rows.stream().mapToDouble(Row::lscr).sorted().toArray();
        double[] f = rows.stream().mapToDouble(Row::frames).sorted().toArray();
        double[] n = rows.stream().mapToDouble(Row::runs).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-42s n=%3d  ascr/frame %s | lscr %s | frames %s | runs %s%n", what, rows.size(),
                q(a), q(l), q(f), q(n));
    }

    /** The probability that a row of {@code a} scores above one of {@code b} (ties half); NaN values left out. */
    private static double auc(List<Row> a, List<Row> b, java.util.function.ToDoubleFunction<Row> f) {
        double wins = 0;
        int n = 0;
        for (Row x : a) {
            for (Row y : b) {
                double fx = f.applyAsDouble(x);
                double fy = f.applyAsDouble(y);
                if (Double.isNaN(fx) || Double.isNaN(fy)) {
                    continue;
                }
                wins += fx > fy ? 1 : fx == fy ? 0.5 : 0;
                n++;
            }
        }
        return n == 0 ? Double.NaN : wins / n;
    }

    /** Min / quartiles / max. */
    private static String q(double[] v) {
        if (v.length == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f %.0f %.0f %.0f %.0f", v[0], v[v.length / 4], v[v.length / 2], v[3 * v.length / 4], v[v.length - 1]);
    }

    /** A result at {@code at} samples into the turn. */
    private record Timed(int at, List<DirectDecoder.Scored> words) {
    }

    private static List<Timed> decode(DirectDecoder d, short[] audio, RecognizerTails.Speech speech, RealTurns.Turn turn) {
        int from = Math.max(0, speech.onset() - PREFIX);
        int last = speech.offsetIndexBefore(turn.speechEnd() + RATE);
        int to = Math.min(audio.length, (last < 0 ? turn.speechEnd() : speech.offsetEvents()[last]) + RATE);
        d.begin();
        short[] chunk = new short[CHUNK];
        List<Timed> out = new ArrayList<>();
        int since = 0;
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            System.arraycopy(audio, at, chunk, 0, n);
            d.feed(chunk, n);
            since += n;
            if (since >= INTERIM) {
                since = 0;
                out.add(new Timed(at + n, d.scored(from)));
            }
        }
        d.end();
        return out;
    }

    private static List<Row> label(RealTurns.Turn turn, RecognizerTails.Speech speech, List<Timed> results) {
        List<Row> rows = new ArrayList<>();
        String[] script = turn.text().split(" ");
        for (int p = 0; p < turn.pauseStart().length; p++) {
            int a = turn.pauseStart()[p];
            int b = turn.pauseEnd()[p];
            int k = speech.offsetIndexBefore(b);
            if (k >= 0 && speech.offsetEvents()[k] >= a - RATE / 5) {
                rows.addAll(rows("pause", false, script[turn.pauseAfterWord()[p]], speech.offsets()[k], b, results, turn));
            }
        }
        int e = speech.offsetIndexBefore(turn.speechEnd() + RATE);
        int offset = e < 0 ? turn.speechEnd() : speech.offsets()[e];
        rows.addAll(rows("end", true, script[script.length - 1], offset, offset + RATE, results, turn));
        return rows;
    }

    private static List<Row> rows(String place, boolean finished, String truth, int offset, int to, List<Timed> results, RealTurns.Turn turn) {
        List<Row> out = new ArrayList<>();
        String prev = null;
        int prevStart = -1;
        int runs = 0;
        for (Timed t : results) {
            if (t.at < offset || t.at > to) {
                continue;
            }
            List<RecognizerTails.Heard> words = t.words.stream().map(DirectDecoder.Scored::word).toList();
            List<RecognizerTails.Heard> kept = RecognizerTails.kept(words, offset);
            if (kept.isEmpty()) {
                continue;
            }
            DirectDecoder.Scored s = t.words.get(kept.size() - 1);
            String w = s.word().text();
            runs = w.equals(prev) && Math.abs(s.word().start() - prevStart) <= RATE / 20 ? runs + 1 : 1;
            prev = w;
            prevStart = s.word().start();
            out.add(new Row(place, finished, RecognizerTails.HOLDING.contains(w), w.equals(truth), w, s.ascr() / (double) s.frames(),
                    s.lscr(), s.frames(), runs, s.prob(), turn.text()));
        }
        return out;
    }
}
