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

    /** PEM private keys, whole blocks. */
    public static final Rule PRIVATE_KEY = Rule.of("private_key",
            "-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[\\s\\S]*?-----END [A-Z ]{0,20}PRIVATE KEY-----");
    /** User and password inside a URL ({@code postgres://app:s3cret@db}). */
    public static final Rule URL_CREDENTIALS = Rule.of("url_credentials", "(?<=://)[^\\s:/@]{1,64}:[^\\s@/]{1,128}(?=@)");
    /** JSON Web Tokens (three base64url parts, the first a JSON header). */
    public static final Rule JWT = Rule.of("jwt", "\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");
    /**
     * Provider API keys and tokens with recognisable shapes: OpenAI ({@code sk-proj-}, {@code
     * sk-svcacct-}, {@code sk-admin-}, legacy {@code sk-}), Anthropic ({@code sk-ant-api03-}),
     * Stripe ({@code sk_live_}, {@code rk_test_}, {@code whsec_}), AWS access key ids, Google
     * ({@code AIza}, {@code GOCSPX-}, {@code ya29.}), GitHub ({@code ghp_}, {@code github_pat_}),
     * GitLab, Slack tokens and webhooks, Hugging Face, SendGrid, npm, Twilio and bearer tokens.
     */
    public static final Rule API_KEY = Rule.of("api_key", String.join("|",
            "\\bsk-ant-[a-z]{3,8}\\d{2}-[A-Za-z0-9_-]{20,}",
            "\\bsk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}",
            "\\bsk-[A-Za-z0-9]{20,}",
            "\\b(?:sk|pk|rk)[-_](?:live|test)[-_][A-Za-z0-9]{16,}",
            "\\bwhsec_[A-Za-z0-9]{24,}",
            "\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\\b",
            "\\bAIza[0-9A-Za-z_-]{35}",
            "\\bGOCSPX-[A-Za-z0-9_-]{20,}",
            "\\bya29\\.[0-9A-Za-z_-]{20,}",
            "\\bgh[pousr]_[A-Za-z0-9]{30,}",
            "\\bgithub_pat_[A-Za-z0-9_]{22,}",
            "\\bglpat-[A-Za-z0-9_-]{20,}",
            "\\bxox[abposre]-[A-Za-z0-9-]{10,}",
            "https://hooks\\.slack\\.com/services/[A-Za-z0-9/]{20,}",
            "\\bhf_[A-Za-z0-9]{30,}",
            "\\bSG\\.[A-Za-z0-9_-]{16,}\\.[A-Za-z0-9_-]{16,}",
            "\\bnpm_[A-Za-z0-9]{36}",
            "\\bSK[0-9a-f]{32}\\b",
            "(?i:\\bbearer\\s+)[A-Za-z0-9._~+/=-]{16,}"));
    /** AWS secret access keys: 40 characters of base64 mixing upper and lower case and digits. */
    public static final Rule AWS_SECRET = new Rule("aws_secret",
            Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"), Redactor::mixedSecret);
    /** Values after words like password, passcode, secret, token, api key or pin. */
    public static final Rule SECRET = Rule.of("secret",
            "(?i)(?<=\\b(?:password|passwd|pwd|passcode|passphrase|secret|client[ _-]?secret|token|api[ _-]?key"
                    + "|access[ _-]?key|pin)(?:\\s{0,3}[:=]\\s{0,3}|\\s{1,3}is\\s{1,3}))[^\\s,;]{4,}");
    /** Email addresses. */
    public static final Rule EMAIL = Rule.of("email", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    /**
     * Email addresses as a recognizer writes them when spoken or as people disguise them: {@code
     * jane dot doe at example dot com}, {@code jane underscore doe at gmail dot com}, {@code jane
     * [at] example [dot] org}.
     */
    public static final Rule SPOKEN_EMAIL = Rule.of("email",
            "(?i)\\b[a-z0-9][a-z0-9._-]*(?:\\s+(?:dot|underscore|dash|hyphen|period)\\s+[a-z0-9._-]+)*"
                    + "\\s*(?:\\s(?:at|at sign)\\s|\\[at]|\\(at\\)|\\{at})\\s*[a-z0-9-]+"
                    + "(?:(?:\\s+dot\\s+|\\s*\\[dot]\\s*|\\s*\\(dot\\)\\s*|\\.)[a-z0-9-]+)*"
                    + "(?:\\s+dot\\s+|\\s*\\[dot]\\s*|\\s*\\(dot\\)\\s*|\\.)"
                    + "(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|ai|dev|app|me|us|ca|au|info|biz|eu|ch|at|se)\\b");
    /** International bank account numbers, checked with their mod-97 sum. */
    public static final Rule IBAN = new Rule("iban",
            Pattern.compile("\\b[A-Z]{2}\\d{2}(?:[ ]?[A-Z0-9]){11,30}\\b"), Redactor::ibanValid);
    /** Payment card numbers: 13-19 digits, optionally grouped by spaces or dashes, passing the Luhn check. */
    public static final Rule CARD = new Rule("card", Pattern.compile("\\b\\d(?:[ -]?\\d){12,18}\\b"), Redactor::luhn);
    /** US social security numbers ({@code 123-45-6789}). */
    public static final Rule SSN = new Rule("ssn", Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"),
            m -> !m.startsWith("000") && !m.startsWith("666") && !m.startsWith("9"));
    /**
     * Phone numbers: international or national forms with at least 7 digits, and 10 or 11 digit
     * numbers written without separators.
     */
    public static final Rule PHONE = new Rule("phone",
            Pattern.compile("(?<![\\w])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}(?:[ .-]?\\d{2,4}){1,4}(?![\\w])"
                    + "|(?<![\\w+])\\d{10,11}(?![\\w])"),
            Redactor::phoneLike);
    /** IPv4 addresses (personal data under GDPR). */
    public static final Rule IP_ADDRESS = Rule.of("ip_address",
            "\\b(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}\\b");

    private static final Redactor DEFAULTS = new Redactor(List.of(PRIVATE_KEY, URL_CREDENTIALS, JWT, API_KEY, AWS_SECRET,
            SECRET, EMAIL, SPOKEN_EMAIL, IBAN, CARD, SSN, IP_ADDRESS, PHONE));
    private static final Redactor NONE = new Redactor(List.of());

    private final List<Rule> rules;

    private Redactor(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Private keys, credentials in URLs, JWTs, provider API keys, AWS secrets, values after
     * password-like words, written and spoken emails, IBANs, card numbers, US SSNs, IP addresses and phone
     * numbers, in that order (IP addresses before phone numbers, which they resemble). The catalogue this is tested against lives in
     * {@code RedactionCatalogueTest}.
     */
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
        boolean bare = candidate.matches("\\d{10}|[01]\\d{10}");
        boolean shaped = bare || candidate.startsWith("+") || candidate.contains("(") || candidate.matches(".*\\d[ .-]\\d.*");
        return digits >= 7 && digits <= 15 && shaped && !ISO_DATE.matcher(candidate).matches() && !luhn(candidate);
    }

    static boolean mixedSecret(String s) {
        boolean upper = false;
        boolean lower = false;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            upper |= Character.isUpperCase(c);
            lower |= Character.isLowerCase(c);
            digits += Character.isDigit(c) || c == '/' || c == '+' ? 1 : 0;
        }
        return upper && lower && digits >= 1;
    }

    static boolean ibanValid(String candidate) {
        String s = candidate.replace(" ", "");
        if (s.length() < 15 || s.length() > 34) {
            return false;
        }
        String moved = s.substring(4) + s.substring(0, 4);
        int mod = 0;
        for (int i = 0; i < moved.length(); i++) {
            char c = moved.charAt(i);
            int v = Character.isDigit(c) ? c - '0' : Character.isUpperCase(c) ? c - 'A' + 10 : -1;
            if (v < 0) {
                return false;
            }
            mod = v >= 10 ? (mod * 100 + v) % 97 : (mod * 10 + v) % 97;
        }
        return mod == 1;
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
