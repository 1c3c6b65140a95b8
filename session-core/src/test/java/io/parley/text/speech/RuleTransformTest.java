package io.parley.text.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class RuleTransformTest {

    /** Texts the rules match in many ways: the table's inputs, their spoken forms, and fragments of both. */
    private static List<String> corpus() throws IOException {
        List<String> texts = new ArrayList<>();
        SpeechText en = SpeechText.defaults(Locale.US);
        for (SpeechTextTest.Pair p : SpeechTextTest.table()) {
            texts.add(p.input());
            texts.add(en.apply(p.input()));
        }
        Random random = new Random(7);
        List<String> whole = List.copyOf(texts);
        for (int i = 0; i < 400; i++) {
            String a = whole.get(random.nextInt(whole.size()));
            String b = whole.get(random.nextInt(whole.size()));
            String joined = a + (random.nextBoolean() ? " " : "") + b;
            int from = random.nextInt(joined.length());
            texts.add(joined.substring(from, from + random.nextInt(joined.length() - from) + 1));
        }
        return texts;
    }

    /**
     * The rules are tried only where their match can start: a start set missing a character
     * would silently skip a match. Every match at every position (overlapping ones too) must
     * start with a character its rule admits.
     */
    @Test
    void everyMatchStartsWithACharacterItsRuleAdmits() throws IOException {
        List<RuleTransform> transforms = List.of(new EnglishNormalizer(Locale.US), new EnglishNormalizer(Locale.UK),
                new Replacements(Map.of("SQL", "sequel", "New York", "the big apple")));
        List<String> failures = new ArrayList<>();
        int matches = 0;
        for (RuleTransform t : transforms) {
            for (RuleTransform.Rule r : t.rules()) {
                for (String text : corpus()) {
                    Matcher m = r.pattern().matcher(text);
                    for (int p = 0; p < text.length(); p++) {
                        m.region(p, text.length()).useTransparentBounds(true).useAnchoringBounds(false);
                        if (m.lookingAt()) {
                            matches++;
                            if (!r.starts().test(text.charAt(p))) {
                                failures.add(r.pattern() + " matches '" + m.group() + "' in '" + text + "'");
                            }
                        }
                    }
                }
            }
        }
        assertThat(matches).isGreaterThan(500);
        assertThat(failures).isEmpty();
    }

    /** The stream's transform (reused matchers, start sets) gives what a plain sequential replace gives. */
    @Test
    void aStreamsTransformRewritesLikeAPlainSequentialReplace() throws IOException {
        RuleTransform en = new EnglishNormalizer(Locale.US);
        TextTransform stream = en.forStream();
        List<String> failures = new ArrayList<>();
        for (String text : corpus()) {
            String expected = text;
            for (RuleTransform.Rule r : en.rules()) {
                expected = r.pattern().matcher(expected).replaceAll(m -> Matcher.quoteReplacement(r.spoken().apply(m)));
            }
            String got = stream.apply(text, false);
            if (!got.equals(expected)) {
                failures.add("'" + text + "' -> '" + got + "', expected '" + expected + "'");
            }
        }
        assertThat(failures).isEmpty();
    }
}
