package io.parley.session;

/**
 * The words of a {@link UserTurn}'s open turn: its final results, the latest interim, and at
 * the front the words of earlier turns carried back into it (a barge-in before their answer
 * was heard), which stay until the turn commits. Loop-confined, like its turn.
 */
final class TurnWords {

    private final StringBuilder finals = new StringBuilder();
    /** The front of {@link #finals}: an unanswered turn's words, carried back; kept until the turn commits. */
    private String carried = "";
    private String interim = "";
    /** How far into the recognizer's audio the turn's own results reach, -1 if unknown. */
    private long reachNanos = -1;

    /** A new turn starts with the carried words only. */
    void open() {
        finals.setLength(0);
        finals.append(carried);
        interim = "";
        reachNanos = -1;
    }

    /** Forgets the turn's own words (noise, a backchannel); carried words stay. */
    void dropOwn() {
        open();
    }

    /** Forgets everything, carried words too (the turn was committed, or the session restarts). */
    void clear() {
        finals.setLength(0);
        carried = "";
        interim = "";
        reachNanos = -1;
    }

    /** A result of the turn reaches {@code audioEndNanos} into the recognizer's audio (-1: it does not say). */
    void reached(long audioEndNanos) {
        reachNanos = Math.max(reachNanos, audioEndNanos);
    }

    /** How far into the recognizer's audio the turn's results reach, -1 if unknown. */
    long reachNanos() {
        return reachNanos;
    }

    /** The recognizer's stream was replaced: the new one's timeline starts again, where the turn's results reach nothing yet. */
    void newTimeline() {
        reachNanos = -1;
    }

    void addFinal(String text) {
        append(finals, text);
        interim = "";
    }

    void interim(String text) {
        interim = text;
    }

    /** Forgets the interim if the final result {@code fin} revises its words (it heard the same audio). */
    void dropInterimRevisedBy(String fin) {
        if (!interim.isBlank() && revises(fin, interim)) {
            interim = "";
        }
    }

    /** The turn's text: its finals, then the latest interim. */
    String text() {
        if (interim.isEmpty()) {
            return finals.toString().trim();
        }
        return (finals.length() == 0 ? interim : finals + " " + interim).trim();
    }

    String finals() {
        return finals.toString();
    }

    String interim() {
        return interim;
    }

    boolean hasCarried() {
        return !carried.isEmpty();
    }

    /** Length of the carried words at the front of {@link #finals()}. */
    int carriedLength() {
        return Math.min(carried.length(), finals.length());
    }

    /**
     * Carries an unanswered turn's words into this turn: before all of its text, or
     * ({@code newest}) after the words carried into it before, which are older.
     */
    void carry(String words, boolean newest) {
        String rest = finals.substring(carriedLength());
        StringBuilder c = new StringBuilder(newest ? carried : words.trim());
        append(c, newest ? words : carried);
        carried = c.toString();
        finals.setLength(0);
        finals.append(carried);
        append(finals, rest);
    }

    /**
     * The words of a late final transcript past those of the text its turn was answered with
     * (the same audio, so the same number of words, plus whatever the user said next).
     */
    static String beyond(String answered, String fin) {
        int done = tokens(answered == null ? "" : answered).length;
        String[] all = tokens(fin);
        if (all.length <= done) {
            return "";
        }
        return String.join(" ", java.util.Arrays.copyOfRange(all, done, all.length));
    }

    /**
     * Whether {@code later} revises the words of {@code earlier} (an interim result going on
     * from it, or the final that ends it) rather than being other speech: {@code earlier} says
     * nothing, or both start with the same word, or more than half of {@code earlier}'s words
     * are among {@code later}'s (case and punctuation ignored).
     */
    static boolean revises(String later, String earlier) {
        String[] e = TextSimilarity.words(earlier);
        if (e.length == 0) {
            return true;
        }
        String[] l = TextSimilarity.words(later);
        if (l.length == 0) {
            return false;
        }
        return e[0].equals(l[0]) || TextSimilarity.shared(e, l) * 2 > e.length;
    }

    private static String[] tokens(String text) {
        String t = text.trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }

    /** Appends {@code text}, trimmed, after a space if {@code sb} is not empty. */
    static void append(StringBuilder sb, String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(t);
    }
}
