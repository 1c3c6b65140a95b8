package io.parley.text.speech;

import static io.parley.text.speech.EnglishNumbers.cardinal;
import static io.parley.text.speech.EnglishNumbers.digits;
import static io.parley.text.speech.EnglishNumbers.number;
import static io.parley.text.speech.EnglishNumbers.ordinal;
import static io.parley.text.speech.EnglishNumbers.year;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * English for written numbers and symbols. The rules run in order, the specific ones first
 * (an e-mail before a URL, a phone number or a date before a plain number); their output holds
 * no digits, so a later rule never rewrites an earlier one's words. Rules span at most four
 * words and never a sentence boundary.
 */
final class EnglishNormalizer extends RuleTransform {

    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};
    private static final String MONTH_NAME = "(January|February|March|April|May|June|July|August|September|October"
            + "|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)";
    private static final String INT = "(\\d{1,3}(?:,\\d{3})+|\\d+)";
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[ .()-]+");
    private static final String TLD = "(?:com|org|net|io|dev|ai|app|co|edu|gov|info|me|uk|de|fr|eu|us|ca)";

    EnglishNormalizer(Locale locale) {
        super(rules(monthFirst(locale)), 3);
    }

    private static boolean monthFirst(Locale locale) {
        String c = locale.getCountry();
        return c.isEmpty() || c.equals("US") || c.equals("PH");
    }

    private static List<Rule> rules(boolean monthFirst) {
        List<Rule> r = new ArrayList<>();
        r.add(rule(AT | DOT_LETTER, ANYWHERE,
                "(?<![\\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+(?<!\\.)", m -> address(m.group())));
        r.add(rule(DOT_LETTER, ANYWHERE, "(?<![\\w@/.-])(?:https?://)?(?:[A-Za-z0-9-]+\\.)+" + TLD + "(?::\\d+)?"
                + "(?:/[^\\s]*[^\\s.,;:!?)\\]'\"])?(?![\\w@-])", m -> address(stripScheme(m.group()))));
        // Phone numbers: international, North American, and seven-digit local ones.
        r.add(rule(DIGIT | PLUS, startsWith("+"),
                "(?<![\\w+])\\+\\d{1,3}(?:[ .-]?\\(?\\d{1,4}\\)?){2,5}(?![\\w-])", m -> phone(m.group())));
        r.add(rule(DIGIT, digitsOr("("),
                "(?<![\\w(+-])(?:1[ .-])?(?:\\(\\d{3}\\) ?|\\d{3}[.-])\\d{3}[.-]\\d{4}(?![\\w-])",
                m -> phone(m.group())));
        r.add(rule(DIGIT | DASH, DIGITS, "(?<![\\w.-])\\d{3}-\\d{4}(?![\\w-])", m -> phone(m.group())));
        // Dates.
        r.add(rule(DIGIT | DASH, DIGITS, "(?<![\\w-])(\\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])(?![\\w-])",
                m -> monthDay(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(1))));
        r.add(rule(DIGIT | SLASH, DIGITS,
                "(?<![\\w/.])(\\d{1,2})/(\\d{1,2})/(\\d{4})(?![\\w/])", m -> slashDate(m, monthFirst)));
        r.add(rule(DIGIT | CAPITAL, startsWith("JFMASOND"),
                "(?<!\\w)" + MONTH_NAME + " (\\d{1,2})(?:st|nd|rd|th)?(?:,? (\\d{4}))?(?![\\w%$:])",
                m -> monthDay(month(m.group(1)), Integer.parseInt(m.group(2)), m.group(3))));
        r.add(rule(DIGIT | DIGIT_WORD | CAPITAL, DIGITS,
                "(?<![\\w.,])(\\d{1,2})(?:st|nd|rd|th)? (?:of )?" + MONTH_NAME + "(?:,? (\\d{4}))?(?!\\w)",
                m -> dayMonth(Integer.parseInt(m.group(1)), month(m.group(2)), m.group(3))));
        // Times.
        r.add(rule(DIGIT | COLON, DIGITS,
                "(?<![\\w:.])([01]?\\d|2[0-3]):([0-5]\\d)(?![\\w:])(?: ?([AaPp])\\.?[Mm](?:\\.(?=\\S))?(?!\\w))?",
                EnglishNormalizer::time));
        r.add(rule(DIGIT | DIGIT_WORD, DIGITS, "(?<![\\w:.$])(1[0-2]|0?[1-9]) ?([AaPp])\\.?[Mm](?:\\.(?=\\S))?(?!\\w)",
                m -> cardinal(Integer.parseInt(m.group(1))) + " " + meridiem(m.group(2))));
        // Money.
        r.add(rule(DIGIT | CURRENCY, startsWith("-$€£¥₹"),
                "(?<![\\w.])(-)?([$€£¥₹])" + INT + "(?:\\.(\\d{1,2}))?(?![\\d.,]\\d)"
                + "(?: ?(thousand|million|billion|trillion|k|K|M|bn)(?!\\w))?", EnglishNormalizer::money));
        r.add(rule(DIGIT | DIGIT_WORD | CAPITAL, DIGITS,
                "(?<![\\w.])" + INT + "(?:\\.(\\d{1,2}))? ?(USD|EUR|GBP|JPY|INR)(?!\\w)",
                EnglishNormalizer::moneyCode));
        r.add(rule(DIGIT | PERCENT, digitsOr("-"),
                "(?<![\\w.])(-)?" + INT + "(\\.\\d+)? ?%", m -> sign(m.group(1)) + number(m.group(2)
                + (m.group(3) == null ? "" : m.group(3))) + " percent"));
        r.add(rule(DIGIT | DIGIT_WORD, DIGITS,
                "(?<![\\w.])" + INT + "(\\.\\d+)? ?(" + Units.PATTERN + ")(?![\\w/°])", EnglishNormalizer::unit));
        r.add(rule(DIGIT | DIGIT_WORD, DIGITS,
                "(?<![\\w.])" + INT + "(st|nd|rd|th)(?!\\w)", m -> ordinal(EnglishNumbers.parse(m.group(1)))));
        r.add(rule(DIGIT | HASH, startsWith("#"), "(?<![\\w&])#(\\d+)(?!\\w)", m -> "number " + number(m.group(1))));
        r.add(rule(DIGIT | DASH, DIGITS, "(?<![\\w.,-])(\\d{1,4})[-–](\\d{1,4})(?![\\w.,-]\\d?)",
                m -> number(m.group(1)) + " to " + number(m.group(2))));
        r.add(rule(DIGIT, digitsOr("-−"),
                "(?<![\\w.,])(-|−)?" + INT + "(\\.\\d+)?(?![\\w]|[.,]\\d)", EnglishNormalizer::plainNumber));
        r.add(rule(AMPERSAND, startsWith("&"), "(?<=\\s|^)&(?=\\s)", m -> "and"));
        return r;
    }

    private static String sign(String minus) {
        return minus == null ? "" : "minus ";
    }

    private static String plainNumber(MatchResult m) {
        String whole = m.group(2);
        String frac = m.group(3);
        if (m.group(1) == null && frac == null && whole.length() == 4 && whole.indexOf(',') < 0) {
            int y = Integer.parseInt(whole);
            if (y >= 1100 && y <= 2099) {
                return year(y);
            }
        }
        if (m.group(1) == null && frac == null && whole.indexOf(',') < 0 && whole.length() >= 7) {
            return digits(whole);
        }
        return sign(m.group(1)) + number(whole + (frac == null ? "" : frac));
    }

    private static int month(String name) {
        String n = name.substring(0, 3);
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].startsWith(n)) {
                return i + 1;
            }
        }
        throw new IllegalStateException("not a month: " + name);
    }

    private static String monthDay(int month, int day, String year) {
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return month + " " + day;
        }
        String s = MONTHS[month - 1] + " " + ordinal(day);
        return year == null ? s : s + ", " + year(Integer.parseInt(year));
    }

    private static String dayMonth(int day, int month, String year) {
        if (day < 1 || day > 31) {
            return cardinal(day) + " " + MONTHS[month - 1];
        }
        String s = "the " + ordinal(day) + " of " + MONTHS[month - 1];
        return year == null ? s : s + ", " + year(Integer.parseInt(year));
    }

    private static String slashDate(MatchResult m, boolean monthFirst) {
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(2));
        int month = monthFirst ? a : b;
        int day = monthFirst ? b : a;
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return digits(m.group(1)) + " slash " + digits(m.group(2)) + " slash " + year(Integer.parseInt(m.group(3)));
        }
        return monthFirst ? monthDay(month, day, m.group(3)) : dayMonth(day, month, m.group(3));
    }

    private static String time(MatchResult m) {
        int h = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        String ampm = m.group(3);
        String hour = cardinal(h);
        String s;
        if (min == 0) {
            s = ampm != null || h <= 12 ? hour + (ampm != null ? "" : " o'clock") : hour + " hundred";
        } else {
            s = hour + " " + (min < 10 ? "oh " + cardinal(min) : cardinal(min));
        }
        return ampm == null ? s : s + " " + meridiem(ampm);
    }

    private static String meridiem(String letter) {
        return Character.toLowerCase(letter.charAt(0)) == 'a' ? "a m" : "p m";
    }

    private static String money(MatchResult m) {
        return amount(m.group(1) != null, m.group(3), m.group(4), m.group(5), Currency.ofSymbol(m.group(2)));
    }

    private static String moneyCode(MatchResult m) {
        return amount(false, m.group(1), m.group(2), null, Currency.ofCode(m.group(3)));
    }

    private static String amount(boolean negative, String whole, String cents, String scale, Currency c) {
        String sign = negative ? "minus " : "";
        if (scale != null) {
            String scaleWord = switch (scale) {
                case "k", "K" -> "thousand";
                case "M" -> "million";
                case "bn" -> "billion";
                default -> scale;
            };
            String n = number(whole + (cents == null ? "" : "." + cents));
            return sign + n + " " + scaleWord + " " + c.plural;
        }
        long units = EnglishNumbers.parse(whole);
        if (units < 0) {
            return sign + digits(whole) + " " + c.plural;
        }
        int minor = cents == null ? 0 : Integer.parseInt(cents.length() == 1 ? cents + "0" : cents);
        if (c.minorSingular == null) {
            String n = cents == null ? cardinal(units) : number(whole + "." + cents);
            return sign + n + " " + (units == 1 && cents == null ? c.singular : c.plural);
        }
        String major = cardinal(units) + " " + (units == 1 ? c.singular : c.plural);
        if (minor == 0) {
            return sign + major;
        }
        String minorWords = cardinal(minor) + " " + (minor == 1 ? c.minorSingular : c.minorPlural);
        return sign + (units == 0 ? minorWords : major + " and " + minorWords);
    }

    private static String unit(MatchResult m) {
        String whole = m.group(1);
        String frac = m.group(2);
        Units.Unit u = Units.of(m.group(3));
        boolean one = frac == null && whole.equals("1");
        return number(whole + (frac == null ? "" : frac)) + " " + (one ? u.singular() : u.plural());
    }

    private static String phone(String written) {
        StringBuilder sb = new StringBuilder();
        String[] groups = PHONE_SEPARATORS.split(written);
        for (String g : groups) {
            if (g.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            if (g.startsWith("+")) {
                sb.append("plus ");
            }
            sb.append(digits(g));
        }
        return sb.toString();
    }

    private static String stripScheme(String url) {
        int i = url.indexOf("://");
        return i < 0 ? url : url.substring(i + 3);
    }

    /** An e-mail address or URL said symbol by symbol: "jane dot doe at example dot com". */
    private static String address(String written) {
        StringBuilder sb = new StringBuilder(written.length() * 2);
        int i = 0;
        while (i < written.length()) {
            char c = written.charAt(i);
            String word = switch (c) {
                case '.' -> "dot";
                case '@' -> "at";
                case '/' -> "slash";
                case '-' -> "dash";
                case '_' -> "underscore";
                case '+' -> "plus";
                case ':' -> "colon";
                case '?' -> "question mark";
                case '=' -> "equals";
                case '&' -> "and";
                case '#' -> "hash";
                case '%' -> "percent";
                case '~' -> "tilde";
                default -> null;
            };
            int j = i + 1;
            if (word == null) {
                boolean digit = Character.isDigit(c);
                while (j < written.length() && Character.isLetterOrDigit(written.charAt(j))
                        && Character.isDigit(written.charAt(j)) == digit) {
                    j++;
                }
                word = digit ? digits(written.substring(i, j)) : written.substring(i, j);
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(word);
            i = j;
        }
        return sb.toString();
    }

    /** Currencies by symbol and ISO code. */
    private enum Currency {
        DOLLAR("dollar", "dollars", "cent", "cents"),
        EURO("euro", "euros", "cent", "cents"),
        POUND("pound", "pounds", "penny", "pence"),
        YEN("yen", "yen", null, null),
        RUPEE("rupee", "rupees", "paisa", "paise");

        final String singular;
        final String plural;
        final String minorSingular;
        final String minorPlural;

        Currency(String singular, String plural, String minorSingular, String minorPlural) {
            this.singular = singular;
            this.plural = plural;
            this.minorSingular = minorSingular;
            this.minorPlural = minorPlural;
        }

        static Currency ofSymbol(String s) {
            return switch (s) {
                case "€" -> EURO;
                case "£" -> POUND;
                case "¥" -> YEN;
                case "₹" -> RUPEE;
                default -> DOLLAR;
            };
        }

        static Currency ofCode(String code) {
            return switch (code) {
                case "EUR" -> EURO;
                case "GBP" -> POUND;
                case "JPY" -> YEN;
                case "INR" -> RUPEE;
                default -> DOLLAR;
            };
        }
    }
}
