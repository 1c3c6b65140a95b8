package io.parley.server;

import java.util.List;
import java.util.Locale;

/**
 * Chat commands: typed as {@code !name}, or spoken as "command name" (after the wake phrase,
 * if the session has one), e.g. "hey agent, command export".
 */
final class Commands {

    static final List<String> NAMES = List.of("!history", "!export", "!share", "!end");
    static final List<String> EXPORT_FORMATS = List.of("json", "md", "txt", "html", "pdf");

    private Commands() {
    }

    /** The command's name without the bang, or null if the turn is not a command. */
    static String parse(String text, String question, boolean spoken) {
        String t = text.trim();
        if (!spoken && t.startsWith("!")) {
            String name = t.substring(1).trim().split("\\s+")[0];
            return name.toLowerCase(Locale.ROOT);
        }
        String q = question.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").trim();
        if (spoken && q.startsWith("command ")) {
            String[] w = q.substring(8).trim().split("\\s+");
            return w.length == 0 ? "" : w[0];
        }
        return null;
    }
}
