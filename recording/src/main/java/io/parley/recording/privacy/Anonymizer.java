package io.parley.recording.privacy;

import io.parley.recording.LoadReport;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingMetadata;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes an anonymized copy of a recording for sharing (QA, training, bug reports): people's
 * names and ids, the session id and the recording's name become pseudonyms, and every piece of
 * personal data a {@link Redactor} rule finds in any text becomes a token such as {@code
 * [email-3f9a1c]}. Replacements are consistent: the same value gets the same pseudonym
 * throughout the recording and in every other export made with the same secret, so who said
 * what and which messages mention the same card stay visible, while the values are not. The
 * pseudonyms are keyed HMAC-SHA256 values; without the secret they cannot be reversed or
 * confirmed by guessing. The audio is left out: a voice identifies its speaker. The agent keeps
 * its name (it is not a person). Thread-safe.
 *
 * <pre>{@code
 * Recording shared = Anonymizer.withSecret(secret).anonymize(store.load("support-call-7"));
 * RecordingExporter.create().export(shared, ExportFormat.JSON, dir);
 * }</pre>
 */
public final class Anonymizer {

    private final byte[] secret;
    private final Redactor redactor;

    private Anonymizer(byte[] secret, Redactor redactor) {
        this.secret = secret;
        this.redactor = redactor;
    }

    /**
     * An anonymizer keyed with {@code secret} (at least 16 bytes; keep it to get the same
     * pseudonyms next time) that replaces what {@link Redactor#defaults()} finds.
     */
    public static Anonymizer withSecret(byte[] secret) {
        if (secret == null || secret.length < 16) {
            throw new IllegalArgumentException("anonymization secret must be at least 16 bytes");
        }
        return new Anonymizer(secret.clone(), Redactor.defaults());
    }

    /** This anonymizer finding personal data with {@code rules} instead. */
    public Anonymizer withRedactor(Redactor rules) {
        return new Anonymizer(secret, Objects.requireNonNull(rules, "rules"));
    }

    /** The pseudonym of {@code value} as a {@code kind}, e.g. {@code user-5be2c1d0}. */
    public String pseudonym(String kind, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] h = mac.doFinal((kind + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
            return kind + "-" + HexFormat.of().formatHex(h, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** An anonymized copy of {@code r} (in memory; the stored recording is not changed). */
    public Recording anonymize(Recording r) {
        RecordingMetadata m = r.metadata();
        Map<String, String> people = new LinkedHashMap<>();
        people.put(m.userName(), pseudonym("user", m.userId()));
        for (RecordingEvent e : r.events()) {
            if (isPerson(e, m)) {
                people.putIfAbsent(e.author(), pseudonym("user", e.authorId()));
            }
        }
        Map<Pattern, String> names = namePatterns(people);
        List<RecordingEvent> events = new ArrayList<>();
        for (RecordingEvent e : r.events()) {
            boolean person = isPerson(e, m);
            RecordingEvent out = new RecordingEvent(e.seq(), e.timestamp(),
                    person ? people.get(e.author()) : e.author(),
                    person ? pseudonym("user", e.authorId()) : e.authorId(),
                    text(e.content(), names), e.type(), e.model(),
                    e.attachments() == null ? null : e.attachments().stream().map(a -> text(a, names)).toList(),
                    e.turnId(), e.speechId(), e.isFinal(), e.interrupted(), text(e.intendedContent(), names),
                    e.confidence(), e.latenciesMs(), text(e.code(), names));
            events.add(out);
        }
        RecordingMetadata anon = new RecordingMetadata("anon-" + pseudonym("rec", m.name()).substring(4),
                m.sessionId() == null ? null : pseudonym("session", m.sessionId()), pseudonym("user", m.userId()),
                people.get(m.userName()), m.agentId(), m.agentName(), m.model(), m.dataClass(), m.createdAt(),
                m.updatedAt(), m.status(), 0, List.of(), m.compressed(), m.keyId(), m.lateAudioMs());
        LoadReport report = r.report();
        return new Recording(anon, events, Optional::empty, r.redactions(), report, r.sizeBytes());
    }

    private static boolean isPerson(RecordingEvent e, RecordingMetadata m) {
        return !e.authorId().equals(m.agentId()) && !e.authorId().equals("system") && !e.author().equals("system");
    }

    /**
     * Whole-word, case-insensitive patterns for each name, then for each of its parts of three or
     * more letters ("Ada" of "Ada Lovelace"), each replaced by that person's pseudonym.
     */
    private static Map<Pattern, String> namePatterns(Map<String, String> people) {
        Map<Pattern, String> out = new LinkedHashMap<>();
        people.forEach((n, p) -> out.put(Pattern.compile("(?iu)\\b" + Pattern.quote(n) + "\\b"), p));
        people.forEach((n, p) -> {
            for (String part : n.split("[\\s._-]+")) {
                if (part.length() >= 3 && !part.equals(n)) {
                    out.putIfAbsent(Pattern.compile("(?iu)\\b" + Pattern.quote(part) + "\\b"), p);
                }
            }
        });
        return out;
    }

    private String text(String s, Map<Pattern, String> names) {
        if (s == null) {
            return null;
        }
        String out = s;
        for (Redactor.Rule rule : redactor.rules()) {
            Matcher m = rule.pattern().matcher(out);
            StringBuilder b = new StringBuilder();
            boolean any = false;
            while (m.find()) {
                if (rule.accept().test(m.group())) {
                    m.appendReplacement(b, Matcher.quoteReplacement("[" + token(rule.name(), m.group()) + "]"));
                    any = true;
                }
            }
            if (any) {
                m.appendTail(b);
                out = b.toString();
            }
        }
        for (Map.Entry<Pattern, String> n : names.entrySet()) {
            out = n.getKey().matcher(out).replaceAll(Matcher.quoteReplacement(n.getValue()));
        }
        return out;
    }

    private String token(String rule, String value) {
        // "+1 415 555 0132" and "14155550132" are one number; spellings of text values differ only in case.
        boolean numeric = rule.equals("phone") || rule.equals("card") || rule.equals("iban") || rule.equals("ssn");
        String normalized = numeric ? value.replaceAll("[^0-9A-Za-z]", "").toUpperCase(Locale.ROOT)
                : value.strip().toLowerCase(Locale.ROOT);
        return pseudonym(rule, normalized);
    }
}
