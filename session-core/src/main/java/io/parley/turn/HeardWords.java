package io.parley.turn;

import io.parley.spi.Word;
import java.time.Duration;
import java.util.List;

/**
 * Sets aside the words a recognizer decoded from silence. A decoder that must explain every
 * frame (a word loop or a small grammar especially) fits short words such as "the", "of" or
 * "and" to the room tone after the user stopped; a turn that then seems to end in "and" is held
 * open for seconds although the user has finished. The VAD heard where the speech ended, and
 * word timings tell which words began after it. Stateless.
 */
final class HeardWords {

    private HeardWords() {
    }

    /**
     * The transcript without its trailing words that {@code words} (timed from the end of
     * speech, see {@link io.parley.spi.TurnContext#words()}) show starting more than
     * {@code margin} after the speech ended; {@code transcript} itself when there are none.
     * Only words that match the transcript's last words are set aside, so timings from a
     * different result than the transcript's end change nothing.
     */
    static String withoutGhosts(String transcript, List<Word> words, Duration margin) {
        if (words.isEmpty()) {
            return transcript;
        }
        String rest = transcript.strip();
        boolean removed = false;
        for (int i = words.size() - 1; i >= 0 && !rest.isEmpty(); i--) {
            Word w = words.get(i);
            if (w.start().compareTo(margin) <= 0) {
                break;
            }
            String last = TranscriptCues.lastWord(rest);
            if (last.isEmpty() || !last.equals(TranscriptCues.lastWord(w.text()))) {
                break;
            }
            int cut = rest.length();
            while (cut > 0 && !Character.isWhitespace(rest.charAt(cut - 1))) {
                cut--;
            }
            rest = rest.substring(0, cut).strip();
            removed = true;
        }
        return removed ? rest : transcript;
    }
}
