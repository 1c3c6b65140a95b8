package io.parley.recording.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces sensitive data in text before it is stored: by default API keys and secrets, email
 * addresses, payment card numbers (checked with the Luhn sum, so order numbers survive) and
 * phone numbers. Each match becomes {@code [REDACTED:<rule>]}. Rules run in order, so more
 * specific ones come first. Immutable and thread-safe.
 *
 * <p>Only text is redacted: what was said aloud stays in the audio. Record without audio (or
 * without a recording consent) when spoken secrets must not be kept.
 */
public final class Redactor {

    /**
     * A named pattern.
     *
     * @param name    what it finds, used in the replacement and the audit
     * @param pattern what to find
     * @param accept  extra check of a match (e.g. Luhn), true to redact it
     */
    public record Rule(String name, Pattern pattern, Predicate<String> accept) {
        public Rule {
            if (name == null || !name.matches("[a-z0-9_]{1,40}")) {
                throw new IllegalArgumentException("rule name must be 1-40 of a-z, 0-9, _, was '" + name + "'");
            }
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(accept, "accept");
        }

        /** A rule redacting every match of a regular expression. */
        public static Rule of(String name, String regex) {
            return new Rule(name, Pattern.compile(regex), m -> true);
        }
    }

    /**
     * The redacted text and how many matches each rule replaced.
     *
     * @param text   the text with matches replaced
     * @param counts rule name to number of matches, only rules that matched, in rule order
     */
    public record Result(String text, Map<String, Integer> counts) {
        public Result {
            counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }

        /** Whether anything was replaced. */
        public boolean changed() {
            return !counts.isEmpty();
        }
    }

    /** Provider API keys and tokens with recognisable shapes. */
    public static final Rule API_KEY = Rule.of("api_key",
            "\\b(?:sk|pk|rk)[-_](?:live|test|proj)?[-_]?[A-Za-z0-9]{16,}\\b|\\bAKIA[0-9A-Z]{16}\\b"
                    + "|\\bgh[pousr]_[A-Za-z0-9]{30,}\\b|\\bxox[abpr]-[A-Za-z0-9-]{10,}\\b|\\bAIza[0-9A-Za-z_-]{35}\\b"
                    + "|(?i:\\bbearer\\s+)[A-Za-z0-9._~+/=-]{16,}");
    /** Values after words like password, secret, token or api key. */
    public static final Rule SECRET = Rule.of("secret",
            "(?i)(?<=\\b(?:password|passwd|pwd|secret|token|api[ _-]?key|pin)(?:\\s{0,3}[:=]\\s{0,3}|\\s{1,3}is\\s{1,3}))"
                    + "[^\\s,;]{4,}");
    /** Email addresses. */
    public static final Rule EMAIL = Rule.of("email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    /** Payment card numbers: 13-19 digits, optionally grouped by spaces or dashes, passing the Luhn check. */
    public static final Rule CARD = new Rule("card", Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b"), Redactor::luhn);
    /** Phone numbers: international or national forms with at least 7 digits. */
    public static final Rule PHONE = new Rule("phone",
            Pattern.compile("(?<![\\w])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]?\\d{2,4}){1,4}(?![\\w])"),
            Redactor::phoneLike);

    private static final Redactor DEFAULTS = new Redactor(List.of(API_KEY, SECRET, EMAIL, CARD, PHONE));
    private static final Redactor NONE = new Redactor(List.of());

    private final List<Rule> rules;

    private Redactor(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** API keys, secrets, emails, card numbers and phone numbers. */
    public static Redactor defaults() {
        return DEFAULTS;
    }

    /** Redacts nothing. */
    public static Redactor none() {
        return NONE;
    }

    /** A redactor with exactly these rules, applied in order. */
    public static Redactor of(List<Rule> rules) {
        return new Redactor(rules);
    }

    /** This redactor plus one more rule, applied first (custom patterns are usually the most specific). */
    public Redactor with(Rule rule) {
        List<Rule> all = new ArrayList<>();
        all.add(Objects.requireNonNull(rule, "rule"));
        all.addAll(rules);
        return new Redactor(all);
    }

    /** The rules, in the order they run. */
    public List<Rule> rules() {
        return rules;
    }

    /** Redacts {@code text}; null stays null with no counts. */
    public Result redact(String text) {
        if (text == null || rules.isEmpty()) {
            return new Result(text, Map.of());
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        String out = text;
        for (Rule r : rules) {
            Matcher m = r.pattern().matcher(out);
            StringBuilder sb = null;
            int n = 0;
            while (m.find()) {
                if (!r.accept().test(m.group())) {
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder(out.length());
                }
                m.appendReplacement(sb, Matcher.quoteReplacement("[REDACTED:" + r.name() + "]"));
                n++;
            }
            if (sb != null) {
                m.appendTail(sb);
                out = sb.toString();
                counts.put(r.name(), n);
            }
        }
        return new Result(out, counts);
    }

    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    static boolean phoneLike(String candidate) {
        int digits = candidate.replaceAll("\\D", "").length();
        boolean shaped = candidate.startsWith("+") || candidate.contains("(") || candidate.matches(".*\\d[ .-]\\d.*");
        return digits >= 7 && digits <= 15 && shaped && !ISO_DATE.matcher(candidate).matches() && !luhn(candidate);
    }

    static boolean luhn(String candidate) {
        String digits = candidate.replaceAll("\\D", "");
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}
