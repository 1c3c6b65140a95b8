package io.parley.bench.audio;

import static io.parley.bench.audio.RecognizerTails.CHUNK;
import static io.parley.bench.audio.RecognizerTails.INTERIM;
import static io.parley.bench.audio.RecognizerTails.RATE;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.parley.bench.audio.RecognizerTails.Heard;
import io.parley.bench.audio.RecognizerTails.Result;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.spi.ExpectedAnswer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PocketSphinx called directly, with PocketSphinxStt's arguments plus the setting's; the same
 * libraries and model. Also driven chunk by chunk ({@link #begin}, {@link #feed},
 * {@link #hypothesis}, {@link #words}, {@link #end}) by {@link TurnReplay}'s recognizer.
 */
final class DirectDecoder implements RecognizerTails.Recognizer {
    interface Base extends Library {
        Pointer cmd_ln_init(Pointer inout, Pointer defn, int strict, Object... args);

        int cmd_ln_free_r(Pointer cmdln);

        void cmd_ln_set_float_r(Pointer cmdln, String name, double value);

        double cmd_ln_float_r(Pointer cmdln, String name);

        void err_set_logfp(Pointer stream);
    }

    interface Ps extends Library {
        Pointer ps_args();

        Pointer ps_init(Pointer config);

        int ps_free(Pointer ps);

        int ps_set_jsgf_string(Pointer ps, String name, String jsgf);

        int ps_set_search(Pointer ps, String name);

        String ps_get_search(Pointer ps);

        Pointer ps_get_config(Pointer ps);

        int ps_start_utt(Pointer ps);

        int ps_process_raw(Pointer ps, short[] data, NativeLong nSamples, int noSearch, int fullUtt);

        int ps_end_utt(Pointer ps);

        String ps_get_hyp(Pointer ps, IntByReference score);

        Pointer ps_seg_iter(Pointer ps);

        Pointer ps_seg_next(Pointer seg);

        String ps_seg_word(Pointer seg);

        void ps_seg_frames(Pointer seg, IntByReference startFrame, IntByReference endFrame);

        int ps_get_n_frames(Pointer ps);

        int ps_seg_prob(Pointer seg, IntByReference ascr, IntByReference lscr, IntByReference lback);
    }

    private static final Base BASE = Native.load("sphinxbase", Base.class);
    private static final Ps PS = Native.load("pocketsphinx", Ps.class);

    static {
        BASE.err_set_logfp(null);
    }

    private final Pointer decoder;
    /** The search it started with (the language model's or the grammar's). */
    private final String freeSearch;
    private final IntByReference score = new IntByReference();
    private final IntByReference sf = new IntByReference();
    private final IntByReference ef = new IntByReference();

    DirectDecoder(String grammar, List<String> extra) {
        String model = PocketSphinxStt.DEBIAN_MODEL_DIR.toString();
        List<Object> a = new ArrayList<>(List.of("-hmm", model + "/en-us", "-dict", model + "/cmudict-en-us.dict",
                "-bestpath", "no", "-remove_silence", "no"));
        if (grammar == null) {
            a.addAll(List.of("-lm", model + "/en-us.lm.bin", "-fwdflat", "no"));
        }
        a.addAll(extra);
        a.add(null);
        Pointer config = BASE.cmd_ln_init(null, PS.ps_args(), 1, a.toArray());
        if (config == null) {
            throw new IllegalArgumentException("pocketsphinx rejected " + extra);
        }
        decoder = PS.ps_init(config);
        BASE.cmd_ln_free_r(config);
        if (decoder == null) {
            throw new IllegalStateException("no decoder for " + extra);
        }
        if (grammar != null && (PS.ps_set_jsgf_string(decoder, "loop", grammar) < 0 || PS.ps_set_search(decoder, "loop") < 0)) {
            throw new IllegalStateException("grammar rejected");
        }
        freeSearch = PS.ps_get_search(decoder);
        // As PocketSphinxStt's free-form decoders: digit and date searches beside the language model's.
        if (grammar == null) {
            Pointer live = PS.ps_get_config(decoder);
            double wip = BASE.cmd_ln_float_r(live, "-wip");
            BASE.cmd_ln_set_float_r(live, "-wip", PocketSphinxStt.DIGITS_WORD_INSERTION_PENALTY);
            boolean added = PS.ps_set_jsgf_string(decoder, PocketSphinxStt.DIGITS_SEARCH, PocketSphinxStt.DIGITS_GRAMMAR) >= 0
                    && PS.ps_set_jsgf_string(decoder, PocketSphinxStt.DATES_SEARCH, PocketSphinxStt.DATES_GRAMMAR) >= 0;
            BASE.cmd_ln_set_float_r(live, "-wip", wip);
            if (!added || PS.ps_set_search(decoder, freeSearch) < 0) {
                throw new IllegalStateException("digit or date grammar rejected");
            }
        }
    }

    /** Between utterances: decodes with the search PocketSphinxStt uses for {@code kind} of expected answer. */
    void searchFor(ExpectedAnswer.Kind kind) {
        String search = switch (kind) {
            case DIGITS -> PocketSphinxStt.DIGITS_SEARCH;
            case DATE -> PocketSphinxStt.DATES_SEARCH;
            case ANY -> freeSearch;
        };
        if (PS.ps_set_search(decoder, search) < 0) {
            throw new IllegalStateException("no such search");
        }
    }

    /** Starts an utterance. */
    void begin() {
        if (PS.ps_start_utt(decoder) < 0) {
            throw new IllegalStateException("pocketsphinx could not start an utterance");
        }
    }

    /** Decodes the first {@code n} samples of {@code samples} in the open utterance. */
    void feed(short[] samples, int n) {
        NativeLong count = new NativeLong(n);
        if (PS.ps_process_raw(decoder, samples, count, 0, 0) < 0) {
            throw new IllegalStateException("pocketsphinx failed to decode audio");
        }
    }

    /** The open utterance's best hypothesis so far, as PocketSphinxStream's partial(); possibly empty. */
    String hypothesis() {
        String hyp = PS.ps_get_hyp(decoder, score);
        return hyp == null ? "" : hyp.trim();
    }

    /** Ends the open utterance. */
    void end() {
        PS.ps_end_utt(decoder);
    }

    @Override
    public List<Result> utterance(short[] audio, int from, int to, int[] extraPoints) {
        List<Result> out = new ArrayList<>();
        PS.ps_start_utt(decoder);
        short[] chunk = new short[CHUNK];
        NativeLong count = new NativeLong();
        int since = 0;
        String lastText = null;
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            System.arraycopy(audio, at, chunk, 0, n);
            count.setValue(n);
            PS.ps_process_raw(decoder, chunk, count, 0, 0);
            since += n;
            int end = at + n;
            int start = at;
            boolean asked = Arrays.stream(extraPoints).anyMatch(x -> x > start && x <= end);
            if (since >= INTERIM || asked) {
                if (since >= INTERIM) {
                    since = 0;
                }
                Result r = new Result(end, words(from));
                // As PocketSphinxStt: an interim is published only when its text changed.
                if (asked || !r.text().equals(lastText)) {
                    out.add(r);
                    lastText = r.text();
                }
            }
        }
        PS.ps_end_utt(decoder);
        return out;
    }

    /** As PocketSphinxStream.words(): the best path's words, on the turn's samples ({@code from}: where the utterance began). */
    List<Heard> words(int from) {
        List<String> texts = new ArrayList<>();
        List<int[]> frames = new ArrayList<>();
        int lastFrame = -1;
        for (Pointer seg = PS.ps_seg_iter(decoder); seg != null; seg = PS.ps_seg_next(seg)) {
            String w = PS.ps_seg_word(seg);
            PS.ps_seg_frames(seg, sf, ef);
            lastFrame = Math.max(lastFrame, ef.getValue());
            if (w == null || w.isEmpty() || w.startsWith("<") || w.startsWith("[") || w.startsWith("+") || w.startsWith("(")) {
                continue;
            }
            int paren = w.indexOf('(');
            texts.add(paren > 0 ? w.substring(0, paren) : w);
            frames.add(new int[] {sf.getValue(), ef.getValue()});
        }
        int origin = lastFrame + 1 - PS.ps_get_n_frames(decoder);
        List<Heard> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int s = from + Math.max(0, frames.get(i)[0] - origin) * (RATE / 100);
            int e = from + Math.max(0, frames.get(i)[1] + 1 - origin) * (RATE / 100);
            out.add(new Heard(texts.get(i), s, Math.max(s, e)));
        }
        return out;
    }

    /** A word of the best path with the decoder's scores for its segment ({@code ps_seg_prob}). */
    record Scored(Heard word, int ascr, int lscr, int lback, int prob) {
        int frames() {
            return Math.max(1, (word.end() - word.start()) / (RATE / 100));
        }
    }

    /** As {@link #words(int)}, with each word's segment scores. */
    List<Scored> scored(int from) {
        List<Heard> words = words(from);
        List<Scored> out = new ArrayList<>();
        IntByReference a = new IntByReference();
        IntByReference l = new IntByReference();
        IntByReference b = new IntByReference();
        int i = 0;
        for (Pointer seg = PS.ps_seg_iter(decoder); seg != null; seg = PS.ps_seg_next(seg)) {
            String w = PS.ps_seg_word(seg);
            if (w == null || w.isEmpty() || w.startsWith("<") || w.startsWith("[") || w.startsWith("+") || w.startsWith("(")) {
                continue;
            }
            int prob = PS.ps_seg_prob(seg, a, l, b);
            out.add(new Scored(words.get(i++), a.getValue(), l.getValue(), b.getValue(), prob));
        }
        return out;
    }

    @Override
    public void close() {
        PS.ps_free(decoder);
    }
}
