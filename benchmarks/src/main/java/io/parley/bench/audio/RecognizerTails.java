package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.audio.SpectralNoiseSuppressor;
import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.spi.Vad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What PocketSphinx makes of the ends of {@link RealTurns}' turns, offline and deterministic,
 * per decoder setting: the recognizer side of TurnEval's slow finished turns, whose last word
 * the decoder reads as a short function word ("clubs" as "of as"), on which the turn detector
 * rightly waits about a second.
 *
 * <p>Each speaker's turns go, in order, through one decoder (as in a session, which keeps its
 * recognizer stream, and so the decoder's cepstral mean, from turn to turn). Per turn the audio
 * the session would give the recognizer is fed in 20 ms chunks: from 500 ms (the session's
 * prefix padding) before {@link DspVad}'s first onset to one second after the VAD's last offset
 * (the detector's longest usual wait). The hypothesis is read every 300 ms of audio, as
 * PocketSphinxStt publishes interims; each changed one is a result the turn detector would read.
 * Words whose middle lies more than 20 ms (40 ms for a word begun before it) after the VAD's
 * offset are set aside, as the detector does ({@code AdaptiveTurnDetector.ghostMargin}).
 *
 * <ul>
 *   <li><b>trailing insertions</b>: finished turns one of whose results that heard the VAD's
 *       last offset (up to a second after it) ends (words in the silence set aside) in a word that holds a
 *       turn open (a preposition, article, conjunction, auxiliary...) that is not the turn's
 *       true last word: the detector then waits about a second.</li>
 *   <li><b>end read right</b>: turns whose last such result ends with the true last word.</li>
 *   <li><b>pause words</b>: mid-turn pauses (where a real "of" or "to" must stay heard, or the
 *       turn is cut) in which a result that heard the VAD's offset, up to the user resuming,
 *       ends with the true word before the pause.</li>
 *   <li><b>WER</b>: word error rate of the hypothesis 600 ms after the true end of speech (about
 *       when a finished turn is committed) against the script, over the split's words.</li>
 * </ul>
 *
 * <p>Settings are PocketSphinx arguments on top of PocketSphinxStt's own ({@code -bestpath no
 * -remove_silence no}, {@code -fwdflat no} with the language model), named on the command line
 * as {@code name=value[,name=value...]}; {@code base} is none, {@code +nsup} in a setting runs
 * {@link SpectralNoiseSuppressor} on the recognizer's input only (the VAD hears the raw audio;
 * {@code +nsupN}: at most N dB of attenuation instead of its default 15), {@code +gate} turns
 * the recognizer's input down where the VAD hears no voice (see {@code gated}),
 * {@code lm:} before it decodes free-form with the language model instead of TurnEval's word
 * loop. {@code product} instead runs {@link PocketSphinxStt} itself, as TurnEval's {@code vocab wip}
 * builds it (the setting {@code -wip=0.01,-silprob=0.1} through the product), through its public stream. Split: tuning unless {@code held-out} is given; {@code --seed N} another draw of the
 * pink noise ({@link TurnEval#withNoise(RealTurns.Turn, double, long)}; 0, the default, is TurnEval's); {@code noise} or {@code quiet}: that condition only.
 *
 * <p>Run: {@code mvn -q -B -o -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.RecognizerTails
 * -Dbench.args="base -silprob=0.1 ..."} (seconds per setting with the word loop, about half a
 * minute with the language model).
 */
public final class RecognizerTails {

    static final int RATE = RealTurns.FORMAT.sampleRate();
    static final int CHUNK = RATE / 50;
    static final int INTERIM = RATE * 300 / 1000;
    private static final int PREFIX = RATE / 2;
    private static final int AFTER_OFFSET = RATE;
    private static final int FINAL_AFTER_END = RATE * 600 / 1000;
    private static final int GHOST_MARGIN = RATE * 20 / 1000;
    private static final double[] SNRS = {Double.NaN, 10};

    /** Words that hold a turn open in {@code TranscriptCues} (function words, conjunctions, fillers, auxiliaries). */
    static final Set<String> HOLDING = Set.of(
            "to", "of", "in", "on", "at", "for", "with", "from", "by", "about", "into", "onto", "over",
            "under", "between", "through", "after", "before", "during", "without", "towards", "toward",
            "than", "as", "via", "per", "around", "across", "against", "among", "upon", "within",
            "the", "a", "an", "my", "your", "his", "her", "our", "their", "its", "this", "these",
            "those", "some", "any", "each", "every", "another", "no", "i", "we", "he", "she", "they",
            "want", "need", "very", "just",
            "and", "but", "or", "so", "because", "cause", "then", "if", "that", "which", "who", "whom",
            "whose", "when", "while", "although", "though", "since", "unless", "until", "whereas", "nor",
            "plus", "also", "whether", "where",
            "um", "uh", "like",
            "is", "are", "was", "were", "am", "be", "been", "will", "would", "can", "could", "should",
            "shall", "must", "might", "may", "have", "has", "had", "do", "does", "did", "you", "really",
            "more", "most");

    private RecognizerTails() {
    }

    /** A timed word on the turn's audio, in samples. */
    record Heard(String text, int start, int end) {
        int middle() {
            return (start + end) / 2;
        }
    }

    /** One result the detector would read: what was decoded up to {@code at} (samples into the turn). */
    record Result(int at, List<Heard> words) {
        String text() {
            return String.join(" ", words.stream().map(Heard::text).toList());
        }
    }

    /** Something that decodes one speaker's utterances, one after another. */
    interface Recognizer extends AutoCloseable {
        /**
         * Decodes {@code audio[from, to)} as one utterance: the results every 300 ms of audio whose
         * text changed, and those at the 20 ms chunks holding {@code extraPoints}, changed or not.
         */
        List<Result> utterance(short[] audio, int from, int to, int[] extraPoints);

        @Override
        void close();
    }

    /** What one setting did to one split in one condition. */
    private static final class Tally {
        int turns;
        int insertions;
        int endRight;
        int pauses;
        int pauseRight;
        int errors;
        int words;
        int ghosts;
    }

    /** Arguments: settings (see the class comment), {@code held-out}, {@code detail} (every turn's results). */
    public static void main(String[] args) throws Exception {
        List<String> opts = new ArrayList<>(List.of(args));
        RealTurns.Band band = RealTurns.Band.of(opts);
        boolean heldOut = opts.remove("held-out");
        boolean detail = opts.remove("detail");
        boolean noiseOnly = opts.remove("noise");
        boolean quietOnly = opts.remove("quiet");
        long seed = ToolArgs.takeLong(opts, "--seed", 0);
        if (opts.isEmpty()) {
            opts.add("base");
        }
        List<List<RealTurns.Turn>> speakers = RealTurns.load(band);
        String loop = TurnEval.wordLoop(speakers);
        System.out.printf(Locale.ROOT, "split: %s; noise seed %d; load average before: %s%n", heldOut ? "held-out" : "tuning", seed,
                io.parley.bench.local.FinalizeLatency.loadAverage());
        System.out.println("| setting | condition | trailing insertions | end read right | pause words | WER | words set aside |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (String setting : opts) {
            for (double snr : noiseOnly ? new double[] {10} : quietOnly ? new double[] {Double.NaN} : SNRS) {
                Tally t = new Tally();
                for (List<RealTurns.Turn> speaker : speakers) {
                    try (Recognizer r = recognizer(setting, loop, speakers)) {
                        SpectralNoiseSuppressor nsup = suppressor(setting);
                        Vad vad = DspVad.defaults().create(RealTurns.FORMAT);
                        for (RealTurns.Turn turn : speaker) {
                            short[] heard = Double.isNaN(snr) ? turn.audio() : TurnEval.withNoise(turn, snr, seed);
                            Speech speech = Speech.of(vad, heard);
                            short[] fed = nsup == null ? heard : suppressed(nsup, heard);
                            if (setting.contains("+gate")) {
                                fed = gated(fed, heard, setting);
                            }
                            measure(turn, speech, fed, r, turn.heldOut() == heldOut ? t : null, detail, setting, snr);
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %d of %d | %d of %d | %d of %d | %.1f %% (%d of %d) | %d |%n", setting,
                        Double.isNaN(snr) ? "quiet" : "noise " + (int) snr + " dB", t.insertions, t.turns, t.endRight, t.turns,
                        t.pauseRight, t.pauses, 100.0 * t.errors / t.words, t.errors, t.words, t.ghosts);
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", io.parley.bench.local.FinalizeLatency.loadAverage());
        System.exit(0);
    }

    /** Where DspVad hears speech in a turn: its first onset and its offsets (end of the last clearly voiced frame, as the session takes it). */
    record Speech(int onset, int[] offsets, int[] offsetEvents) {
        static Speech of(Vad vad, short[] audio) {
            AudioFrame frame = AudioFrame.allocate(RealTurns.FORMAT, CHUNK);
            boolean speaking = false;
            int onset = -1;
            int lastVoicedEnd = 0;
            List<int[]> offsets = new ArrayList<>();
            for (int at = 0; at + CHUNK <= audio.length; at += CHUNK) {
                System.arraycopy(audio, at, frame.samples(), 0, CHUNK);
                frame.setLength(CHUNK).setTimestampNanos(at * 1_000_000_000L / RATE);
                io.parley.spi.VadResult v = vad.process(frame);
                if (v.speech() && !speaking) {
                    speaking = true;
                    if (onset < 0) {
                        onset = at;
                    }
                } else if (!v.speech() && speaking) {
                    speaking = false;
                    offsets.add(new int[] {lastVoicedEnd > 0 ? lastVoicedEnd : at, at + CHUNK});
                }
                if (v.probability() >= 0.5f) {
                    lastVoicedEnd = at + CHUNK;
                }
            }
            return new Speech(onset, offsets.stream().mapToInt(o -> o[0]).toArray(), offsets.stream().mapToInt(o -> o[1]).toArray());
        }

        /** The last offset reported at or before {@code sample}, or -1. */
        int offsetIndexBefore(int sample) {
            int k = -1;
            for (int i = 0; i < offsets.length; i++) {
                if (offsetEvents[i] <= sample) {
                    k = i;
                }
            }
            return k;
        }
    }

    private static void measure(RealTurns.Turn turn, Speech speech, short[] audio, Recognizer r, Tally t, boolean detail,
                                String setting, double snr) {
        if (speech.onset < 0) {
            throw new IllegalStateException("the VAD heard no speech in '" + turn.text() + "'");
        }
        int from = Math.max(0, speech.onset - PREFIX);
        int endOffset = speech.offsetIndexBefore(turn.speechEnd() + AFTER_OFFSET);
        int offsetEvent = endOffset < 0 ? turn.speechEnd() : speech.offsetEvents[endOffset];
        int offset = endOffset < 0 ? turn.speechEnd() : speech.offsets[endOffset];
        int to = Math.min(audio.length, offsetEvent + AFTER_OFFSET);
        // On the 300 ms grid of interims, so every recognizer reads it at the same audio.
        int finalAt = from + (turn.speechEnd() + FINAL_AFTER_END - from + INTERIM - 1) / INTERIM * INTERIM;
        to = Math.max(to, Math.min(audio.length, finalAt));
        List<Result> results = r.utterance(audio, from, to, new int[] {finalAt});
        if (t == null) {
            return;
        }
        String[] truth = turn.text().split(" ");
        String last = truth[truth.length - 1];
        t.turns++;
        // The end: the results that have heard it, up to a second after the VAD reported it.
        List<Result> atEnd = around(results, offset, to);
        boolean inserted = false;
        String lastKept = "";
        StringBuilder seen = new StringBuilder();
        for (Result res : atEnd) {
            List<Heard> kept = kept(res.words, offset);
            t.ghosts += res.words.size() - kept.size();
            String w = kept.isEmpty() ? "" : kept.get(kept.size() - 1).text;
            inserted |= HOLDING.contains(w) && !w.equals(last);
            lastKept = w;
            seen.append(" | ").append(tail(res.words, 3)).append(kept.size() < res.words.size() ? " (-" + (res.words.size() - kept.size()) + ")" : "");
        }
        t.insertions += inserted ? 1 : 0;
        t.endRight += lastKept.equals(last) ? 1 : 0;
        // Mid-turn pauses: a result from the VAD's offset in the pause to the user resuming.
        String[] script = turn.text().split(" ");
        for (int p = 0; p < turn.pauseStart().length; p++) {
            t.pauses++;
            int a = turn.pauseStart()[p];
            int b = turn.pauseEnd()[p];
            int k = speech.offsetIndexBefore(b);
            boolean right = false;
            String before = script[turn.pauseAfterWord()[p]];
            if (k >= 0 && speech.offsetEvents[k] >= a - RATE / 5) {
                for (Result res : around(results, speech.offsets[k], b)) {
                    List<Heard> kept = kept(res.words, speech.offsets[k]);
                    right |= !kept.isEmpty() && kept.get(kept.size() - 1).text.equals(before);
                }
            }
            t.pauseRight += right ? 1 : 0;
        }
        Result fin = results.stream().filter(res -> res.at >= finalAt).findFirst().orElseThrow();
        int errors = wordErrors(truth, fin.text().isEmpty() ? new String[0] : fin.text().split(" "));
        t.errors += errors;
        t.words += truth.length;
        if (detail) {
            System.out.printf(Locale.ROOT, "  %s %s %s '%s': %s%s; final '%s' (%d errors)%n", setting, Double.isNaN(snr) ? "quiet" : "noise",
                    turn.speaker(), tailOf(script, 4), inserted ? "INSERTED" : "ok", seen, fin.text(), errors);
        }
    }

    /**
     * Results the detector reads in a pause: from the first whose audio reaches the VAD's offset
     * {@code voiceEnd} (the session does not end a turn on a result that has not heard its end)
     * up to {@code to}.
     */
    static List<Result> around(List<Result> results, int voiceEnd, int to) {
        return results.stream().filter(r -> r.at >= voiceEnd && r.at <= to).toList();
    }

    /** The words without the trailing ones decoded from the silence after {@code offset}, as the detector sets them aside. */
    static List<Heard> kept(List<Heard> words, int offset) {
        int n = words.size();
        while (n > 0) {
            Heard h = words.get(n - 1);
            int margin = h.start < offset ? 2 * GHOST_MARGIN : GHOST_MARGIN;
            if (h.middle() - offset <= margin) {
                break;
            }
            n--;
        }
        return words.subList(0, n);
    }

    private static String tail(List<Heard> words, int n) {
        return String.join(" ", words.subList(Math.max(0, words.size() - n), words.size()).stream().map(Heard::text).toList());
    }

    private static String tailOf(String[] words, int n) {
        return String.join(" ", Arrays.asList(words).subList(Math.max(0, words.length - n), words.length));
    }

    /** Substitutions, insertions and deletions between two word sequences (Levenshtein). */
    static int wordErrors(String[] truth, String[] hyp) {
        int[] prev = new int[hyp.length + 1];
        int[] cur = new int[hyp.length + 1];
        for (int j = 0; j <= hyp.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= truth.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= hyp.length; j++) {
                cur[j] = Math.min(Math.min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (truth[i - 1].equals(hyp[j - 1]) ? 0 : 1));
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[hyp.length];
    }

    /** {@code +nsup} in the setting: the default suppressor; {@code +nsupN}: one that turns noise down by at most N dB. */
    private static SpectralNoiseSuppressor suppressor(String setting) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\+nsup(\\d+)?").matcher(setting);
        if (!m.find()) {
            return null;
        }
        return m.group(1) == null ? new SpectralNoiseSuppressor()
                : SpectralNoiseSuppressor.builder().maxAttenuationDb(Integer.parseInt(m.group(1))).build();
    }

    private static short[] suppressed(SpectralNoiseSuppressor nsup, short[] audio) {
        short[] out = new short[audio.length];
        AudioFrame in = AudioFrame.allocate(RealTurns.FORMAT, CHUNK);
        AudioFrame o = AudioFrame.allocate(RealTurns.FORMAT, CHUNK);
        int delay = (int) (nsup.latencyNanos() * RATE / 1_000_000_000L);
        for (int at = 0; at < audio.length; at += CHUNK) {
            int n = Math.min(CHUNK, audio.length - at);
            System.arraycopy(audio, at, in.samples(), 0, n);
            in.setLength(n).setTimestampNanos(at * 1_000_000_000L / RATE);
            o.setLength(n);
            nsup.process(in, o);
            // Undo the suppressor's delay so words keep their times on the turn's audio.
            for (int i = 0; i < n; i++) {
                int dst = at + i - delay;
                if (dst >= 0) {
                    out[dst] = o.samples()[i];
                }
            }
        }
        return out;
    }

    /**
     * {@code audio} with its non-speech stretches turned down: each 20 ms chunk gets a gain of one
     * while {@link DspVad} (run on {@code heard}, as the session's VAD hears the raw audio) found
     * a clearly voiced frame (probability 0.5 or more) within the last {@code hangover} ms
     * ({@code +gate<hangover>/<dB>} in the setting, default 100 ms and 30 dB), else the floor;
     * the gain moves linearly across a chunk from the previous one's, so there is no click.
     * Causal, as a session could do it: a chunk's gain depends on its own and earlier frames.
     * With {@code +rawlead} the audio before the turn's first voiced frame is left as it is.
     */
    private static short[] gated(short[] audio, short[] heard, String setting) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\+gate(\\d+)?(?:/(\\d+))?").matcher(setting);
        m.find();
        int hangover = m.group(1) == null ? 100 : Integer.parseInt(m.group(1));
        double db = m.group(2) == null ? 30 : Integer.parseInt(m.group(2));
        float floor = (float) Math.pow(10, -db / 20);
        Vad vad = DspVad.defaults().create(RealTurns.FORMAT);
        AudioFrame frame = AudioFrame.allocate(RealTurns.FORMAT, CHUNK);
        short[] out = audio.clone();
        // "+rawlead": untouched until the first voiced frame, so the decoder's own noise
        // estimate starts from the real noise.
        boolean rawLead = setting.contains("+rawlead");
        boolean seenVoice = false;
        int sinceVoiced = Integer.MAX_VALUE / 2;
        float prev = rawLead ? 1f : floor;
        for (int at = 0; at + CHUNK <= audio.length; at += CHUNK) {
            System.arraycopy(heard, at, frame.samples(), 0, CHUNK);
            frame.setLength(CHUNK).setTimestampNanos(at * 1_000_000_000L / RATE);
            boolean voiced = vad.process(frame).probability() >= 0.5f;
            sinceVoiced = voiced ? 0 : sinceVoiced + 20;
            seenVoice |= voiced;
            float target = sinceVoiced <= hangover || (rawLead && !seenVoice) ? 1f : floor;
            for (int i = 0; i < CHUNK; i++) {
                float g = prev + (target - prev) * (i + 1) / CHUNK;
                out[at + i] = (short) Math.round(audio[at + i] * g);
            }
            prev = target;
        }
        return out;
    }

    private static Recognizer recognizer(String setting, String loop, List<List<RealTurns.Turn>> speakers) {
        if (setting.equals("product")) {
            return new Product(TurnEval.vocabRecognizer(speakers, true));
        }
        boolean lm = setting.startsWith("lm:");
        String spec = (lm ? setting.substring(3) : setting).replaceAll("\\+nsup[0-9]*", "").replaceAll("\\+gate[0-9/]*", "").replace("+rawlead", "");
        List<String> extra = new ArrayList<>();
        if (!spec.isEmpty() && !spec.equals("base")) {
            for (String kv : spec.split(",")) {
                String[] p = kv.split("=", 2);
                if (p.length != 2 || !p[0].startsWith("-")) {
                    throw new IllegalArgumentException("setting must be -name=value[,...]: " + setting);
                }
                extra.add(p[0]);
                extra.add(p[1]);
            }
        }
        return new DirectDecoder(lm ? null : loop, extra);
    }

    /**
     * PocketSphinxStt through its public stream, as a session drives it: audio is written in
     * 300 ms blocks, and after each the stream's latest interim (published once its decoding
     * thread has caught up) is the result at that point.
     */
    private static final class Product implements Recognizer {
        private final io.parley.spi.SttStream stream;
        private final java.util.concurrent.atomic.AtomicReference<io.parley.spi.Transcript> latest = new java.util.concurrent.atomic.AtomicReference<>();
        private final java.util.concurrent.LinkedBlockingQueue<io.parley.spi.Transcript> finals = new java.util.concurrent.LinkedBlockingQueue<>();
        private final AudioFrame frame = AudioFrame.allocate(RealTurns.FORMAT, CHUNK);
        /** Samples written to the stream so far: its timeline. */
        private long written;

        Product(PocketSphinxStt stt) {
            stream = stt.open(new io.parley.spi.SttRequest("tails", RealTurns.FORMAT, java.time.Duration.ZERO, ""),
                    new io.parley.spi.SttListener() {
                        @Override
                        public void onTranscript(io.parley.spi.Transcript t) {
                            if (t.isFinal()) {
                                finals.add(t);
                            } else {
                                latest.set(t);
                            }
                        }

                        @Override
                        public void onError(io.parley.session.SessionException error) {
                            throw error;
                        }
                    });
        }

        @Override
        public List<Result> utterance(short[] audio, int from, int to, int[] extraPoints) {
            List<Result> out = new ArrayList<>();
            long origin = written;
            latest.set(null);
            String lastText = null;
            for (int block = from; block < to; block += INTERIM) {
                int end = Math.min(to, block + INTERIM);
                for (int at = block; at < end; at += CHUNK) {
                    int n = Math.min(CHUNK, end - at);
                    System.arraycopy(audio, at, frame.samples(), 0, n);
                    frame.setLength(n).setTimestampNanos(written * 1_000_000_000L / RATE);
                    stream.write(frame);
                    written += n;
                }
                long due = written * 1_000_000_000L / RATE;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (stream.publishedNanos() < due) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the stream did not catch up");
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                io.parley.spi.Transcript t = latest.get();
                List<Heard> words = new ArrayList<>();
                if (t != null) {
                    for (io.parley.spi.Word w : t.words()) {
                        int s = from + (int) ((w.start().toNanos() * RATE / 1_000_000_000L) - (origin));
                        int e = from + (int) ((w.end().toNanos() * RATE / 1_000_000_000L) - (origin));
                        words.add(new Heard(w.text(), s, e));
                    }
                }
                Result r = new Result(end, words);
                int start = block;
                boolean asked = Arrays.stream(extraPoints).anyMatch(x -> x > start && x <= end);
                if (asked || !r.text().equals(lastText)) {
                    out.add(r);
                    lastText = r.text();
                }
            }
            stream.finalizeUtterance();
            try {
                if (finals.poll(60, java.util.concurrent.TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("no final");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return out;
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
