package io.parley.providers.local.stt;

import com.sun.jna.Pointer;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Offline speech recognition with CMU PocketSphinx, called through JNA from Debian's
 * {@code libpocketsphinx3} with the {@code pocketsphinx-en-us} model.
 *
 * <p>Two modes:
 * <ul>
 *   <li><b>Free-form</b> ({@link #create()}): the generic US English language model. Expect
 *       roughly 30 % word error rate on real read speech, ~60 % on 8 kHz telephone audio and a
 *       few percent on clean synthetic speech; it runs at about 0.15 × real time.</li>
 *   <li><b>Grammar</b> ({@link Builder#grammar(String)}): a JSGF grammar restricts what can be
 *       heard. Utterances inside the grammar are recognised almost perfectly, at about
 *       0.01 × real time; anything else is forced onto the nearest sentence of the grammar.</li>
 * </ul>
 *
 * <p>In free-form mode a stream also listens for digits alone while the session expects a
 * number ({@link SttStream#expect}, with {@code ExpectedAnswer.digits()}): the language model
 * reads single digits spoken in groups poorly (on Allison's recordings of Asterisk's digits,
 * joined into phone numbers, most come out as other words), a grammar of digits reads them
 * well. Anything else said while a number is expected is forced onto digits too, so the
 * expectation should last only as long as the answer to a question that asked for one. In the
 * same way it listens for dates alone while a date is expected ({@code ExpectedAnswer.date()}):
 * the language model reads months said on their own as other words (4 of Allison's 13 dates:
 * "march" as "meir it's", "august" as "ah against"), the date grammar reads all 13; and
 * anything else said meanwhile ("I'm not sure") is forced onto date words. (A
 * {@linkplain Builder#dictionary custom dictionary} without those words gets no such search.)
 *
 * <p>Every {@link #open stream} gets its own decoder (decoders are not thread-safe) and its own
 * decoding thread, so {@link SttStream#write} only copies audio and never waits for the decoder.
 * A stream decodes one utterance until the session calls
 * {@link SttStream#finalizeUtterance()}; it reports interim hypotheses while audio arrives and
 * a final, {@code speechFinal} result with word timings for each utterance. Audio must be mono;
 * 8, 22.05, 24, 44.1 and 48 kHz are resampled to the model's 16 kHz.
 *
 * <p>If the native library or the model is missing, {@link Builder#build()} fails with
 * {@link ErrorCode#PROVIDER_UNAVAILABLE} and a message naming the Debian packages to install.
 */
public final class PocketSphinxStt implements SttProvider {

    /** Where Debian's {@code pocketsphinx-en-us} puts the US English model. */
    public static final Path DEBIAN_MODEL_DIR = Path.of("/usr/share/pocketsphinx/model/en-us");

    /** The name of the search a free-form decoder switches to while a number is expected. */
    public static final String DIGITS_SEARCH = "digits";
    /**
     * The JSGF grammar of that search: digits one by one, as phone and card numbers are read
     * ("oh" for zero). Not "double" and "triple": with a low word insertion penalty the decoder
     * used them to read one long digit as two or three.
     */
    public static final String DIGITS_GRAMMAR = "#JSGF V1.0;\ngrammar digits;\npublic <digits> = "
            + "( zero | oh | one | two | three | four | five | six | seven | eight | nine )+ ;\n";
    /** The name of the search a free-form decoder switches to while a date is expected. */
    public static final String DATES_SEARCH = "dates";
    /**
     * The JSGF grammar of that search: a loop over the parts of dates as people say them
     * (months, ordinals and cardinal days, "the" and "of", weekdays, "today", "tomorrow", the
     * words of a year), so that a month said alone, before a pause, is a whole hypothesis.
     */
    public static final String DATES_GRAMMAR = "#JSGF V1.0;\ngrammar dates;\npublic <dates> = <part>+ ;\n"
            + "<part> = <month> | [the] <ordinal> [of] | <number> | <weekday> | today | tomorrow | next | this ;\n"
            + "<month> = january | february | march | april | may | june | july | august | september | october"
            + " | november | december ;\n"
            + "<unitordinal> = first | second | third | fourth | fifth | sixth | seventh | eighth | ninth ;\n"
            + "<ordinal> = <unitordinal> | tenth | eleventh | twelfth | thirteenth | fourteenth | fifteenth | sixteenth"
            + " | seventeenth | eighteenth | nineteenth | twentieth | thirtieth | ( twenty | thirty ) <unitordinal> ;\n"
            + "<unit> = one | two | three | four | five | six | seven | eight | nine ;\n"
            + "<number> = <unit> | ten | eleven | twelve | thirteen | fourteen | fifteen | sixteen | seventeen | eighteen"
            + " | nineteen | ( twenty | thirty | forty | fifty | sixty | seventy | eighty | ninety ) [ <unit> ]"
            + " | two thousand [ and ] | hundred ;\n"
            + "<weekday> = monday | tuesday | wednesday | thursday | friday | saturday | sunday ;\n";
    /**
     * Word insertion penalty of the digit and date searches [1e-2, against the decoder's 0.65. On the
     * tuning split's 16 phone numbers of the large real-speech set (Allison's single digits
     * joined; 46 points, each pause and each end; {@code DirectDecoder} with this grammar): in
     * pink noise at 10 dB the penalty decides how many digits are lost to the noise (digits
     * short of those said at 41 points with 1e-5, 33 with 1e-4, 21 with 1e-3, 10 with 3e-3, 2
     * with 1e-2, 0 with 3e-2); in quiet, how many are added (Allison's long, falling single
     * digits read as two: "eight" as "eight two"; counts over at 10 points with 1e-5, 35 with
     * 1e-2). A count over the length asked for ends the answer ({@code ExpectedAnswer}), so
     * added digits cost a cut only where they reach it at a pause: at 0 of the 30 pauses with
     * 1e-5 and at 1 with 1e-2 and 3e-2; lost ones hold a finished answer for the long wait.
     * The date search: the large set's 13 dates from Allison's wideband recordings, month and
     * day each decoded on its own, give the month alone 13 times with 1e-2 and 12 with 1e-1
     * ("july eight"), the whole date word for word 7 and 4 times (a day read as two words,
     * "fifteen fifth"); the language model, 3 whole dates, 9 months].
     */
    public static final double DIGITS_WORD_INSERTION_PENALTY = 1e-2;

    private final SphinxLibrary library;
    private final Path acousticModel;
    private final Path dictionary;
    private final Path languageModel;
    private final String grammar;
    private final Duration interimInterval;
    private final Duration maxBacklog;
    private final String language;
    private final boolean rescore;
    private final double wordInsertionPenalty;
    private final double silenceProbability;

    private PocketSphinxStt(Builder b, SphinxLibrary library) {
        this.library = library;
        this.acousticModel = b.modelDir.resolve("en-us");
        this.dictionary = b.dictionary != null ? b.dictionary : b.modelDir.resolve("cmudict-en-us.dict");
        this.languageModel = b.grammar == null ? b.modelDir.resolve("en-us.lm.bin") : null;
        this.grammar = b.grammar;
        this.interimInterval = b.interimInterval;
        this.maxBacklog = b.maxBacklog;
        this.language = b.language;
        this.rescore = b.rescore;
        this.wordInsertionPenalty = b.wordInsertionPenalty;
        this.silenceProbability = b.silenceProbability;
    }

    /**
     * Free-form recognition with Debian's US English model.
     *
     * @throws SessionException {@link ErrorCode#PROVIDER_UNAVAILABLE} if the library or model is missing
     */
    public static PocketSphinxStt create() {
        return builder().build();
    }

    /** A builder for the Debian model in free-form mode. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return grammar == null ? "pocketsphinx" : "pocketsphinx-grammar";
    }

    /** True when this provider decodes against a JSGF grammar instead of the language model. */
    public boolean grammarMode() {
        return grammar != null;
    }

    /** The word insertion penalty its decoders use (see {@link Builder#wordInsertionPenalty(double)}). */
    public double wordInsertionPenalty() {
        return wordInsertionPenalty;
    }

    /** The probability of silence between words its decoders use (see {@link Builder#silenceProbability(double)}). */
    public double silenceProbability() {
        return silenceProbability;
    }

    /**
     * Loads a decoder (about 0.3 s with the language model) and starts its decoding thread.
     *
     * @throws SessionException {@link ErrorCode#INVALID_AUDIO} for multi-channel audio or a rate
     *                          that cannot be resampled, {@link ErrorCode#INVALID_CONFIG} if the
     *                          grammar is rejected, {@link ErrorCode#STT_ERROR} if the decoder
     *                          cannot be created
     */
    @Override
    public SttStream open(SttRequest request, SttListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        DecodingStream.checkFormat(request.format(), "PocketSphinx's en-us model");
        Pointer decoder = newDecoder();
        return new PocketSphinxStream(library, decoder, request, listener, interimInterval, maxBacklog,
                request.language().isEmpty() ? language : request.language(), rescore);
    }

    private Pointer newDecoder() {
        // Without rescoring the final is the first pass's best path, already known when the
        // utterance ends; with it, ps_end_utt re-decodes the whole utterance (flat lexicon)
        // and searches its lattice, which takes time in proportion to the utterance.
        // The front end's own voice activity detection is off: the session's VAD already gates
        // the audio, and the front end's holds frames back (a pre-speech buffer, released
        // late) and drops quiet speech it misjudges.
        String passes = rescore ? "yes" : "no";
        String wip = Double.toString(wordInsertionPenalty);
        String silprob = Double.toString(silenceProbability);
        Pointer config = languageModel != null
                ? library.base.cmd_ln_init(null, library.ps.ps_args(), 1,
                        "-hmm", acousticModel.toString(), "-lm", languageModel.toString(),
                        "-dict", dictionary.toString(), "-fwdflat", passes, "-bestpath", passes,
                        "-remove_silence", "no", "-wip", wip, "-silprob", silprob, null)
                : library.base.cmd_ln_init(null, library.ps.ps_args(), 1,
                        "-hmm", acousticModel.toString(), "-dict", dictionary.toString(),
                        "-bestpath", passes, "-remove_silence", "no", "-wip", wip, "-silprob", silprob, null);
        if (config == null) {
            throw new SessionException(ErrorCode.STT_ERROR, "pocketsphinx rejected its configuration for model "
                    + acousticModel, null, false);
        }
        Pointer decoder = library.ps.ps_init(config);
        // ps_init keeps its own reference to the configuration.
        library.base.cmd_ln_free_r(config);
        if (decoder == null) {
            throw new SessionException(ErrorCode.STT_ERROR, "pocketsphinx could not create a decoder from "
                    + acousticModel + " (is the model complete? reinstall " + SphinxLibrary.PACKAGES + ")", null, false);
        }
        if (grammar == null) {
            // The digit and date searches are added beside the language model's, which stays the
            // current one. A dictionary without a grammar's words has no such search: expecting
            // that answer then changes nothing in what is heard (the turn detector still reads
            // the answer's words). A search reads its insertion penalty from the configuration
            // when it is made, so these get their own and the language model's stays as it was.
            String lm = library.ps.ps_get_search(decoder);
            Pointer live = library.ps.ps_get_config(decoder);
            library.base.cmd_ln_set_float_r(live, "-wip", DIGITS_WORD_INSERTION_PENALTY);
            boolean added = lm != null && library.ps.ps_set_jsgf_string(decoder, DIGITS_SEARCH, DIGITS_GRAMMAR) >= 0;
            added |= lm != null && library.ps.ps_set_jsgf_string(decoder, DATES_SEARCH, DATES_GRAMMAR) >= 0;
            library.base.cmd_ln_set_float_r(live, "-wip", wordInsertionPenalty);
            if (added && library.ps.ps_set_search(decoder, lm) < 0) {
                library.ps.ps_free(decoder);
                throw new SessionException(ErrorCode.STT_ERROR, "pocketsphinx could not return to its language model"
                        + " after adding the digit and date grammars", null, false);
            }
        } else {
            if (library.ps.ps_set_jsgf_string(decoder, "grammar", grammar) < 0
                    || library.ps.ps_set_search(decoder, "grammar") < 0) {
                library.ps.ps_free(decoder);
                throw new SessionException(ErrorCode.INVALID_CONFIG, "pocketsphinx rejected the JSGF grammar: check its"
                        + " syntax, that it has a public rule, and that every word is in " + dictionary);
            }
        }
        return decoder;
    }

    @Override
    public String toString() {
        return "PocketSphinxStt[" + (grammar == null ? "lm=" + languageModel : "grammar") + ", hmm=" + acousticModel + "]";
    }

    /** Configuration for {@link PocketSphinxStt}. */
    public static final class Builder {
        private Path modelDir = DEBIAN_MODEL_DIR;
        private Path dictionary;
        private String grammar;
        private Duration interimInterval = Duration.ofMillis(300);
        private Duration maxBacklog = Duration.ofSeconds(30);
        private String language = "en-US";
        private boolean rescore = false;
        private double wordInsertionPenalty = 0.65;
        private double silenceProbability = 0.005;
        private String sphinxbaseLibrary = "sphinxbase";
        private String pocketsphinxLibrary = "pocketsphinx";

        private Builder() {
        }

        /**
         * Directory laid out like Debian's model: {@code en-us/} (acoustic model),
         * {@code en-us.lm.bin} and {@code cmudict-en-us.dict}. Default {@link #DEBIAN_MODEL_DIR}.
         */
        public Builder modelDir(Path dir) {
            this.modelDir = requireArg(dir, "dir");
            return this;
        }

        /** Pronunciation dictionary to use instead of the model directory's. */
        public Builder dictionary(Path file) {
            this.dictionary = requireArg(file, "file");
            return this;
        }

        /** Switches to grammar mode with this JSGF grammar text (it needs a public rule). */
        public Builder grammar(String jsgf) {
            requireArg(jsgf, "jsgf");
            if (jsgf.isBlank()) {
                throw new IllegalArgumentException("grammar must not be blank");
            }
            this.grammar = jsgf;
            return this;
        }

        /** Switches to grammar mode with the JSGF grammar in {@code file} (UTF-8). */
        public Builder grammarFile(Path file) {
            requireArg(file, "file");
            try {
                return grammar(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read JSGF grammar " + file + ": " + e.getMessage(), e);
            }
        }

        /** How much audio passes between interim hypotheses [300 ms]; zero disables them. */
        public Builder interimInterval(Duration interval) {
            requireArg(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("interimInterval must not be negative, was " + interval);
            }
            this.interimInterval = interval;
            return this;
        }

        /**
         * How much undecoded audio a stream may hold before it reports that the decoder cannot
         * keep up [30 s]; the stream then fails instead of dropping audio.
         */
        public Builder maxBacklog(Duration backlog) {
            requireArg(backlog, "backlog");
            if (backlog.compareTo(Duration.ofSeconds(1)) < 0 || backlog.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("maxBacklog must be within 1 s..10 min, was " + backlog);
            }
            this.maxBacklog = backlog;
            return this;
        }

        /**
         * Whether the final result is rescored when the utterance ends [false]. With it,
         * PocketSphinx re-decodes the finished utterance with a flat lexicon and searches its
         * word lattice inside {@code ps_end_utt}: CPU time in proportion to the utterance, spent
         * after the session has ended the turn (a median 325 ms of decoder CPU on the
         * pocketsphinx-testdata recordings, against 0-75 ms without; see the benchmarks'
         * {@code FinalizeLatency}), for no gain in word error rate on those real recordings
         * (39 % either way) and a gain on clean synthetic speech only (FreeTTS sentences: 5 %
         * instead of 11 %). Without it the final is the first pass's best path, already known
         * when the last audio is decoded, so it follows the end of the turn at once. Turn it on
         * where the final text matters more than the reply's latency.
         */
        public Builder rescore(boolean rescore) {
            this.rescore = rescore;
            return this;
        }

        /**
         * PocketSphinx's word insertion penalty ({@code -wip}), the probability the decoder charges
         * for each word it adds to a hypothesis [0.65, PocketSphinx's own]: lower values make it
         * prefer fewer words. Meant, with {@link #silenceProbability(double)}, for a grammar that
         * lets any of its words follow any other (a word loop, a vocabulary for open answers),
         * where nothing else stops the decoder from explaining noise, breaths and the ends of
         * words with extra short words ("a", "of", "how").
         *
         * <p>What it does on Parley's turn set (the benchmarks' {@code RecognizerTails}, tuning
         * split, a loop over the set's words), at 0.01 with a silence probability of 0.1: the word
         * error rate falls from 94 % to 47 % in pink noise at 10 dB and from 100 % to 60 % in quiet,
         * and finished turns whose results end in an inserted short word from 4 of 10 to 1 of 10 in
         * noise (2 of 10 in quiet either way); on the held-out split, measured once, the error
         * rate fell as much (93 % to 58 %, 102 % to 53 %) but the inserted endings in noise did not
         * (4 of 8 either way; 3 to 0 in quiet). And it drops real short words: the "and" or
         * "of" before a mid-turn pause, which a turn detector needs to hold the turn, is heard
         * less often (3 of 13 pauses instead of 4 in noise), and through a session (TurnEval
         * {@code default vocab wip trace noise}) the adaptive detector cut 2 of 13 tuning pauses and
         * 1 of 7 held-out ones instead of 1 and 0, with a slower median. So it is for where the
         * words matter more than the turn-taking. Leave it for grammars of fixed sentences and for
         * free-form recognition: there the grammar or the language model already weighs words,
         * and a low penalty makes the decoder drop words (eSpeak's "what time is it" in a small
         * command grammar came out as "what time" at 0.01).
         *
         * @throws IllegalArgumentException unless {@code 0 < penalty <= 1}
         */
        public Builder wordInsertionPenalty(double penalty) {
            if (!(penalty > 0 && penalty <= 1)) {
                throw new IllegalArgumentException("wordInsertionPenalty must be within (0, 1], was " + penalty);
            }
            this.wordInsertionPenalty = penalty;
            return this;
        }

        /**
         * PocketSphinx's probability of silence between words ({@code -silprob}) [0.005,
         * PocketSphinx's own]: higher values let the decoder explain pauses and the noise around
         * words as silence rather than stretch a word over them. With a low
         * {@link #wordInsertionPenalty(double)} of 0.01, 0.1 brought the quiet turns with an
         * inserted ending back from 3 to 2 of 10 and took the word error rate from 51 % to 47 % in
         * noise (see there).
         *
         * @throws IllegalArgumentException unless {@code 0 < probability <= 1}
         */
        public Builder silenceProbability(double probability) {
            if (!(probability > 0 && probability <= 1)) {
                throw new IllegalArgumentException("silenceProbability must be within (0, 1], was " + probability);
            }
            this.silenceProbability = probability;
            return this;
        }

        /** BCP-47 tag reported on transcripts when the request names none ["en-US"]. */
        public Builder language(String tag) {
            this.language = requireArg(tag, "tag");
            return this;
        }

        /** JNA library names; only tests that simulate a missing library change them. */
        Builder nativeLibraries(String sphinxbase, String pocketsphinx) {
            this.sphinxbaseLibrary = sphinxbase;
            this.pocketsphinxLibrary = pocketsphinx;
            return this;
        }

        /**
         * Checks that the native library loads and the model files exist.
         *
         * @throws SessionException {@link ErrorCode#PROVIDER_UNAVAILABLE} naming the Debian
         *                          packages to install when either is missing
         */
        public PocketSphinxStt build() {
            SphinxLibrary library = "sphinxbase".equals(sphinxbaseLibrary) && "pocketsphinx".equals(pocketsphinxLibrary)
                    ? SphinxLibrary.get()
                    : SphinxLibrary.load(sphinxbaseLibrary, pocketsphinxLibrary);
            requireModelFile(modelDir.resolve("en-us").resolve("mdef"), "acoustic model");
            requireModelFile(dictionary != null ? dictionary : modelDir.resolve("cmudict-en-us.dict"), "dictionary");
            if (grammar == null) {
                requireModelFile(modelDir.resolve("en-us.lm.bin"), "language model");
            }
            return new PocketSphinxStt(this, library);
        }

        private static void requireModelFile(Path file, String what) {
            if (!Files.isReadable(file)) {
                throw new SessionException(ErrorCode.PROVIDER_UNAVAILABLE, "PocketSphinx " + what + " not found at " + file
                        + "; on Debian or Ubuntu install it with: apt-get install " + SphinxLibrary.PACKAGES
                        + " (or point modelDir at a copy of the en-us model)", null, false);
            }
        }
    }

    private static <T> T requireArg(T v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return v;
    }
}
