package io.parley.text.speech;

/**
 * English words for numbers: cardinals, ordinals, years, digit strings and decimals.
 * Hyphenates compounds ("forty-two") and omits "and" ("one hundred five"), as US style
 * guides do for speech.
 */
final class EnglishNumbers {

    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};
    private static final String[] SCALES = {"", " thousand", " million", " billion", " trillion"};

    /** Largest value {@link #cardinal} spells as a number rather than digit by digit. */
    static final long MAX = 999_999_999_999_999L;

    private EnglishNumbers() {
    }

    /** "forty-two", "one thousand two hundred five", "minus three"; beyond {@link #MAX}, digit by digit. */
    static String cardinal(long n) {
        if (n < 0) {
            return "minus " + cardinal(-n);
        }
        if (n > MAX) {
            return digits(Long.toString(n));
        }
        if (n < 1000) {
            return below1000((int) n);
        }
        StringBuilder sb = new StringBuilder();
        int scale = 0;
        String rest = "";
        while (n > 0) {
            int group = (int) (n % 1000);
            if (group != 0) {
                String words = below1000(group) + SCALES[scale];
                rest = rest.isEmpty() ? words : words + " " + rest;
            }
            n /= 1000;
            scale++;
        }
        sb.append(rest);
        return sb.toString();
    }

    private static String below1000(int n) {
        if (n < 100) {
            return below100(n);
        }
        String h = ONES[n / 100] + " hundred";
        return n % 100 == 0 ? h : h + " " + below100(n % 100);
    }

    private static String below100(int n) {
        if (n < 20) {
            return ONES[n];
        }
        return n % 10 == 0 ? TENS[n / 10] : TENS[n / 10] + "-" + ONES[n % 10];
    }

    /** "first", "twenty-second", "one hundredth". */
    static String ordinal(long n) {
        String c = cardinal(n);
        int cut = Math.max(c.lastIndexOf(' '), c.lastIndexOf('-')) + 1;
        String last = c.substring(cut);
        String head = c.substring(0, cut);
        String ord = switch (last) {
            case "one" -> "first";
            case "two" -> "second";
            case "three" -> "third";
            case "five" -> "fifth";
            case "eight" -> "eighth";
            case "nine" -> "ninth";
            case "twelve" -> "twelfth";
            default -> last.endsWith("y") ? last.substring(0, last.length() - 1) + "ieth" : last + "th";
        };
        return head + ord;
    }

    /** A year as said aloud: "nineteen ninety-nine", "two thousand five", "twenty twenty-four", "eleven hundred". */
    static String year(int y) {
        if (y >= 2000 && y < 2010) {
            return cardinal(y);
        }
        int hi = y / 100;
        int lo = y % 100;
        if (lo == 0) {
            return y % 1000 == 0 ? cardinal(y) : below100(hi) + " hundred";
        }
        return below100(hi) + " " + (lo < 10 ? "oh " + ONES[lo] : below100(lo));
    }

    /** Each digit as a word, space separated: "zero zero seven". Non-digits are skipped. */
    static String digits(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length() * 5);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(ONES[c - '0']);
            }
        }
        return sb.toString();
    }

    /**
     * A written number ("1,234", "3.14", "-2", "007"): integers as cardinals, the fraction
     * digit by digit after "point", a leading zero or more than 15 digits digit by digit.
     */
    static String number(String written) {
        String s = written.replace(",", "");
        boolean negative = s.startsWith("-") || s.startsWith("\u2212");
        if (negative) {
            s = s.substring(1);
        }
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        String out;
        if (whole.isEmpty()) {
            out = "zero";
        } else if ((whole.length() > 1 && whole.charAt(0) == '0') || whole.length() > 15) {
            out = digits(whole);
        } else {
            out = cardinal(Long.parseLong(whole));
        }
        if (dot >= 0 && dot + 1 < s.length()) {
            out += " point " + digits(s.substring(dot + 1));
        }
        return negative ? "minus " + out : out;
    }

    /** The integer value of a written whole number with optional thousands separators, or -1 if too long. */
    static long parse(String written) {
        String s = written.replace(",", "");
        if (s.isEmpty() || s.length() > 15) {
            return -1;
        }
        return Long.parseLong(s);
    }
}
