package io.parley.text.speech;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drops markdown syntax a synthesizer would otherwise read aloud. Block markers count only at
 * the start of a line; emphasis markers only at the edge of a word, so {@code snake_case} and
 * {@code 3 * 7 = 21} are kept.
 */
final class MarkdownFilter implements TextTransform {

    static final MarkdownFilter INSTANCE = new MarkdownFilter();

    /** A whole line that is a rule or a code fence. */
    private static final Pattern DROP_LINE = Pattern.compile(
            "[ \\t]*(?:([-*_])[ \\t]*(?:\\1[ \\t]*){2,}|(?:```|~~~)[\\w+#.-]*[ \\t]*)");
    /** Header, quote and bullet markers at a line start. */
    private static final Pattern LINE_MARKER = Pattern.compile("[ \\t]*(?:#{1,6}[ \\t]+|>+[ \\t]?|[-*+][ \\t]+)");
    private static final Pattern LINK = Pattern.compile("!?\\[([^\\]\\n]*)\\]\\([^)\\n]*\\)");
    private static final Pattern STRUCK = Pattern.compile("~~[^~\\n]*~~|~~");
    private static final Pattern EMPHASIS = Pattern.compile(
            "(?<![\\w*_])[*_]{1,3}(?=[^\\s*_])|(?<=[^\\s*_])[*_]{1,3}(?![\\w*_])");

    private MarkdownFilter() {
    }

    @Override
    public String apply(String segment, boolean lineStart) {
        if (segment.indexOf('\n') < 0) {
            // One line, as most streamed segments are: no copies when nothing changes.
            return inline(lineStart ? blockMarkers(segment) : segment);
        }
        StringBuilder sb = new StringBuilder(segment.length());
        int start = 0;
        boolean atLineStart = lineStart;
        while (start < segment.length()) {
            int nl = segment.indexOf('\n', start);
            int end = nl < 0 ? segment.length() : nl;
            String line = segment.substring(start, end);
            if (atLineStart) {
                line = blockMarkers(line);
            }
            sb.append(inline(line));
            if (nl >= 0) {
                sb.append('\n');
            }
            start = end + 1;
            atLineStart = true;
        }
        return sb.toString();
    }

    private static String blockMarkers(String line) {
        if (!startsWithMarker(line)) {
            // Most lines: neither pattern can match, so neither matcher is made.
            return line;
        }
        if (DROP_LINE.matcher(line).matches()) {
            return "";
        }
        Matcher m = LINE_MARKER.matcher(line);
        return m.lookingAt() ? line.substring(m.end()) : line;
    }

    /** Whether the first character after leading spaces and tabs can open a rule, fence or line marker. */
    static boolean startsWithMarker(CharSequence line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i < line.length() && switch (line.charAt(i)) {
            case '-', '*', '_', '`', '~', '#', '>', '+' -> true;
            default -> false;
        };
    }

    private static String inline(String line) {
        if (line.indexOf('[') >= 0) {
            line = LINK.matcher(line).replaceAll("$1");
        }
        if (line.indexOf('~') >= 0) {
            line = STRUCK.matcher(line).replaceAll("");
        }
        if (line.indexOf('`') >= 0) {
            line = line.replace("`", "");
        }
        if (line.indexOf('*') >= 0 || line.indexOf('_') >= 0) {
            line = EMPHASIS.matcher(line).replaceAll("");
        }
        return line;
    }

    /**
     * Holds a line that so far holds only marker characters (it may become a rule or a fence),
     * an open link or image, and an unclosed {@code ~~}.
     */
    @Override
    public int releasable(CharSequence pending, int limit) {
        int lineStart = 0;
        for (int i = limit - 1; i >= 0; i--) {
            if (pending.charAt(i) == '\n') {
                lineStart = i + 1;
                break;
            }
        }
        int cut = limit;
        if (onlyMarkers(pending, lineStart, limit)) {
            cut = lineStart;
        }
        int open = openConstruct(pending, lineStart, pending.length(), cut);
        return open >= 0 ? Math.min(cut, open) : cut;
    }

    /**
     * Whether {@code p[from, to)} is not blank and holds only marker characters
     * ({@code - * _ ` ~ # > +}, spaces, tabs, carriage returns) or is a code fence with its info
     * string so far. Called on every chunk, so it scans by hand instead of allocating a matcher.
     */
    static boolean onlyMarkers(CharSequence p, int from, int to) {
        boolean blank = true;
        int i = from;
        while (i < to && isMarkerOrSpace(p.charAt(i))) {
            blank &= isSpace(p.charAt(i));
            i++;
        }
        if (i == to) {
            return !blank;
        }
        if (to - from < 3 || !isFence(p, from)) {
            return false;
        }
        i = from + 3;
        while (i < to && isInfoChar(p.charAt(i))) {
            i++;
        }
        while (i < to && isSpace(p.charAt(i))) {
            i++;
        }
        return i == to;
    }

    private static boolean isMarkerOrSpace(char c) {
        return switch (c) {
            case '-', '*', '_', '`', '~', '#', '>', '+' -> true;
            default -> isSpace(c);
        };
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isFence(CharSequence p, int i) {
        char c = p.charAt(i);
        return (c == '`' || c == '~') && p.charAt(i + 1) == c && p.charAt(i + 2) == c;
    }

    /** A fence's info string: {@code [\w+#.-]} (ASCII word characters). */
    private static boolean isInfoChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '_' || c == '+' || c == '#' || c == '.' || c == '-';
    }

    /**
     * Start of a link or {@code ~~} pair on the line starting at {@code from} that is still open
     * or closes only after {@code limit}, or -1.
     */
    private static int openConstruct(CharSequence p, int from, int to, int limit) {
        int open = -1;
        int struck = -1;
        for (int i = from; i < to; i++) {
            char c = p.charAt(i);
            if (c == '\n') {
                open = -1;
                struck = -1;
            } else if (c == '[' && open < 0) {
                open = (i > 0 && p.charAt(i - 1) == '!') ? i - 1 : i;
            } else if (c == ']' && open >= 0) {
                if (i + 1 == to) {
                    return open;
                }
                if (p.charAt(i + 1) != '(') {
                    open = -1;
                } else {
                    int close = indexOf(p, ')', i + 2, to);
                    if (close < 0 || (open < limit && close >= limit)) {
                        return open;
                    }
                    open = -1;
                    i = close;
                }
            } else if (c == '~' && i + 1 < to && p.charAt(i + 1) == '~') {
                if (struck >= 0 && struck < limit && i + 1 >= limit) {
                    return struck;
                }
                struck = struck < 0 ? i : -1;
                i++;
            }
        }
        if (open >= 0 && struck >= 0) {
            return Math.min(open, struck);
        }
        return open >= 0 ? open : struck;
    }

    private static int indexOf(CharSequence p, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (p.charAt(i) == c) {
                return i;
            }
            if (p.charAt(i) == '\n') {
                return -1;
            }
        }
        return -1;
    }
}
