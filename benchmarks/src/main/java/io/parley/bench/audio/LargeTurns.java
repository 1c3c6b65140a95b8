package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.spi.Word;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;

/**
 * {@link RealTurns}' twenty turns and, after them, every turn the rule below makes of the same
 * real recordings: a set with enough mid-turn pauses in each split to measure a cut-off rate of a
 * few per cent on (issue #12).
 *
 * <p>The rule, applied to every prompt of Asterisk's English sounds (Allison, from the band
 * {@link RealTurns.Band} names) that has a line in the package's transcript list, top level and its
 * {@code dictate/} and {@code followme/} folders (the single words of {@code digits/},
 * {@code letters/} and {@code phonetic/} are words, not prompts):
 * <ol>
 *   <li>A prompt is skipped when it has no recording, when its transcript describes a sound or
 *       holds a note ({@code [..]}, {@code <..>}, {@code (..)}), when a token has no single
 *       reading (a number of more than one digit, a symbol other than {@code *} and {@code #},
 *       which are read "star" and "pound", a dotted name), when a word is not in the
 *       recognizer's dictionary, or when forced alignment in grammar mode (as {@link RealTurns},
 *       with beams wide enough not to lose the path: {@link RealTurns.Aligner}) does not return
 *       every word; and when {@link RealTurns} already uses it.</li>
 *   <li>A prompt is cut into sentences at {@code . ? !}, each its own turn, the cut in the middle
 *       of the gap between the sentences; a sentence ending in "..." or in a word of the classes
 *       below (or a digit) ends unfinished and is no turn. Hyphens split words; single digits are
 *       read as words.</li>
 *   <li>Pauses: after word {@code i} of a sentence of {@code n} words, {@code 1 <= i <= n - 2}, when
 *       the transcript has no punctuation after it and it is a conjunction, article, preposition
 *       or auxiliary of the lists below, or a digit followed by a digit (a digit group); taken
 *       from the left, at most {@value #MAX_PAUSES} per turn, each at least
 *       {@value #MIN_WORDS_BETWEEN} words after the previous one. A sentence with none is a plain
 *       finished turn. Pauses are spliced as {@link RealTurns} does (filled with the prompt's
 *       room tone), their lengths cycling through 300, 450, 600, 750 and 900 ms in set order.</li>
 *   <li>Split: a prompt's turns are held out when the CRC-32 of its name is odd; tuning
 *       otherwise (about half, and never one recording in both).</li>
 * </ol>
 * The transcripts hold almost no digit groups or dates, so, as {@link RealTurns} does, Allison's
 * single-word recordings of {@code digits/} are joined into {@value #PHONE_NUMBERS} ten-digit
 * numbers (digits drawn with a fixed seed; pauses after the third and the sixth digit) and one
 * date per month (a day drawn from 1-28; a pause after the month), split by the hash of their
 * names ({@code phone-NN}, {@code date-MONTH}).
 *
 * <p>Then the human speakers of {@code pocketsphinx-testdata} that {@link RealTurns} does not use
 * ({@link #TESTDATA}), under the same rule, each a speaker of its own, split by the same hash.
 * No synthesized speech. {@link #main} prints the set: turns and pauses per split, speaker, word
 * class and pause length, and what the rule took and skipped, and why.
 */
final class LargeTurns {

    /** At most this many pauses in one turn. */
    static final int MAX_PAUSES = 2;
    /** At least this many words between two pauses of one turn. */
    static final int MIN_WORDS_BETWEEN = 2;
    /** Ten-digit numbers joined from single digits. */
    static final int PHONE_NUMBERS = 30;

    private static final Path TRANSCRIPTS = Path.of("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz");
    private static final Path DICTIONARY = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
    private static final Path PS = Path.of("/usr/share/pocketsphinx/test/data");

    /**
     * The human recordings of {@code pocketsphinx-testdata} beyond {@link RealTurns}' LibriVox
     * and card files (16 kHz raw audio) and what is said in them: {@code goforward.raw} as
     * PocketSphinx's examples give it, the TIDIGITS file as its name spells it ({@code z} is
     * zero), {@code something.raw} as the free-form recognizer reads it (plain English, and
     * forced alignment fits it). Left out: {@code numbers.raw}, which has no transcript in the
     * package and which the free-form model and a number-word loop both read as "thirty three
     * four or six ninety two", not a reading to trust for word boundaries.
     */
    static final Map<String, String> TESTDATA = Map.of(
            "goforward.raw", "go forward ten meters",
            "something.raw", "go somewhere and do something",
            "tidigits/dhd.2934z.raw", "two nine three four zero");

    private static final Set<String> CONJUNCTIONS = Set.of("and", "or", "but", "nor", "if", "when", "while", "because", "unless",
            "than", "until", "whether");
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    private static final Set<String> PREPOSITIONS = Set.of("to", "of", "in", "on", "at", "for", "from", "with", "by", "into",
            "about", "after", "before", "through", "thru", "without", "over", "under", "during", "within", "onto", "upon");
    private static final Set<String> AUXILIARIES = Set.of("is", "are", "was", "were", "be", "been", "being", "am", "will", "would",
            "can", "could", "shall", "should", "may", "might", "must", "has", "have", "had", "do", "does", "did", "cannot");
    private static final List<String> DIGITS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    /** What a pause follows. */
    enum WordClass { CONJUNCTION, ARTICLE, PREPOSITION, AUXILIARY, DIGIT_GROUP, DATE, OTHER }

    /** Prompts the rule took, and those it skipped by reason (names in order). */
    static final class Census {
        final List<String> taken = new ArrayList<>();
        final Map<String, List<String>> skipped = new TreeMap<>();
        /** Sentences that end unfinished, not turns. */
        final List<String> unfinished = new ArrayList<>();

        void skip(String reason, String name) {
            skipped.computeIfAbsent(reason, r -> new ArrayList<>()).add(name);
        }
    }

    private LargeTurns() {
    }

    /**
     * Prints the set: turns and pauses per split, per speaker, per word class, per pause length,
     * and the prompts the rule took and skipped. Run: {@code mvn -q -B -o -pl benchmarks exec:exec
     * -Dbench.main=io.parley.bench.audio.LargeTurns}.
     */
    public static void main(String[] args) throws Exception {
        Census census = new Census();
        long t0 = System.nanoTime();
        List<List<RealTurns.Turn>> speakers = load(census, RealTurns.Band.of(new ArrayList<>(List.of(args))));
        List<RealTurns.Turn> all = speakers.stream().flatMap(List::stream).toList();
        System.out.printf(Locale.ROOT, "built in %.0f s; %d turns, %.0f s of audio%n", (System.nanoTime() - t0) / 1e9, all.size(),
                all.stream().mapToDouble(t -> t.audio().length / (double) RealTurns.FORMAT.sampleRate()).sum());
        Map<String, int[]> rows = new LinkedHashMap<>();
        for (RealTurns.Turn t : all) {
            int h = t.heldOut() ? 0 : 2;
            String[] words = t.text().split(" ");
            List<String> keys = new ArrayList<>(List.of("all", (t.added() ? "added" : "RealTurns' 20") + " turns",
                    "speaker " + t.speaker()));
            count(rows, keys, h, 1, 0);
            for (int p = 0; p < t.pauseStart().length; p++) {
                count(rows, List.of("class " + classOf(words, t.pauseAfterWord()[p]).name().toLowerCase(Locale.ROOT),
                        "pause " + t.pauseMs()[p] + " ms"), h, 0, 1);
                count(rows, keys, h, 0, 1);
            }
            if (t.pauseStart().length == 0) {
                count(rows, List.of("turns with no pause"), h, 1, 0);
            }
        }
        System.out.println("| set part             | held-out turns | held-out pauses | tuning turns | tuning pauses |");
        System.out.println("|----------------------|----------------|-----------------|--------------|---------------|");
        rows.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(k -> k.startsWith("all") ? "" : k)))
                .forEach(e -> System.out.printf(Locale.ROOT, "| %-20s | %14d | %15d | %12d | %13d |%n", e.getKey(), e.getValue()[0],
                        e.getValue()[1], e.getValue()[2], e.getValue()[3]));
        System.out.printf(Locale.ROOT, "%nprompts taken: %d; sentences that end unfinished (no turn): %d%n", census.taken.size(),
                census.unfinished.size());
        census.unfinished.forEach(u -> System.out.println("  unfinished " + u));
        census.skipped.forEach((why, names) -> System.out.printf(Locale.ROOT, "skipped, %s: %d: %s%n", why, names.size(),
                String.join(" ", names)));
        System.exit(0);
    }

    private static void count(Map<String, int[]> rows, List<String> keys, int at, int turns, int pauses) {
        for (String k : keys) {
            int[] r = rows.computeIfAbsent(k, x -> new int[4]);
            r[at] += turns;
            r[at + 1] += pauses;
        }
    }

    /** The class of word {@code i} of {@code words} as a pause place. */
    static WordClass classOf(String[] words, int i) {
        String w = words[i];
        String next = i + 1 < words.length ? words[i + 1] : "";
        if (DIGITS.contains(w) && (DIGITS.contains(next) || next.equals("oh"))) {
            return WordClass.DIGIT_GROUP;
        }
        if (RealTurns.MONTH_NAMES.contains(w) && (RealTurns.ORDINALS.contains(next) || next.equals("thirtieth") || next.equals("twenty")
                || next.equals("thirty"))) {
            return WordClass.DATE;
        }
        if (CONJUNCTIONS.contains(w)) {
            return WordClass.CONJUNCTION;
        }
        if (ARTICLES.contains(w)) {
            return WordClass.ARTICLE;
        }
        if (PREPOSITIONS.contains(w)) {
            return WordClass.PREPOSITION;
        }
        return AUXILIARIES.contains(w) ? WordClass.AUXILIARY : WordClass.OTHER;
    }

    /** Every turn, grouped by speaker: {@link RealTurns#load}'s speakers first, each with the turns added after its own. */
    static List<List<RealTurns.Turn>> load(RealTurns.Band band) throws Exception {
        return load(new Census(), band);
    }

    static List<List<RealTurns.Turn>> load(Census census, RealTurns.Band band) throws Exception {
        List<List<RealTurns.Turn>> out = new ArrayList<>();
        for (List<RealTurns.Turn> speaker : RealTurns.load(band)) {
            out.add(new ArrayList<>(speaker));
        }
        Set<String> dictionary = dictionary();
        RealTurns.Aligner aligner = new RealTurns.Aligner(true, band);
        int[] pauseIndex = {0};
        List<RealTurns.Turn> allison = out.stream().filter(s -> s.get(0).speaker().equals("allison")).findFirst().orElseThrow();
        for (Map.Entry<String, String> p : prompts().entrySet()) {
            String name = p.getKey();
            Path recording = band.path(name);
            if (RealTurns.ASTERISK_PROMPTS.contains(name)) {
                census.skip("used by RealTurns", name);
                continue;
            }
            if (!Files.isRegularFile(recording)) {
                census.skip("no recording", name);
                continue;
            }
            List<RealTurns.Turn> turns = turns(aligner, "allison", name, band.read(name), p.getValue(), dictionary, census,
                    pauseIndex);
            allison.addAll(turns);
        }
        // Digit groups and dates, as RealTurns joins them from Asterisk's single-word recordings.
        java.util.SplittableRandom random = new java.util.SplittableRandom(12);
        for (int n = 1; n <= PHONE_NUMBERS; n++) {
            StringBuilder script = new StringBuilder();
            for (int d = 0; d < 10; d++) {
                script.append(d == 3 || d == 6 ? " | " : " ").append(DIGITS.get(random.nextInt(10)));
            }
            String name = String.format(Locale.ROOT, "phone-%02d", n);
            allison.add(aligner.digits("allison", script.toString().trim(), pauseIndex).as(name, heldOut(name), true));
        }
        for (int m = 0; m < 12; m++) {
            int day = 1 + random.nextInt(28);
            String nth = day <= 20 ? RealTurns.ORDINALS.get(day - 1) : "twenty " + RealTurns.ORDINALS.get(day - 21);
            String name = "date-" + RealTurns.MONTH_NAMES.get(m);
            allison.add(aligner.digits("allison", RealTurns.MONTH_NAMES.get(m) + " | " + nth, pauseIndex).as(name, heldOut(name), true));
        }
        for (Map.Entry<String, String> e : new TreeMap<>(TESTDATA).entrySet()) {
            String name = e.getKey();
            AudioClip clip = new AudioClip(RealTurns.FORMAT, raw(PS.resolve(name)));
            List<RealTurns.Turn> turns = turns(aligner, name.replaceAll("^.*/|\\.raw$", ""), name, clip, e.getValue(), dictionary, census, pauseIndex);
            if (!turns.isEmpty()) {
                out.add(new ArrayList<>(turns));
            }
        }
        return out;
    }

    /** The turns the rule makes of one recording saying {@code transcript}; none when it skips it (noted in the census). */
    private static List<RealTurns.Turn> turns(RealTurns.Aligner aligner, String speaker, String name, AudioClip clip,
                                              String transcript, Set<String> dictionary, Census census, int[] pauseIndex)
            throws Exception {
        Script script = Script.parse(transcript, dictionary);
        if (script.skip != null) {
            census.skip(script.skip, name);
            return List.of();
        }
        List<String> all = new ArrayList<>();
        script.sentences.forEach(all::addAll);
        List<Word> words = aligner.align(clip, String.join(" ", all));
        if (words.size() != all.size()) {
            census.skip("forced alignment failed", name);
            return List.of();
        }
        census.taken.add(name);
        short[] s = clip.samples();
        short[] room = RealTurns.background(s, words);
        boolean held = heldOut(name);
        List<RealTurns.Turn> out = new ArrayList<>();
        int first = 0;
        for (int k = 0; k < script.sentences.size(); k++) {
            List<String> sentence = script.sentences.get(k);
            int last = first + sentence.size() - 1;
            int from = first == 0 ? 0 : (RealTurns.samples(words.get(first - 1).end()) + RealTurns.samples(words.get(first).start())) / 2;
            int to = last == words.size() - 1 ? s.length
                    : (RealTurns.samples(words.get(last).end()) + RealTurns.samples(words.get(last + 1).start())) / 2;
            String text = String.join(" ", sentence);
            if (script.unfinished.get(k)) {
                census.unfinished.add(name + ": '" + text + "'");
            } else {
                List<Integer> cuts = pauses(sentence.toArray(String[]::new), script.open.get(k));
                RealTurns.Turn t = aligner.splice(speaker, text, s, from, to, words.subList(first, last + 1), cuts, room, pauseIndex);
                out.add(t.as(script.sentences.size() == 1 ? name : name + "#" + (k + 1), held, true));
            }
            first = last + 1;
        }
        return out;
    }

    /** Where the rule pauses a turn: indices of the words the pauses follow. */
    static List<Integer> pauses(String[] words, boolean[] open) {
        List<Integer> out = new ArrayList<>();
        int previous = -MIN_WORDS_BETWEEN - 1;
        for (int i = 1; i <= words.length - 2 && out.size() < MAX_PAUSES; i++) {
            if (open[i] && i - previous > MIN_WORDS_BETWEEN && classOf(words, i) != WordClass.OTHER) {
                out.add(i);
                previous = i;
            }
        }
        return out;
    }

    /** Held out: the CRC-32 of the prompt's name is odd. */
    static boolean heldOut(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() & 1) == 1;
    }

    /** The transcript list: prompt name (path under the sounds folder, no extension) to text, in file order. */
    private static Map<String, String> prompts() throws IOException {
        if (!Files.isRegularFile(TRANSCRIPTS)) {
            throw new IllegalStateException(TRANSCRIPTS + " is missing: install the Debian package asterisk-core-sounds-en-wav");
        }
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(TRANSCRIPTS)),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int colon = line.indexOf(':');
                if (line.startsWith(";") || colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String folder = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
                if (folder.isEmpty() || folder.equals("dictate") || folder.equals("followme")) {
                    out.put(name, line.substring(colon + 1).trim());
                }
            }
        }
        return out;
    }

    private static Set<String> dictionary() throws IOException {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(DICTIONARY, StandardCharsets.UTF_8)) {
            int sp = line.indexOf(' ');
            String w = sp < 0 ? line : line.substring(0, sp);
            int alt = w.indexOf('(');
            out.add(alt < 0 ? w : w.substring(0, alt));
        }
        return out;
    }

    private static short[] raw(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        short[] s = new short[b.length / 2];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /**
     * A transcript as sentences of dictionary words, with for each word whether a pause may follow
     * it (no punctuation after it) and for each sentence whether it ends unfinished; or why not.
     */
    record Script(List<List<String>> sentences, List<boolean[]> open, List<Boolean> unfinished, String skip) {

        static Script parse(String transcript, Set<String> dictionary) {
            if (transcript.matches(".*[\\[\\]<>()].*")) {
                return skipped("a sound or a note, not only speech");
            }
            List<List<String>> sentences = new ArrayList<>();
            List<boolean[]> open = new ArrayList<>();
            List<Boolean> unfinished = new ArrayList<>();
            List<String> words = new ArrayList<>();
            List<Boolean> pauseable = new ArrayList<>();
            String[] tokens = transcript.replace("*", " star ").replace("#", " pound ").trim().split("\\s+");
            for (int t = 0; t < tokens.length; t++) {
                String tok = tokens[t].toLowerCase(Locale.ROOT).replace("\"", "");
                boolean ellipsis = tok.endsWith("...");
                String core = tok.replaceAll("^\\.+", "").replaceAll("[.,;:!?]+$", "");
                boolean end = ellipsis || tok.matches(".*[a-z0-9'][.!?]+") || t == tokens.length - 1;
                boolean punct = !core.equals(tok.replaceAll("^\\.+", ""));
                if (core.isEmpty()) {
                    // A lone "...": it closes the sentence before it, unfinished.
                    if (!words.isEmpty()) {
                        close(words, pauseable, true, sentences, open, unfinished);
                    } else if (ellipsis && t == tokens.length - 1 && !unfinished.isEmpty()) {
                        unfinished.set(unfinished.size() - 1, true);
                    }
                    continue;
                }
                String[] parts = core.split("-");
                for (int k = 0; k < parts.length; k++) {
                    String w = parts[k];
                    if (w.matches("[0-9]")) {
                        w = DIGITS.get(w.charAt(0) - '0');
                    }
                    if (!w.matches("[a-z']+")) {
                        return skipped("a token with no single reading");
                    }
                    if (!dictionary.contains(w)) {
                        return skipped("a word not in the dictionary");
                    }
                    words.add(w);
                    pauseable.add(k < parts.length - 1 || !punct);
                }
                if (end) {
                    close(words, pauseable, ellipsis, sentences, open, unfinished);
                }
            }
            return sentences.isEmpty() ? skipped("no words") : new Script(sentences, open, unfinished, null);
        }

        private static void close(List<String> words, List<Boolean> pauseable, boolean ellipsis, List<List<String>> sentences,
                                  List<boolean[]> open, List<Boolean> unfinished) {
            String[] ws = words.toArray(String[]::new);
            boolean[] o = new boolean[ws.length];
            for (int i = 0; i < o.length; i++) {
                o[i] = pauseable.get(i);
            }
            sentences.add(List.of(ws));
            open.add(o);
            unfinished.add(ellipsis || classOf(ws, ws.length - 1) != WordClass.OTHER || DIGITS.contains(ws[ws.length - 1]));
            words.clear();
            pauseable.clear();
        }

        private static Script skipped(String why) {
            return new Script(List.of(), List.of(), List.of(), why);
        }
    }
}
