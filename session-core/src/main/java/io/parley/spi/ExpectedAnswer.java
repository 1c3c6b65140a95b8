package io.parley.spi;

/**
 * What the agent expects the user to say next, when it has asked for something with a known
 * shape: a phone, card or account number, a PIN, a date. Set through
 * {@code VoiceSession.expect(ExpectedAnswer)}; the session hands it to the turn detector (in
 * {@link TurnContext#expected()}) and to the recognizer ({@link SttStream#expect(ExpectedAnswer)}).
 *
 * <p>Why it matters: people read numbers in groups, with pauses of half a second and more
 * between them, and each group ends the way a finished sentence does. Without knowing that a
 * number is due, a turn detector cannot tell the pause after "four one five" from the end of a
 * turn unless the recognizer heard every digit, and a free-form recognizer often does not.
 * Knowing it, the detector holds the turn until the number is complete, and a recognizer that
 * can narrow its vocabulary (a grammar, a numbers model) hears the digits right. Dates are
 * read the same way ("March | fifteenth"), and a month said alone sounds as finished as a
 * one-word answer.
 *
 * <p>Immutable.
 *
 * @param kind   what kind of answer is expected
 * @param length for {@link Kind#DIGITS}, how many digits make the answer complete, or 0 for any
 *               of the usual lengths of phone and card numbers (7, 10, 11, 15 or 16); 0 for the
 *               other kinds
 */
public record ExpectedAnswer(Kind kind, int length) {

    /** Kinds of expected answer. */
    public enum Kind {
        /** Nothing in particular: free speech. */
        ANY,
        /** A number read out digit by digit, possibly in groups. */
        DIGITS,
        /**
         * A day of the year: a month and a day, in either order ("March fifteenth", "the fifth
         * of May", "3/15"), or a day named relative to today ("tomorrow", "next Friday").
         */
        DATE
    }

    /** Nothing in particular: the default, and what the session goes back to after each answered turn. */
    public static final ExpectedAnswer ANY = new ExpectedAnswer(Kind.ANY, 0);

    private static final ExpectedAnswer ANY_NUMBER = new ExpectedAnswer(Kind.DIGITS, 0);
    private static final ExpectedAnswer A_DATE = new ExpectedAnswer(Kind.DATE, 0);

    /** Most digits a {@link #digits(int)} answer may have. */
    public static final int MAX_DIGITS = 32;

    /**
     * @throws IllegalArgumentException if {@code kind} is null, or {@code length} is outside
     *                                  0..{@value #MAX_DIGITS}, or not 0 for {@link Kind#ANY}
     *                                  and {@link Kind#DATE}
     */
    public ExpectedAnswer {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (length < 0 || length > MAX_DIGITS || kind != Kind.DIGITS && length != 0) {
            throw new IllegalArgumentException("length must be within 0.." + MAX_DIGITS + " (0 for " + kind + "), was "
                    + length);
        }
    }

    /**
     * A phone or card number of any usual length (7, 10, 11, 15 or 16 digits), read digit by
     * digit. Prefer {@link #digits(int)} when the length is known: a recognizer that reads one
     * digit as two can make the six digits before a pause look like a seven-digit number.
     */
    public static ExpectedAnswer digits() {
        return ANY_NUMBER;
    }

    /**
     * Exactly {@code count} digits (a PIN, an account number).
     *
     * @throws IllegalArgumentException unless {@code count} is within 1..{@value #MAX_DIGITS}
     */
    public static ExpectedAnswer digits(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        return new ExpectedAnswer(Kind.DIGITS, count);
    }

    /**
     * A date ({@link Kind#DATE}): the answer is complete once both a month and a day have been
     * heard, or a day named relative to today; a month alone leaves it unfinished, however
     * final it sounded. A year said after the day is not waited for (a pause between
     * "March fifteenth" and "nineteen eighty" may end the turn there): an agent that needs the
     * year, for a date of birth, asks for it in a question of its own.
     */
    public static ExpectedAnswer date() {
        return A_DATE;
    }

    /**
     * Whether {@code n} digits complete this answer: one of the usual lengths, or at least the
     * length asked for (more is a recognizer that read a digit twice, or a user who said more
     * than asked: either way the answer is over, and the agent can ask again). Always false for
     * the other kinds.
     */
    public boolean completedBy(int n) {
        if (kind != Kind.DIGITS) {
            return false;
        }
        return length == 0 ? n == 7 || n == 10 || n == 11 || n == 15 || n == 16 : n >= length;
    }
}
