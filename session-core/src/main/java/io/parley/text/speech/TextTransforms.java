package io.parley.text.speech;

import java.util.Locale;
import java.util.Map;

/**
 * The built-in {@link TextTransform}s.
 */
public final class TextTransforms {

    private TextTransforms() {
    }

    /**
     * Drops markdown a synthesizer would read aloud: headers, list bullets, quotes, rules, code
     * fences and backticks, emphasis markers (not intra-word, so {@code snake_case} and
     * {@code 3 * 7} stay), struck-through text; links and images become their text.
     */
    public static TextTransform markdown() {
        return MarkdownFilter.INSTANCE;
    }

    /** Drops emoji, pictographs, variation selectors and joiners, with the space after a standalone emoji. */
    public static TextTransform emoji() {
        return EmojiFilter.INSTANCE;
    }

    /** Whether {@link #normalization(Locale)} supports {@code locale}: English for now. */
    public static boolean supportsNormalization(Locale locale) {
        return "en".equals(locale.getLanguage());
    }

    /**
     * Writes numbers, ordinals, dates, times, currencies, percentages, units, phone numbers,
     * e-mail addresses and URLs as words. Numeric dates are read month first in the US (and
     * for a locale without a country), day first elsewhere.
     *
     * @throws IllegalArgumentException if the locale's language is not supported
     */
    public static TextTransform normalization(Locale locale) {
        if (!supportsNormalization(locale)) {
            throw new IllegalArgumentException("no speech normalization for language '" + locale.getLanguage()
                    + "'; supported: en");
        }
        return new EnglishNormalizer(locale);
    }

    /**
     * Replaces whole words or phrases, ignoring case: pronunciations ("SQL" → "sequel") or
     * brand names ("LiveKit" → "Lyve Kit"). Longer keys win over shorter ones.
     *
     * @throws IllegalArgumentException if a key is blank
     */
    public static TextTransform replace(Map<String, String> replacements) {
        return new Replacements(replacements);
    }
}
