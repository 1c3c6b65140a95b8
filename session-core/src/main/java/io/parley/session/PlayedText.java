package io.parley.session;

import io.parley.spi.WordTiming;
import java.time.Duration;
import java.util.List;

/**
 * Works out which part of an interrupted reply the user actually heard.
 */
final class PlayedText {

    private PlayedText() {
    }

    /**
     * With word timings, the words whose audio ended by {@code played}. Without them, the share
     * of the text sent to the synthesizer that matches the share of its audio played, cut back
     * to a word boundary: an estimate, since speech rate varies within a reply.
     *
     * @param text        the full reply text
     * @param pushedChars how much of it was sent to the synthesizer
     * @param timings     word timings from the synthesizer, possibly empty
     * @param played      audio played
     * @param synthesized audio synthesized
     */
    static String cut(String text, int pushedChars, List<WordTiming> timings, Duration played, Duration synthesized) {
        if (played.isZero() || played.isNegative()) {
            return "";
        }
        if (!timings.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (WordTiming t : timings) {
                if (t.end().compareTo(played) > 0) {
                    break;
                }
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(t.word());
            }
            return sb.toString();
        }
        if (synthesized.isZero() || synthesized.isNegative()) {
            return "";
        }
        String sent = text.substring(0, Math.min(pushedChars, text.length()));
        double share = Math.min(1.0, played.toNanos() / (double) synthesized.toNanos());
        int end = (int) Math.floor(sent.length() * share);
        if (end >= sent.length()) {
            return sent.trim();
        }
        // Only whole words count as heard.
        while (end > 0 && !Character.isWhitespace(sent.charAt(end))) {
            end--;
        }
        return sent.substring(0, end).trim();
    }

    /** The written words behind the spoken words {@code heard}: transcripts keep the agent's own words. */
    static String written(Speech s, String heard) {
        if (s.spokenForm == null || heard.isEmpty()) {
            return heard;
        }
        int at = s.text.indexOf(heard);
        int spokenEnd = at < 0 ? heard.length() : at + heard.length();
        String written = s.written.toString();
        int end = Math.min(written.length(), s.spokenForm.writtenLength(spokenEnd));
        // Only whole words count as heard.
        while (end > 0 && end < written.length() && !Character.isWhitespace(written.charAt(end))) {
            end--;
        }
        return written.substring(0, end).trim();
    }
}
