package io.parley.turn;

import io.parley.spi.ExpectedAnswer;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads how finished an English utterance sounds from its text alone: what its last word is,
 * whether it ends with terminal punctuation or is a question, and whether it stops part-way
 * through a run of digits, or short of the number the agent asked for. Stateless and thread-safe.
 */
final class TranscriptCues {

    /** End-of-turn probability of a transcript with no cue either way; the detector's pivot. */
    static final double NEUTRAL_PROBABILITY = 0.6;

    /** What the end of the transcript suggests, with the end-of-turn probability it implies. */
    enum Cue {
        /** Nothing recognised yet. */
        EMPTY(NEUTRAL_PROBABILITY),
        /** Ends with a conjunction ("and", "because"): more is coming. */
        TRAILING_CONJUNCTION(0.08),
        /** Ends with a filler ("um", "uh"): the speaker is thinking. */
        TRAILING_FILLER(0.05),
        /** Ends with a preposition, article or other word that needs a complement ("to", "the", "my"). */
        TRAILING_FUNCTION_WORD(0.08),
        /**
         * Ends with an auxiliary, a modal or another word that usually needs more but can close
         * an elliptical clause ("than he was", "yes I can", "thank you", "not really").
         */
        TRAILING_AUXILIARY(0.4),
        /** Ends inside a digit sequence (a phone or card number given in groups). */
        UNFINISHED_DIGITS(0.1),
        /**
         * A number was asked for and fewer of its digits have been heard: the agent's word that
         * the answer is not over, surer than any grouping [0.03: about 1.33 s at the default
         * waits, against 1.16 s for digits in groups. In pink noise at 10 dB the VAD's end of
         * speech comes early and its next onset late, and it measures a 900 ms pause at up to
         * 1.2 s].
         */
        NUMBER_UNFINISHED(0.03),
        /** Ends with a month's name: the day is still to come ("on March"). */
        UNFINISHED_DATE(0.15),
        /**
         * A date was asked for and its month has been heard without a day ("March", "March
         * the"), or its day ends in "of": the agent's word, as sure as a short count.
         */
        DATE_UNFINISHED(0.03),
        /**
         * A date was asked for and only its day has been heard ("the fifteenth"): the whole
         * answer when the month goes without saying, or the start of "the fifth of May"; and
         * in noise a date grammar can read a month as a day ("march" as "ninth"). As weak a
         * hold as an auxiliary's.
         */
        DAY_WITHOUT_MONTH(0.4),
        /** Ends with "..." or a comma, as recognisers write trailing-off speech. */
        TRAILING_OFF(0.12),
        /** No cue either way. */
        NEUTRAL(NEUTRAL_PROBABILITY),
        /** A digit sequence with the length of a complete phone or card number. */
        COMPLETE_DIGITS(0.85),
        /** A date was asked for and a month and a day, or a day named relative to today, end the transcript. */
        COMPLETE_DATE(0.85),
        /** Ends with a farewell ("bye", "goodbye"): the caller is leaving, whatever came before. */
        FAREWELL(0.85),
        /** Ends with a full stop or exclamation mark. */
        TERMINAL_PUNCTUATION(0.85),
        /**
         * Opens the way questions do and is long enough to be whole, without a question mark:
         * less sure than one, since a misheard first word ("wait" as "where") makes a statement
         * read as a question, and a quick commit then splits it at its first comma.
         */
        INTERROGATIVE_OPENING(0.78),
        /** A question mark. */
        QUESTION(0.9);

        final double probability;

        Cue(double probability) {
            this.probability = probability;
        }

        /** Whether the agent's expectation, not the words' sound, says the answer is not over. */
        boolean expectationHolds() {
            return this == NUMBER_UNFINISHED || this == DATE_UNFINISHED;
        }
    }

    private static final Set<String> CONJUNCTIONS = Set.of(
            "and", "but", "or", "so", "because", "cause", "then", "if", "that", "which", "who", "whom",
            "whose", "when", "while", "although", "though", "since", "unless", "until", "whereas", "nor",
            "plus", "also", "whether", "where");
    private static final Set<String> FILLERS = Set.of(
            "um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "mm", "ah", "eh", "like");
    private static final Set<String> FUNCTION_WORDS = Set.of(
            // prepositions
            "to", "of", "in", "on", "at", "for", "with", "from", "by", "about", "into", "onto", "over",
            "under", "between", "through", "after", "before", "during", "without", "towards", "toward",
            "than", "as", "via", "per", "around", "across", "against", "among", "upon", "within",
            // articles and determiners
            "the", "a", "an", "my", "your", "his", "her", "our", "their", "its", "this", "these",
            "those", "some", "any", "each", "every", "another", "no",
            // subjects and verbs that cannot end a clause
            "i", "we", "he", "she", "they", "i'm", "i'd", "i'll", "we're", "you're", "it's",
            "want", "need", "let's", "very", "just");
    /**
     * Words that usually need a complement but also close short clauses ("than he was", "yes I
     * can", "thank you", "one more"): a weak cue, so a turn that ends with one is not held as
     * long as one that ends with "the".
     */
    private static final Set<String> AUXILIARIES = Set.of(
            "is", "are", "was", "were", "am", "be", "been", "will", "would", "can", "could", "should",
            "shall", "must", "might", "may", "have", "has", "had", "do", "does", "did", "you", "really",
            "more", "most");
    /** Words a bare answer is made of, before a "no" that is one. */
    private static final Set<String> ANSWER_WORDS = Set.of("no", "yes", "yeah", "oh", "well", "okay", "ok", "sorry", "nope");
    private static final Set<String> FAREWELLS = Set.of("bye", "goodbye", "farewell");
    private static final Set<String> MONTHS = Set.of(
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december");
    private static final Set<String> DATE_PREPOSITIONS = Set.of("on", "in", "of", "since", "until", "from", "by", "before", "after");
    /** Words that name a day of the month: ordinals, and the cardinals people also use ("March fifteen"). */
    private static final Set<String> DAY_WORDS = Set.of(
            "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth", "thirtieth", "one", "two", "three", "four", "five", "six",
            "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen", "twenty", "thirty");
    /** Days named relative to today: a date answer on their own ("tomorrow", "next Friday"). */
    private static final Set<String> RELATIVE_DAYS = Set.of(
            "today", "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");
    /** Words that leave a date begun when they end it: "the" before an ordinal, "of" before a month, "next" before a day. */
    private static final Set<String> DATE_LINKS = Set.of("the", "of", "next", "this", "on");
    /** A day of the month in figures: "15", "15th". */
    private static final Pattern DAY_FIGURES = Pattern.compile("(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?");
    /** Words and figures of a year after the day: no day themselves, but part of the date ("nineteen eighty", "1980"). */
    private static final Set<String> YEAR_WORDS = Set.of("forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand");
    private static final Pattern YEAR_FIGURES = Pattern.compile("(?:19|20)\\d\\d");
    /** A whole date in figures: "3/15", "2026-03-15". */
    private static final Pattern DATE_FIGURES = Pattern.compile("\\d{1,4}[/.-]\\d{1,2}(?:[/.-]\\d{1,4})?");
    private static final Set<String> QUESTION_OPENERS = Set.of(
            "what", "what's", "who", "who's", "where", "where's", "when", "why", "how", "how's", "which",
            "is", "are", "was", "were", "do", "does", "did", "can", "could", "would", "will", "should",
            "shall", "may", "have", "has", "am", "isn't", "aren't", "don't", "doesn't", "didn't", "can't",
            "won't", "wouldn't", "couldn't", "shouldn't");
    private static final Set<String> DIGIT_WORDS = Set.of(
            "zero", "oh", "o", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    /**
     * Lengths of local (7) and national (10, 11 with the trunk or country code) phone numbers
     * and payment cards (15, 16): the lengths {@link ExpectedAnswer#digits()} takes as complete.
     */
    private static final ExpectedAnswer ANY_NUMBER = ExpectedAnswer.digits();
    /** The longest of them: with any number expected, fewer digits leave it unfinished. */
    private static final int MOST_DIGITS = 16;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TranscriptCues() {
    }

    /**
     * As {@link #analyse(String)}, knowing what the agent expects: with a number expected, a
     * transcript ending in fewer digits than complete it is unfinished however they were
     * grouped (three digits, six, a pause after any of them), and one ending in enough is
     * complete (see {@link ExpectedAnswer#completedBy(int)}). Digits spoken as "double five"
     * count twice.
     */
    static Cue analyse(String transcript, ExpectedAnswer expected) {
        if (expected.kind() == ExpectedAnswer.Kind.DATE) {
            Cue date = dateCue(WHITESPACE.split(transcript.strip().toLowerCase(Locale.ROOT)));
            if (date != null) {
                return date;
            }
        }
        if (expected.kind() == ExpectedAnswer.Kind.DIGITS) {
            String[] words = WHITESPACE.split(transcript.strip().toLowerCase(Locale.ROOT));
            int n = trailingDigits(words);
            if (n > 0) {
                if (expected.completedBy(n)) {
                    return Cue.COMPLETE_DIGITS;
                }
                if (n < (expected.length() == 0 ? MOST_DIGITS : expected.length())) {
                    return Cue.NUMBER_UNFINISHED;
                }
            }
        }
        return analyse(transcript);
    }

    /**
     * With a date asked for: complete when it ends with a date word and a month and a day have
     * been heard (a date in figures, or a day named relative to today, is one by itself);
     * unfinished with the month alone, or when a date begun ends in a link word ("March the",
     * "the fifth of", "next"); a weak hold when it ends with a day and no month has been heard
     * ("the fifteenth" may be all the answer, or "of May" may follow); and null, the words' own
     * cues deciding, when no date word has been heard, and when other words end it ("March
     * fifth and the sixth").
     */
    private static Cue dateCue(String[] words) {
        boolean month = false;
        boolean day = false;
        boolean whole = false;
        boolean endsInDateWord = false;
        for (String raw : words) {
            String w = clean(raw);
            endsInDateWord = true;
            if (MONTHS.contains(w)) {
                month = true;
            } else if (DAY_WORDS.contains(w) || DAY_FIGURES.matcher(w).matches()) {
                day = true;
            } else if (RELATIVE_DAYS.contains(w) || DATE_FIGURES.matcher(w).matches()) {
                whole = true;
            } else if (!YEAR_WORDS.contains(w) && !YEAR_FIGURES.matcher(w).matches()) {
                endsInDateWord = false;
            }
        }
        String last = clean(words[words.length - 1]);
        if (!month && !day && !whole) {
            // "next" and "this" begin a day named relative to today on their own.
            return last.equals("next") || last.equals("this") ? Cue.DATE_UNFINISHED : null;
        }
        if (endsInDateWord) {
            return month && day || whole ? Cue.COMPLETE_DATE : month ? Cue.DATE_UNFINISHED : Cue.DAY_WITHOUT_MONTH;
        }
        if (DATE_LINKS.contains(last)) {
            return Cue.DATE_UNFINISHED;
        }
        return month && !day && !whole ? Cue.DATE_UNFINISHED : null;
    }

    /** How many digits the transcript ends with ("double" and "triple" repeat the next one). */
    private static int trailingDigits(String[] words) {
        int digits = 0;
        for (int i = words.length - 1; i >= 0; i--) {
            String w = clean(words[i]);
            int n = digitCount(w);
            if (n > 0) {
                digits += n;
            } else if ((w.equals("double") || w.equals("triple")) && i < words.length - 1) {
                digits += w.equals("double") ? 1 : 2;
            } else {
                break;
            }
        }
        return digits;
    }

    static Cue analyse(String transcript) {
        String t = transcript.strip();
        if (t.isEmpty()) {
            return Cue.EMPTY;
        }
        char lastChar = t.charAt(t.length() - 1);
        String[] words = WHITESPACE.split(t.toLowerCase(Locale.ROOT));
        Cue digits = digitCue(words);
        if (digits != null) {
            return digits;
        }
        if (t.endsWith("...") || t.endsWith("…") || lastChar == ',' || lastChar == ';' || lastChar == ':' || lastChar == '-') {
            return Cue.TRAILING_OFF;
        }
        if (lastChar == '?') {
            return Cue.QUESTION;
        }
        String last = clean(words[words.length - 1]);
        if (FILLERS.contains(last)) {
            return Cue.TRAILING_FILLER;
        }
        if (FAREWELLS.contains(last)) {
            return Cue.FAREWELL;
        }
        if (lastChar != '.' && lastChar != '!') {
            if (CONJUNCTIONS.contains(last)) {
                return Cue.TRAILING_CONJUNCTION;
            }
            if (FUNCTION_WORDS.contains(last) && !isAnswerNo(words)) {
                return Cue.TRAILING_FUNCTION_WORD;
            }
            // "May" is a month and a modal; only a month after a preposition ("on may") is a date.
            if (MONTHS.contains(last) && (!last.equals("may") || words.length >= 2
                    && DATE_PREPOSITIONS.contains(clean(words[words.length - 2])))) {
                return Cue.UNFINISHED_DATE;
            }
            // Even after an interrogative opening: "is it as good as it was" is no more finished.
            if (AUXILIARIES.contains(last)) {
                return Cue.TRAILING_AUXILIARY;
            }
        }
        if (lastChar == '.' || lastChar == '!') {
            return Cue.TERMINAL_PUNCTUATION;
        }
        return readsAsQuestion(words) ? Cue.INTERROGATIVE_OPENING : Cue.NEUTRAL;
    }

    /**
     * A "no" that is an answer, not a determiner waiting for its noun ("there is no"): the
     * turn's only word, or after other answer words and fillers ("oh no", "no no", "uh no").
     */
    private static boolean isAnswerNo(String[] words) {
        if (!clean(words[words.length - 1]).equals("no")) {
            return false;
        }
        for (int i = 0; i < words.length - 1; i++) {
            String w = clean(words[i]);
            if (!ANSWER_WORDS.contains(w) && !FILLERS.contains(w)) {
                return false;
            }
        }
        return true;
    }

    /** Recognisers often omit the question mark; an interrogative opening over a few words is a question ("how are you"). */
    private static boolean readsAsQuestion(String[] words) {
        return words.length >= 3 && QUESTION_OPENERS.contains(clean(words[0]));
    }

    /** The transcript's last word, lower case and without punctuation; empty if there is none. */
    static String lastWord(String transcript) {
        String t = transcript.strip();
        if (t.isEmpty()) {
            return "";
        }
        int space = t.lastIndexOf(' ');
        return clean(t.substring(space + 1).toLowerCase(Locale.ROOT));
    }

    /** A cue when the transcript ends in a digit sequence spoken in groups, else null. */
    private static Cue digitCue(String[] words) {
        int digits = 0;
        int groups = 0;
        boolean inGroup = false;
        boolean trailingGroupBreak = false;
        for (int i = words.length - 1; i >= 0; i--) {
            String raw = words[i];
            String w = clean(raw);
            int n = digitCount(w);
            if (n == 0) {
                if (w.equals("double") || w.equals("triple")) {
                    continue;
                }
                break;
            }
            boolean endsGroup = raw.endsWith(",") || raw.endsWith("-") || raw.endsWith(".");
            if (i == words.length - 1 && (raw.endsWith(",") || raw.endsWith("-"))) {
                trailingGroupBreak = true;
            }
            if (!inGroup || endsGroup || n > 1) {
                groups++;
            }
            inGroup = n == 1 && !endsGroup;
            digits += n;
        }
        if (digits < 3) {
            return null;
        }
        if (ANY_NUMBER.completedBy(digits) && !trailingGroupBreak) {
            return Cue.COMPLETE_DIGITS;
        }
        // Three digits alone are an area code or the first group of a longer number more often
        // than a whole answer; four may be a PIN, a year or a time, so it is left to other cues.
        if (groups >= 2 || trailingGroupBreak || digits >= 5 || digits == 3) {
            return Cue.UNFINISHED_DIGITS;
        }
        return null;
    }

    /** Digits a token stands for: "555" is 3, "five" is 1, "555-1234" is 7, other words 0. */
    private static int digitCount(String w) {
        if (DIGIT_WORDS.contains(w)) {
            return 1;
        }
        int n = 0;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            } else if (c != '-' && c != '.' && c != ' ') {
                return 0;
            }
        }
        return n;
    }

    private static String clean(String w) {
        int start = 0;
        int end = w.length();
        while (start < end && !Character.isLetterOrDigit(w.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(w.charAt(end - 1))) {
            end--;
        }
        return w.substring(start, end);
    }
}
