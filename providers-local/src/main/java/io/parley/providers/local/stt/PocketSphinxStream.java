package io.parley.providers.local.stt;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.SttListener;
import io.parley.spi.SttRequest;
import io.parley.spi.Transcript;
import io.parley.spi.Word;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One PocketSphinx decoder, driven by its {@link DecodingStream} thread. While the session
 * expects a number it decodes with the digit search ({@link PocketSphinxStt#DIGITS_SEARCH}), and
 * while it expects a date with the date search ({@link PocketSphinxStt#DATES_SEARCH}), when the
 * decoder has one: from the next utterance, or at once if the current one has heard nothing
 * yet (the room tone while the agent asked), so no word is lost to the switch.
 */
final class PocketSphinxStream extends DecodingStream {

    private static final long FRAME_NANOS = 10_000_000L;

    private final SphinxLibrary lib;
    private final String language;
    private final IntByReference score = new IntByReference();
    private final IntByReference startFrame = new IntByReference();
    private final IntByReference endFrame = new IntByReference();
    /** Reused for every chunk: no allocation per 20 ms. */
    private final NativeLong count = new NativeLong();
    /** Whether {@code ps_end_utt} rescores the utterance (its final is then only known after it). */
    private final boolean rescore;
    private Pointer decoder;
    private long utteranceStart;
    /** The search the decoder started with: the language model's, or the builder's grammar. */
    private final String freeSearch;
    /** The search decoding now; decoding thread only. */
    private String search;
    /** The search the session's expectation asks for; written on the event loop. */
    private volatile String wantedSearch;
    /** The open utterance has heard words, so a switch waits for the next one; decoding thread only. */
    private boolean switchDeferred;

    PocketSphinxStream(SphinxLibrary lib, Pointer decoder, SttRequest request, SttListener listener,
                       Duration interimInterval, Duration maxBacklog, String language, boolean rescore) {
        super("parley-pocketsphinx-" + request.sessionId(), request.format(), listener, interimInterval, maxBacklog);
        this.lib = lib;
        this.rescore = rescore;
        this.decoder = decoder;
        this.language = language;
        this.freeSearch = lib.ps.ps_get_search(decoder);
        this.search = freeSearch;
        this.wantedSearch = freeSearch;
        start();
    }

    @Override
    public void expect(ExpectedAnswer answer) {
        Objects.requireNonNull(answer, "answer");
        wantedSearch = switch (answer.kind()) {
            case DIGITS -> PocketSphinxStt.DIGITS_SEARCH;
            case DATE -> PocketSphinxStt.DATES_SEARCH;
            case ANY -> freeSearch;
        };
    }

    @Override
    void beginUtterance(long streamOffset) {
        switchDeferred = false;
        useWantedSearch();
        if (lib.ps.ps_start_utt(decoder) < 0) {
            throw new SessionException(ErrorCode.STT_ERROR, "pocketsphinx could not start an utterance");
        }
        utteranceStart = streamOffset;
    }

    @Override
    void process(short[] samples, int n) {
        if (!switchDeferred && !wantedSearch.equals(search)) {
            if (partial().isEmpty()) {
                // Nothing heard yet in this utterance: restart it in the wanted search from here.
                long at = decodedSamples();
                if (lib.ps.ps_end_utt(decoder) < 0) {
                    throw new SessionException(ErrorCode.STT_ERROR, "pocketsphinx could not end an utterance to change its search");
                }
                beginUtterance(at);
            } else {
                // Words already heard: no need to ask the decoder again before the next utterance.
                switchDeferred = true;
            }
        }
        count.setValue(n);
        if (lib.ps.ps_process_raw(decoder, samples, count, 0, 0) < 0) {
            throw new SessionException(ErrorCode.STT_ERROR, "pocketsphinx failed to decode audio");
        }
    }

    /**
     * Between utterances: switches to the wanted search. A search the decoder does not have (no
     * such grammar: a custom dictionary without its words, or a grammar-mode decoder) leaves
     * the current one, and the wish is not repeated until the expectation changes.
     */
    private void useWantedSearch() {
        String wanted = wantedSearch;
        if (!wanted.equals(search)) {
            if (lib.ps.ps_set_search(decoder, wanted) >= 0) {
                search = wanted;
            } else if (!wanted.equals(freeSearch)) {
                // Only a wish the stream cannot meet is dropped; a newer expectation overwrites it.
                wantedSearch = search;
            }
        }
    }

    @Override
    String partial() {
        String hyp = lib.ps.ps_get_hyp(decoder, score);
        return hyp == null ? "" : hyp.trim();
    }

    /**
     * With the best path's word segments, so the turn detector can tell words heard in the
     * speech from words the decoder fitted to the silence after it; interims come every few
     * hundred milliseconds of audio, so segmenting them costs little.
     */
    @Override
    Transcript interim(String hyp) {
        return new Transcript(hyp, false, false, Double.NaN, words(), language);
    }

    @Override
    Transcript endUtterance() {
        if (lib.ps.ps_end_utt(decoder) < 0) {
            throw new SessionException(ErrorCode.STT_ERROR, "pocketsphinx could not end the utterance");
        }
        return new Transcript(partial(), true, true, Double.NaN, words(), language);
    }

    /**
     * Without rescoring the final is the first pass's best path, complete once the last frame is
     * decoded: it is taken then, and {@code ps_end_utt}, which still costs tens of milliseconds
     * of CPU (up to ~200 ms on long utterances, see the benchmarks' {@code FinalizeLatency}),
     * runs after it has been delivered.
     */
    @Override
    Transcript finalBeforeEnd() {
        return rescore ? null : new Transcript(partial(), true, true, Double.NaN, words(), language);
    }

    /**
     * Word segments of the best path, without silences, fillers and pronunciation variants, on
     * the stream's timeline. The decoder numbers the frames of a grammar search on from earlier
     * utterances, losing a few at each boundary, while {@code ps_get_n_frames} counts the
     * utterance's own: the best path ends at the utterance's latest frame, which places its
     * numbering on the utterance's audio.
     *
     * <p>Words carry no confidence (NaN), so the turn detector trusts their cues in full.
     * PocketSphinx gives a word's posterior only from a lattice: without one {@code ps_seg_prob}
     * returns 0 for every word, and {@code ps_get_lattice} in the middle of an utterance of this
     * first-pass search crashed the JVM (SIGSEGV in sphinxbase's {@code ngram_ng_score}). What it
     * does give per word does not tell the words a turn detector should doubt from those it
     * should trust [the benchmarks' {@code TailScores large lm --stride 3}: the function words
     * that misread finished turns' ends against the real ones before mid-turn pauses, AUC in quiet
     * and in pink noise at 10 dB (0.5: no separation): acoustic score per frame 0.48 and 0.60,
     * language-model score 0.57 and 0.48, duration 0.29 and 0.57, interims in a row ending with
     * the word 0.36 and 0.38. Where the acoustic score marks half the misread endings, it marks
     * 55 % (quiet) and 35 % (noise) of the real unfinished words too].
     */
    private List<Word> words() {
        List<String> texts = new ArrayList<>();
        List<int[]> frames = new ArrayList<>();
        int lastFrame = -1;
        for (Pointer seg = lib.ps.ps_seg_iter(decoder); seg != null; seg = lib.ps.ps_seg_next(seg)) {
            String w = lib.ps.ps_seg_word(seg);
            lib.ps.ps_seg_frames(seg, startFrame, endFrame);
            lastFrame = Math.max(lastFrame, endFrame.getValue());
            if (w == null || w.isEmpty() || w.startsWith("<") || w.startsWith("[") || w.startsWith("+") || w.startsWith("(")) {
                continue;
            }
            int paren = w.indexOf('(');
            texts.add(paren > 0 ? w.substring(0, paren) : w);
            frames.add(new int[] {startFrame.getValue(), endFrame.getValue()});
        }
        long origin = lastFrame + 1L - lib.ps.ps_get_n_frames(decoder);
        long baseNanos = utteranceStart * 1_000_000_000L / DECODER_RATE;
        List<Word> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            long start = baseNanos + Math.max(0, frames.get(i)[0] - origin) * FRAME_NANOS;
            long end = baseNanos + Math.max(0, frames.get(i)[1] + 1 - origin) * FRAME_NANOS;
            out.add(new Word(texts.get(i), Duration.ofNanos(start), Duration.ofNanos(Math.max(start, end)), Double.NaN, -1));
        }
        return out;
    }

    @Override
    void release() {
        if (decoder != null) {
            if (inUtterance()) {
                lib.ps.ps_end_utt(decoder);
            }
            lib.ps.ps_free(decoder);
            decoder = null;
        }
    }
}
