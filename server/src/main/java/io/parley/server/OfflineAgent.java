package io.parley.server;

import io.parley.session.AgentContext;
import io.parley.session.StreamingAgent;
import io.parley.session.TextSink;
import java.util.List;
import java.util.Locale;

/**
 * The agent the server runs with no key: it knows the session's purpose and context documents
 * (counting and quoting error lines of an uploaded log) and answers a few fixed intents.
 * Deterministic, so tests can assert its answers.
 */
final class OfflineAgent implements StreamingAgent {

    private final AgentSetup setup;

    OfflineAgent(AgentSetup setup) {
        this.setup = setup;
    }

    @Override
    public void respond(AgentContext context, String question, TextSink sink) {
        sink.write(answer(question));
        sink.complete();
    }

    String answer(String question) {
        String q = question.toLowerCase(Locale.ROOT);
        if (q.isBlank()) {
            return "Yes? Ask me about this session.";
        }
        if (q.contains("error") || q.contains("log") || q.contains("wrong")) {
            return logSummary();
        }
        if (q.contains("what") && (q.contains("session") || q.contains("about") || q.contains("agenda"))) {
            return "This is a " + setup.type().wireName().replace('_', ' ') + " session: " + setup.title()
                    + (setup.description().isBlank() ? "." : ". " + setup.description());
        }
        if (q.contains("who are you") || q.contains("your name")) {
            return "I am the Parley offline agent. I answer from this session's documents.";
        }
        if (q.contains("help")) {
            return "Ask me about the uploaded log's errors or what this session is about. Commands: !history, !export, "
                    + "!share, !end.";
        }
        return "I heard: " + question.trim() + ". I am the offline agent, so I can summarise this session's log or "
                + "tell you what the session is about.";
    }

    private String logSummary() {
        List<String> docs = setup.context();
        if (docs.isEmpty()) {
            return "No log is attached to this session.";
        }
        int lines = 0;
        int errors = 0;
        String first = null;
        for (String d : docs) {
            for (String line : d.split("\\R")) {
                lines++;
                String l = line.toLowerCase(Locale.ROOT);
                if (l.contains("error") || l.contains("exception") || l.contains("fail")) {
                    errors++;
                    if (first == null) {
                        first = line.trim();
                    }
                }
            }
        }
        if (errors == 0) {
            return "The log has " + lines + " lines and no error lines.";
        }
        return "The log has " + lines + " lines and " + errors + " error line" + (errors == 1 ? "" : "s")
                + ". The first is: " + first;
    }
}
