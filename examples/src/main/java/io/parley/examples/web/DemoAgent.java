package io.parley.examples.web;

import io.parley.session.AgentCallback;
import io.parley.session.AgentContext;
import java.time.Clock;
import java.time.LocalTime;
import java.util.Locale;

/**
 * The demo's agent: a few offline intents, no language model. Its phrases are also a JSGF
 * grammar ({@link #GRAMMAR}), because the offline recognizer is accurate on a grammar and
 * only fair on free speech.
 */
final class DemoAgent implements AgentCallback {

    /** What the user can say; the offline recognizer listens for exactly these phrases. */
    static final String GRAMMAR = """
            #JSGF V1.0;
            grammar demo;
            public <utterance> = <greeting> | <time> | <name> | <joke> | <goodbye> | <weather>;
            <greeting> = hello | hi there | good morning;
            <time> = what time is it | what is the time;
            <name> = what is your name | who are you;
            <joke> = tell me a joke;
            <weather> = how is the weather today;
            <goodbye> = goodbye | thank you goodbye;
            """;

    static final String GREETING = "Hello! I am Parley. Ask me the time, my name, or for a joke.";

    private final Clock clock;

    DemoAgent(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String respond(AgentContext context, String transcript) {
        String t = transcript.toLowerCase(Locale.ROOT).trim();
        if (t.contains("time")) {
            LocalTime now = LocalTime.now(clock);
            return "It is " + now.getHour() + " " + (now.getMinute() < 10 ? "oh " : "") + now.getMinute() + ".";
        }
        if (t.contains("name") || t.contains("who are you")) {
            return "My name is Parley. I am a voice agent running in Java.";
        }
        if (t.contains("joke")) {
            return "Why did the packet cross the network? To get to the other side, with low latency.";
        }
        if (t.contains("weather")) {
            return "I have no window, but the network weather looks clear.";
        }
        if (t.contains("goodbye")) {
            return "Goodbye! Thanks for talking with me.";
        }
        if (t.contains("hello") || t.contains("hi there") || t.contains("morning")) {
            return "Hello to you too. What would you like to know?";
        }
        return "You said: " + transcript + ".";
    }
}
