package io.parley.examples.demo;

import io.parley.session.AgentCallback;
import io.parley.session.AgentContext;
import io.parley.spi.ConversationTurn;
import io.parley.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's agent: a handful of rules about the session itself, so that every answer can be
 * checked against what really happened. It tells the time, how long it has been listening, and
 * what it heard; it stops when asked to wait and says goodbye when the caller does.
 */
final class SessionAgent implements AgentCallback {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final long startNanos;

    SessionAgent(Clock clock) {
        this.clock = clock;
        this.startNanos = clock.nanoTime();
    }

    @Override
    public String respond(AgentContext context, String transcript) {
        String said = transcript.toLowerCase(Locale.ROOT);
        List<String> parts = new ArrayList<>();
        if (has(said, "bye", "goodbye")) {
            return "Goodbye, and thank you for trying Parley. Everything you heard ran on this machine.";
        }
        if (has(said, "wait", "stop", "moment", "hold on")) {
            return "Sure, I stopped talking. I am listening.";
        }
        if (has(said, "time")) {
            parts.add("It is " + TIME.format(clock.now()) + " UTC.");
        }
        if (has(said, "how long", "listening")) {
            long seconds = (clock.nanoTime() - startNanos) / 1_000_000_000L;
            parts.add("I have been listening for " + seconds + (seconds == 1 ? " second." : " seconds."));
        }
        if (has(said, "what") && has(said, "hear", "heard")) {
            parts.add(heardSoFar(context.history(), transcript));
        }
        if (parts.isEmpty() && has(said, "hello", "hi", "hey", "can you hear me")) {
            parts.add("Hello! Yes, I can hear you. Ask me the time, how long I have been listening, or what I heard.");
        }
        if (parts.isEmpty()) {
            parts.add("I heard you say: " + transcript.trim() + ".");
        }
        return String.join(" ", parts);
    }

    /** A deliberately long answer: it is the one the scripted caller interrupts. */
    private static String heardSoFar(List<ConversationTurn> history, String current) {
        List<String> heard = new ArrayList<>();
        for (ConversationTurn t : history) {
            if (t.role() == ConversationTurn.Role.USER && !t.text().isBlank()) {
                heard.add(t.text().trim());
            }
        }
        // The history may or may not already hold the turn being answered.
        if (heard.isEmpty() || !heard.get(heard.size() - 1).equalsIgnoreCase(current.trim())) {
            heard.add(current.trim());
        }
        StringBuilder sb = new StringBuilder("So far I heard " + heard.size() + (heard.size() == 1 ? " thing." : " things."));
        for (int i = 0; i < heard.size(); i++) {
            sb.append(' ').append(ordinal(i + 1)).append(", you said: ").append(heard.get(i)).append('.');
        }
        return sb.toString();
    }

    private static String ordinal(int n) {
        return switch (n) {
            case 1 -> "First";
            case 2 -> "Second";
            case 3 -> "Third";
            case 4 -> "Fourth";
            case 5 -> "Fifth";
            default -> "Then";
        };
    }

    private static boolean has(String said, String... words) {
        String padded = " " + said.replaceAll("[^a-z' ]", " ") + " ";
        for (String w : words) {
            if (padded.contains(" " + w.trim() + " ")) {
                return true;
            }
        }
        return false;
    }
}
