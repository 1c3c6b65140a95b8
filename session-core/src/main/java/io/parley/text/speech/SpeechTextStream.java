package io.parley.text.speech;

import io.parley.text.Sentences;
import java.util.Arrays;
import java.util.List;

/**
 * One reply passing through a {@link SpeechText} chain, chunk by chunk. Feeding a reply in any
 * chunking gives the same spoken text as feeding it whole. Text is held back only while a
 * transform needs to see more of it: the last, possibly incomplete word, the words a
 * multi-word rewrite may still need, an unclosed markdown construct; never past a sentence
 * boundary.
 *
 * <p>Also maps spoken text back to the written text it came from, so what a listener heard can
 * be reported in the agent's own words. Not thread-safe: one stream per reply, used by one
 * thread at a time.
 */
public final class SpeechTextStream {

    private final Stage[] stages;

    SpeechTextStream(List<TextTransform> transforms) {
        stages = new Stage[transforms.size()];
        for (int i = 0; i < stages.length; i++) {
            stages[i] = new Stage(transforms.get(i));
        }
    }

    /**
     * Feeds the next chunk of the written reply.
     *
     * @return spoken text ready for the synthesizer now, possibly empty
     */
    public String push(CharSequence chunk) {
        if (chunk == null || chunk.length() == 0) {
            return "";
        }
        return run(chunk, false);
    }

    /** The reply is complete: rewrites and returns everything still held back. */
    public String flush() {
        return run("", true);
    }

    /**
     * How many characters of the written reply produced the first {@code spokenChars}
     * characters of spoken text released so far. Exact at segment boundaries, proportional
     * within a segment.
     */
    public int writtenLength(int spokenChars) {
        int pos = spokenChars;
        for (int i = stages.length - 1; i >= 0; i--) {
            pos = stages[i].inputFor(pos);
        }
        return pos;
    }

    private String run(CharSequence chunk, boolean flush) {
        CharSequence text = chunk;
        for (Stage s : stages) {
            text = s.feed(text, flush);
            if (text.length() == 0 && !flush) {
                return "";
            }
        }
        return text.toString();
    }

    /** One transform's pending text and the alignment of what it released. */
    private static final class Stage {
        private final TextTransform transform;
        private final int lookahead;
        private final StringBuilder pending = new StringBuilder();
        private boolean lineStart = true;
        /** Cumulative input and output lengths after each release. */
        private int[] inEnds = new int[16];
        private int[] outEnds = new int[16];
        private int releases;
        private int inTotal;
        private int outTotal;

        Stage(TextTransform transform) {
            this.transform = transform instanceof PerStream p ? p.forStream() : transform;
            this.lookahead = Math.max(0, transform.lookahead());
        }

        CharSequence feed(CharSequence chunk, boolean flush) {
            pending.append(chunk);
            int cut = flush ? pending.length() : cut();
            if (cut <= 0) {
                return "";
            }
            String segment = pending.substring(0, cut);
            pending.delete(0, cut);
            String spoken = transform.apply(segment, lineStart);
            lineStart = segment.charAt(segment.length() - 1) == '\n';
            record(cut, spoken.length());
            return spoken;
        }

        private int cut() {
            int len = pending.length();
            int cut = wordCut(pending, lookahead);
            int sentence = sentenceCut(pending, cut);
            cut = Math.max(cut, sentence);
            if (cut <= 0) {
                return 0;
            }
            int allowed = transform.releasable(pending, cut);
            return allowed >= cut ? cut : roundDown(pending, Math.max(0, Math.min(allowed, len)));
        }

        private void record(int in, int outLen) {
            if (releases == inEnds.length) {
                inEnds = Arrays.copyOf(inEnds, releases * 2);
                outEnds = Arrays.copyOf(outEnds, releases * 2);
            }
            inTotal += in;
            outTotal += outLen;
            inEnds[releases] = inTotal;
            outEnds[releases] = outTotal;
            releases++;
        }

        int inputFor(int outPos) {
            if (outPos <= 0) {
                return 0;
            }
            int prevIn = 0;
            int prevOut = 0;
            for (int i = 0; i < releases; i++) {
                if (outPos <= outEnds[i]) {
                    int span = outEnds[i] - prevOut;
                    if (span == 0) {
                        return inEnds[i];
                    }
                    return prevIn + (int) ((long) (outPos - prevOut) * (inEnds[i] - prevIn) / span);
                }
                prevIn = inEnds[i];
                prevOut = outEnds[i];
            }
            return inTotal;
        }
    }

    /**
     * The latest cut (a word start, or the end if the text ends in whitespace) with at least
     * {@code lookahead} complete words after it; 0 if there is none. The last word counts as
     * complete only when whitespace follows it.
     */
    static int wordCut(CharSequence p, int lookahead) {
        int i = p.length();
        while (i > 0 && !Character.isWhitespace(p.charAt(i - 1))) {
            i--;
        }
        int words = 0;
        while (i > 0) {
            if (words >= lookahead) {
                return i;
            }
            int j = i;
            while (j > 0 && Character.isWhitespace(p.charAt(j - 1))) {
                j--;
            }
            while (j > 0 && !Character.isWhitespace(p.charAt(j - 1))) {
                j--;
            }
            words++;
            i = j;
        }
        return 0;
    }

    /** The cut right after the last sentence boundary beyond {@code from} and its whitespace, or 0. */
    static int sentenceCut(CharSequence p, int from) {
        for (int i = p.length() - 2; i >= Math.max(0, from - 1); i--) {
            if (Sentences.boundaryAfter(p, i)) {
                int j = i + 1;
                while (j < p.length() && Character.isWhitespace(p.charAt(j))) {
                    j++;
                }
                return j;
            }
        }
        return 0;
    }

    /** The latest word start at or before {@code i}; 0 if none. */
    static int roundDown(CharSequence p, int i) {
        while (i > 0 && !(Character.isWhitespace(p.charAt(i - 1))
                && (i == p.length() || !Character.isWhitespace(p.charAt(i))))) {
            i--;
        }
        return i;
    }
}
