package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.LevelMeter;
import io.parley.audio.Wav;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Word;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * User turns made of real human recordings with mid-turn pauses spliced in where the turn is
 * plainly unfinished, for {@link TurnEval}.
 *
 * <p>Speakers: the LibriVox reader and the card-name talker of Debian's
 * {@code pocketsphinx-testdata}, and Allison, the voice of Asterisk's prompts, by default from
 * {@code asterisk-core-sounds-en-g722} (16 kHz) and on request from the 8 kHz telephone copy of
 * the same takes (see {@link Band}). Each source is force-aligned with PocketSphinx
 * in grammar mode (a one-sentence JSGF grammar), which gives word boundaries; a pause is then
 * spliced into the gap after the word marked {@code |} in the scripts below (after a
 * conjunction, article or preposition, inside a digit group, inside a date). Asterisk's digits
 * and month names are joined into phone numbers and dates, each piece a real recording. The
 * pause and the lead-in are filled with the recording's own background (its quietest stretch,
 * made into a steady room tone, see {@link #tile}), so a pause sounds like the room and not like
 * digital silence. Pauses cycle through
 * 300, 450, 600, 750 and 900 ms. Turns alternate between the tuning and the held-out split
 * within each speaker.
 */
final class RealTurns {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final Path PS = Path.of("/usr/share/pocketsphinx/test/data");
    static final Path ASTERISK = Path.of("/usr/share/asterisk/sounds/en");
    /** Month names and ordinals 1-20 in the order of Asterisk's {@code digits/mon-N} and {@code digits/h-N} recordings. */
    static final List<String> MONTH_NAMES = List.of("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december");
    static final List<String> ORDINALS = List.of("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
            "nineteenth", "twentieth");
    /** The Asterisk prompts {@link #load()} takes turns from, which {@link LargeTurns} leaves to it. */
    static final java.util.Set<String> ASTERISK_PROMPTS = java.util.Set.of("agent-pass", "check-number-dial-again", "conf-onlyone",
            "auth-thankyou", "at-tone-time-exactly", "conf-placeintoconf", "cannot-complete-as-dialed");
    private static final int[] PAUSES_MS = {300, 450, 600, 750, 900};

    /**
     * One user turn: audio, where its pauses are (and after which word of {@code text}, counted
     * from 0, and how long the spliced silence is), where its speech ends; {@code prompt} names
     * the recording, {@code added} marks a turn of {@link LargeTurns} beyond this class's own.
     */
    record Turn(String speaker, String prompt, String text, short[] audio, int[] pauseStart, int[] pauseEnd, int[] pauseAfterWord,
                int[] pauseMs, int speechEnd, boolean heldOut, boolean added) {

        /** This turn from {@code prompt}, in the held-out split or not, added by the large set or not. */
        Turn as(String prompt, boolean heldOut, boolean added) {
            return new Turn(speaker, prompt, text, audio, pauseStart, pauseEnd, pauseAfterWord, pauseMs, speechEnd, heldOut, added);
        }
    }

    /**
     * Which of Debian's copies of Allison's prompts the set is made of. They are the same takes:
     * {@link #WIDE} is the G.722 copy (16 kHz, what a browser or app microphone gives and what
     * PocketSphinx's en-us model was trained on); {@link #TELEPHONE} is the 8 kHz copy, resampled
     * to 16 kHz, which lacks everything above 4 kHz the model's features expect [free-form, the
     * words of RealTurns' tuning turns ({@code RecognizerTails lm:base quiet [telephone]}): 46.6 %
     * word errors wideband, 67.9 % from the telephone copy; {@code pocketsphinx_continuous} with
     * its defaults on every fourth prompt of Asterisk's transcript list (30 prompts, 219 words):
     * 42.5 % and 94.1 %].
     */
    enum Band {
        WIDE("asterisk-core-sounds-en-g722", ".g722"),
        TELEPHONE("asterisk-core-sounds-en-wav", ".wav");

        private final String debianPackage;
        private final String extension;

        Band(String debianPackage, String extension) {
            this.debianPackage = debianPackage;
            this.extension = extension;
        }

        /**
         * The band a tool's options ask for, {@link #WIDE} unless they hold {@code telephone}
         * (which is taken out of them); every tool that builds the set takes the option.
         */
        static Band of(List<String> opts) {
            return opts.remove("telephone") ? TELEPHONE : WIDE;
        }

        /** Where the prompt {@code name} (e.g. {@code digits/5}) of this band lies. */
        Path path(String name) {
            return ASTERISK.resolve(name + extension);
        }

        /** The prompt {@code name} at 16 kHz. */
        AudioClip read(String name) throws IOException {
            Path p = path(name);
            if (!Files.isRegularFile(p)) {
                throw new IllegalStateException(p + " is missing: install the Debian package " + debianPackage + " (bin/setup-deps)");
            }
            return this == WIDE ? G722.read(p) : Wav.read(p).resample(FORMAT.sampleRate());
        }
    }

    private RealTurns() {
    }

    /** Every turn, grouped by speaker in speaking order, Allison's from {@code band}. */
    static List<List<Turn>> load(Band band) throws Exception {
        requireDir(PS, "pocketsphinx-testdata");
        Aligner aligner = new Aligner(false, band);
        List<List<Turn>> out = new ArrayList<>();
        int[] pauseIndex = {0};

        List<Turn> libri = new ArrayList<>();
        String lib = "librivox/sense_and_sensibility_01_austen_64kb-";
        libri.add(aligner.turn("librivox", ps(lib + "0870.wav"),
                "and mister john dashwood had then leisure to | consider how much there might be prudently in his | power to do for them", pauseIndex));
        libri.add(aligner.turn("librivox", ps(lib + "0880.wav"), "he was not an | ill disposed young man", pauseIndex));
        libri.add(aligner.turn("librivox", ps(lib + "0890.wav"),
                "unless to be rather cold hearted and | rather selfish is to | be ill disposed", pauseIndex));
        libri.add(aligner.turn("librivox", ps(lib + "0920.wav"),
                "had he married a | more a amiable woman he might have been made still more respectable than | he was", pauseIndex));
        libri.add(aligner.turn("librivox", ps(lib + "0930.wav"), "he might even have | been made amiable himself", pauseIndex));
        out.add(split(libri));

        List<Turn> cards = new ArrayList<>();
        cards.add(aligner.turn("cards", ps("cards/005.wav"), "eight of | spades four of | clubs seven of | hearts", pauseIndex));
        cards.add(aligner.turn("cards", ps("cards/001.wav"), "ten of clubs", pauseIndex));
        cards.add(aligner.turn("cards", ps("cards/002.wav"), "four queen of | clubs", pauseIndex));
        cards.add(aligner.turn("cards", ps("cards/003.wav"), "seven of clubs", pauseIndex));
        cards.add(aligner.turn("cards", ps("cards/004.wav"), "five five", pauseIndex));
        out.add(split(cards));

        List<Turn> allison = new ArrayList<>();
        allison.add(aligner.turn("allison", band.read("agent-pass"), "please enter your password followed by the | pound key", pauseIndex));
        allison.add(aligner.digits("allison", "four one five | five five five | one two three four", pauseIndex));
        allison.add(aligner.turn("allison", band.read("check-number-dial-again"), "please check the number and | dial again", pauseIndex));
        allison.add(aligner.digits("allison", "march | fifteenth", pauseIndex));
        allison.add(aligner.turn("allison", band.read("conf-onlyone"), "there is currently one other participant in | the conference", pauseIndex));
        allison.add(aligner.turn("allison", band.read("auth-thankyou"), "thank you", pauseIndex));
        allison.add(aligner.turn("allison", band.read("at-tone-time-exactly"), "at the sound of the | tone the time will be exactly", pauseIndex));
        allison.add(aligner.digits("allison", "seven seven | two nine", pauseIndex));
        allison.add(aligner.turn("allison", band.read("conf-placeintoconf"), "you will now be placed into | the conference", pauseIndex));
        allison.add(aligner.turn("allison", band.read("cannot-complete-as-dialed"), "your call cannot be completed as | dialed", pauseIndex));
        out.add(split(allison));
        return out;
    }

    private static List<Turn> split(List<Turn> aligned) {
        List<Turn> turns = aligned.stream().filter(java.util.Objects::nonNull).toList();
        List<Turn> out = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            out.add(t.as(t.prompt, i % 2 == 1, false));
        }
        return out;
    }

    private static AudioClip ps(String name) throws IOException {
        return Wav.read(PS.resolve(name)).resample(FORMAT.sampleRate());
    }

    private static void requireDir(Path p, String pkg) {
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException(p + " is missing: install the Debian package " + pkg + " (bin/setup-deps)");
        }
    }

    /**
     * Forced alignment with PocketSphinx in grammar mode, and the splicing.
     *
     * <p>{@link #load()}'s aligner takes PocketSphinxStt's final as it is by default: the first
     * pass's best path when the audio is decoded, before the utterance is ended. That path need
     * not have reached the end of the grammar, and since PocketSphinxStt stopped rescoring by
     * default (b2904b4) it stops one word short on two recordings ("... followed by the pound
     * key", "at the sound of the tone ..."), which are left out: the set has been 18 turns, 20
     * pauses, since then, and is kept so, to keep its numbers comparable. {@link LargeTurns}
     * aligns {@code thorough}ly: the same acoustic model, dictionary and grammar, decoded with
     * beams wide enough that the forced path is not pruned ({@code -beam 1e-80 -wbeam 1e-60
     * -pbeam 1e-80}) and read from the ended utterance. With PocketSphinx's default beams the
     * search lost the path on about a quarter of the Asterisk prompts, one-word ones among them
     * ("extension", "seconds"), and returned nothing.
     */
    static final class Aligner {
        private static final List<String> WIDE_BEAMS = List.of("-beam", "1e-80", "-wbeam", "1e-60", "-pbeam", "1e-80");
        private final boolean thorough;
        private final Band band;

        Aligner(boolean thorough, Band band) {
            this.thorough = thorough;
            this.band = band;
        }

        Turn turn(String speaker, AudioClip clip, String script, int[] pauseIndex) throws Exception {
            String text = script.replace("|", " ").replaceAll("\\s+", " ").trim();
            List<Word> words = align(clip, text);
            String[] tokens = script.split("\\s+");
            List<Integer> cutAfter = new ArrayList<>();
            int w = 0;
            for (String tok : tokens) {
                if (tok.equals("|")) {
                    cutAfter.add(w - 1);
                } else {
                    w++;
                }
            }
            if (words.size() != w) {
                // The grammar forces the words; a recording it cannot fit is left out, and said so.
                System.out.println("left out (forced alignment failed): " + speaker + " '" + text + "'");
                return null;
            }
            short[] s = clip.samples();
            return splice(speaker, text, s, 0, s.length, words, cutAfter, background(s, words), pauseIndex);
        }

        /**
         * The turn made of {@code s[segmentFrom, segmentTo)} saying {@code words} (times from the start of
         * {@code s}), a pause spliced after each word of {@code cutAfter} (indices into
         * {@code words}), led in by a second and followed by three seconds of {@code room}.
         */
        Turn splice(String speaker, String text, short[] s, int segmentFrom, int segmentTo, List<Word> words, List<Integer> cutAfter,
                    short[] room, int[] pauseIndex) {
            List<short[]> parts = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            List<Integer> ends = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            int lead = FORMAT.sampleRate();
            parts.add(tile(room, lead));
            int pos = lead;
            int from = segmentFrom;
            for (int k : cutAfter) {
                int a = samples(words.get(k).end());
                int b = samples(words.get(k + 1).start());
                int cut = Math.min(segmentTo, Math.max(a, (a + b) / 2));
                parts.add(java.util.Arrays.copyOfRange(s, from, cut));
                pos += cut - from;
                lengths.add(PAUSES_MS[pauseIndex[0] % PAUSES_MS.length]);
                int pause = PAUSES_MS[pauseIndex[0]++ % PAUSES_MS.length] * FORMAT.sampleRate() / 1000;
                starts.add(pos - (cut - a));
                parts.add(tile(room, pause));
                pos += pause;
                ends.add(pos + Math.max(0, b - cut));
                from = cut;
            }
            int lastEnd = samples(words.get(words.size() - 1).end());
            parts.add(java.util.Arrays.copyOfRange(s, from, segmentTo));
            int speechEnd = pos + (lastEnd - from);
            pos += segmentTo - from;
            int tail = 3 * FORMAT.sampleRate();
            parts.add(tile(room, tail));
            return new Turn(speaker, text, text, concat(parts, pos + tail), toArray(starts), toArray(ends), toArray(cutAfter),
                    toArray(lengths), speechEnd, false, false);
        }

        /** Asterisk's single-word recordings joined into a digit string or date, a pause at each {@code |}. */
        Turn digits(String speaker, String script, int[] pauseIndex) throws Exception {
            List<short[]> parts = new ArrayList<>();
            List<Integer> starts = new ArrayList<>();
            List<Integer> ends = new ArrayList<>();
            List<Integer> after = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            int spoken = 0;
            short[] room = null;
            int lead = FORMAT.sampleRate();
            int pos = lead;
            StringBuilder text = new StringBuilder();
            for (String tok : script.split("\\s+")) {
                if (tok.equals("|")) {
                    lengths.add(PAUSES_MS[pauseIndex[0] % PAUSES_MS.length]);
                    int pause = PAUSES_MS[pauseIndex[0]++ % PAUSES_MS.length] * FORMAT.sampleRate() / 1000;
                    starts.add(pos);
                    parts.add(new short[pause]);
                    pos += pause;
                    ends.add(pos);
                    after.add(spoken - 1);
                    continue;
                }
                short[] recording = band.read("digits/" + digitFile(tok)).samples();
                short[] w = trimmed(recording);
                if (room == null) {
                    room = quietestShort(recording);
                }
                parts.add(w);
                pos += w.length;
                text.append(text.length() == 0 ? "" : " ").append(tok);
                spoken++;
            }
            int speechEnd = pos;
            int tail = 3 * FORMAT.sampleRate();
            // Fill the silences with the room sound now that it is known.
            for (int i = 0; i < parts.size(); i++) {
                if (isZeros(parts.get(i))) {
                    parts.set(i, tile(room, parts.get(i).length));
                }
            }
            parts.add(0, tile(room, lead));
            parts.add(tile(room, tail));
            return new Turn(speaker, text.toString(), text.toString(), concat(parts, pos + tail), toArray(starts), toArray(ends),
                    toArray(after), toArray(lengths), speechEnd, false, false);
        }

        private static String digitFile(String word) {
            int month = MONTH_NAMES.indexOf(word);
            if (month >= 0) {
                return "mon-" + month;
            }
            int nth = ORDINALS.indexOf(word);
            if (nth >= 0) {
                return "h-" + (nth + 1);
            }
            return switch (word) {
                case "zero" -> "0";
                case "one" -> "1";
                case "two" -> "2";
                case "three" -> "3";
                case "four" -> "4";
                case "five" -> "5";
                case "six" -> "6";
                case "seven" -> "7";
                case "eight" -> "8";
                case "nine" -> "9";
                case "twenty" -> "20";
                case "thirtieth" -> "h-30";
                default -> throw new IllegalArgumentException("no asterisk recording for " + word);
            };
        }

        /** Word boundaries of {@code clip} saying exactly {@code text}. */
        List<Word> align(AudioClip clip, String text) throws Exception {
            String jsgf = "#JSGF V1.0;\ngrammar align;\npublic <s> = " + text + " ;\n";
            if (thorough) {
                DirectDecoder d = new DirectDecoder(jsgf, WIDE_BEAMS);
                try {
                    d.begin();
                    d.feed(clip.samples(), clip.samples().length);
                    d.end();
                    List<Word> out = new ArrayList<>();
                    for (RecognizerTails.Heard h : d.words(0)) {
                        out.add(new Word(h.text(), Duration.ofNanos(h.start() * 1_000_000_000L / FORMAT.sampleRate()),
                                Duration.ofNanos(h.end() * 1_000_000_000L / FORMAT.sampleRate()), Double.NaN, -1));
                    }
                    return out;
                } finally {
                    d.close();
                }
            }
            PocketSphinxStt stt = PocketSphinxStt.builder().grammar(jsgf).interimInterval(Duration.ZERO).build();
            LinkedBlockingQueue<Object> finals = new LinkedBlockingQueue<>();
            SttStream s = stt.open(new SttRequest("align", FORMAT, Duration.ZERO, ""), new SttListener() {
                @Override
                public void onTranscript(Transcript t) {
                    if (t.speechFinal()) {
                        finals.add(t);
                    }
                }

                @Override
                public void onError(SessionException error) {
                    finals.add(error);
                }
            });
            try {
                AudioFrame f = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(20));
                for (int i = 0; i < clip.frameCount(20); i++) {
                    s.write(clip.frame(i, 20, f));
                }
                s.finalizeUtterance();
                Object r = finals.poll(60, TimeUnit.SECONDS);
                if (r instanceof SessionException e) {
                    throw e;
                }
                if (r == null) {
                    throw new IllegalStateException("no alignment for '" + text + "'");
                }
                return ((Transcript) r).words();
            } finally {
                s.close();
            }
        }
    }

    static int samples(Duration d) {
        return (int) (d.toNanos() * FORMAT.sampleRate() / 1_000_000_000L);
    }

    /**
     * The recording's room sound: the quietest 100 ms before its first word, or, when less than
     * that comes before it or that stretch is 10 dB louder than the recording's quietest 20 ms
     * stretches, those stretches ({@link #quietestShort}). Not the whole lead-in: that
     * may hold a breath or the first word's onset, which {@link #tile} would turn into a steady
     * rhythm of syllables. Nor 100 ms of a recording that starts at once: many of Asterisk's
     * prompts have only some 20-80 ms of room (at about -95 dBFS) before and after their words,
     * so the quietest 100 ms lay inside a word (pbx-transfer's, at -44 dBFS), and three seconds of
     * tiled speech followed the turn, which the VAD rightly heard as speech: 8 of the large set's
     * 178 held-out turns were never answered for it.
     */
    static short[] background(short[] s, List<Word> words) {
        int first = samples(words.get(0).start()) - FORMAT.sampleRate() / 50;
        short[] room = quietestShort(s);
        if (first < FORMAT.sampleRate() / 10) {
            return room;
        }
        short[] lead = quietest(java.util.Arrays.copyOfRange(s, 0, first), FORMAT.sampleRate() / 10);
        // A lead-in 10 dB louder than the recording's quietest stretches holds the first word (its
        // alignment starts late) or a breath, not the room.
        return LevelMeter.rmsDbfs(lead, 0, lead.length) <= LevelMeter.rmsDbfs(room, 0, room.length) + 10 ? lead : room;
    }

    /**
     * The room of a recording with next to none around its words: its 20 ms stretches within
     * 6 dB of the quietest, joined (the bits of room before and after the words), so that
     * {@link #tile} has more than one grain to draw from (one 20 ms grain, repeated every 10 ms,
     * would be a 100 Hz buzz).
     */
    static short[] quietestShort(short[] s) {
        int len = Math.min(s.length, FORMAT.sampleRate() / 50);
        int n = s.length / len;
        double[] energy = new double[n];
        double least = Double.MAX_VALUE;
        for (int w = 0; w < n; w++) {
            for (int j = w * len; j < (w + 1) * len; j++) {
                energy[w] += (double) s[j] * s[j];
            }
            least = Math.min(least, energy[w]);
        }
        short[] out = new short[n * len];
        int at = 0;
        for (int w = 0; w < n; w++) {
            if (energy[w] <= 4 * least) {
                System.arraycopy(s, w * len, out, at, len);
                at += len;
            }
        }
        return java.util.Arrays.copyOf(out, at);
    }

    private static short[] quietest(short[] s, int window) {
        int len = Math.min(s.length, window);
        double best = Double.MAX_VALUE;
        int at = 0;
        for (int i = 0; i + len <= s.length; i += len / 2) {
            double e = 0;
            for (int j = i; j < i + len; j++) {
                e += (double) s[j] * s[j];
            }
            if (e < best) {
                best = e;
                at = i;
            }
        }
        return java.util.Arrays.copyOfRange(s, at, at + len);
    }

    /**
     * {@code n} samples of room tone made from {@code room}: 40 ms grains drawn at random from it,
     * sine-windowed and overlap-added at half a grain (which keeps the power of uncorrelated
     * grains). Repeating the stretch itself, as this once did, gave a level that rose and fell
     * every two stretch lengths, 10-15 dB deep: a rhythm the VAD took for syllables, so some
     * turns never ended in the evaluation. The seed is fixed, so every run hears the same sound.
     */
    private static short[] tile(short[] room, int n) {
        short[] out = new short[n];
        if (room.length == 0) {
            return out;
        }
        int grain = Math.min(room.length, FORMAT.samplesFor(40));
        int hop = Math.max(1, grain / 2);
        float[] acc = new float[n];
        java.util.SplittableRandom random = new java.util.SplittableRandom(31L * n + room.length);
        for (int at = -hop; at < n; at += hop) {
            int from = random.nextInt(room.length - grain + 1);
            for (int k = Math.max(0, -at); k < grain && at + k < n; k++) {
                acc[at + k] += (float) (Math.sin(Math.PI * (k + 0.5) / grain) * room[from + k]);
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(acc[i])));
        }
        return out;
    }

    private static short[] trimmed(short[] s) {
        int peak = 0;
        for (short v : s) {
            peak = Math.max(peak, Math.abs((int) v));
        }
        int threshold = Math.max(64, peak / 30);
        int a = 0;
        int b = s.length;
        while (a < b && Math.abs((int) s[a]) < threshold) {
            a++;
        }
        while (b > a && Math.abs((int) s[b - 1]) < threshold) {
            b--;
        }
        return java.util.Arrays.copyOfRange(s, Math.max(0, a - 160), Math.min(s.length, b + 160));
    }

    private static boolean isZeros(short[] s) {
        for (short v : s) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    private static short[] concat(List<short[]> parts, int total) {
        short[] out = new short[total];
        int o = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static int[] toArray(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).toArray();
    }
}
