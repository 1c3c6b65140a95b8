package io.parley.text.speech;

/**
 * Drops emoji: pictographs (U+1F000–1FBFF), dingbats and symbols (U+2600–27BF, U+2B00–2BFF),
 * variation selectors, skin tones, tags and the zero-width joiner. A standalone emoji takes
 * the whitespace after it along, so no double space is left.
 */
final class EmojiFilter implements TextTransform {

    static final EmojiFilter INSTANCE = new EmojiFilter();

    private EmojiFilter() {
    }

    static boolean isEmoji(int cp) {
        return (cp >= 0x1F000 && cp <= 0x1FBFF)
                || (cp >= 0x2600 && cp <= 0x27BF)
                || (cp >= 0x2B00 && cp <= 0x2BFF)
                || (cp >= 0xFE00 && cp <= 0xFE0F)
                || (cp >= 0xE0020 && cp <= 0xE007F)
                || cp == 0x200D || cp == 0x20E3;
    }

    @Override
    public String apply(String segment, boolean lineStart) {
        int n = segment.length();
        int i = 0;
        while (i < n && !isEmoji(segment.codePointAt(i))) {
            i += Character.charCount(segment.codePointAt(i));
        }
        if (i == n) {
            return segment;
        }
        StringBuilder sb = new StringBuilder(n);
        sb.append(segment, 0, i);
        while (i < n) {
            int cp = segment.codePointAt(i);
            if (!isEmoji(cp)) {
                sb.appendCodePoint(cp);
                i += Character.charCount(cp);
                continue;
            }
            // A run of emoji; a segment starts after whitespace, so its start counts as standalone.
            boolean standalone = i == 0 || Character.isWhitespace(segment.charAt(i - 1));
            while (i < n && isEmoji(segment.codePointAt(i))) {
                i += Character.charCount(segment.codePointAt(i));
            }
            if (standalone) {
                while (i < n && (segment.charAt(i) == ' ' || segment.charAt(i) == '\t')) {
                    i++;
                }
            }
        }
        return sb.toString();
    }
}
