package io.parley.examples.phone;

import io.parley.session.AgentCallback;
import io.parley.session.AgentContext;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What the phone agent says: it answers a few spoken questions and a key-press menu. The
 * offline recognizer listens for the phrases of {@link #GRAMMAR}, where it is accurate even on
 * 8 kHz telephone audio.
 */
final class PhoneAgent implements AgentCallback {

    /** What callers can say. */
    static final String GRAMMAR = """
            #JSGF V1.0;
            grammar phone;
            public <utterance> = <greeting> | <time> | <name> | <joke> | <goodbye>;
            <greeting> = hello | hi there | good morning;
            <time> = what time is it | what is the time;
            <name> = what is your name | who are you;
            <joke> = tell me a joke;
            <goodbye> = goodbye | thank you goodbye;
            """;

    static final String GREETING = "Hello, this is Parley on the phone. Ask me the time or for a joke, "
            + "or press 1 for the time and 2 for a joke.";

    /** Prefix of the text turns key presses become. */
    static final String KEYS = "keys ";

    @Override
    public String respond(AgentContext context, String transcript) {
        String t = transcript.toLowerCase(Locale.ROOT).trim();
        if (t.startsWith(KEYS)) {
            return switch (t.substring(KEYS.length())) {
                case "1" -> time();
                case "2" -> joke();
                default -> "You pressed " + String.join(" ", t.substring(KEYS.length()).split("")) + ". Press 1 for the time, 2 for a joke.";
            };
        }
        if (t.contains("time")) {
            return time();
        }
        if (t.contains("joke")) {
            return joke();
        }
        if (t.contains("name") || t.contains("who are you")) {
            return "I am Parley, a voice agent running entirely on this machine.";
        }
        if (t.contains("goodbye")) {
            return "Goodbye, thanks for calling.";
        }
        if (t.contains("hello") || t.contains("hi there") || t.contains("morning")) {
            return "Hello! What can I do for you?";
        }
        return "Sorry, I did not catch that. Ask me the time, or press 1.";
    }

    private static String time() {
        return "It is " + LocalTime.now().format(DateTimeFormatter.ofPattern("h:mm a", Locale.US)) + ".";
    }

    private static String joke() {
        return "Why did the phone wear glasses? It lost its contacts.";
    }
}
