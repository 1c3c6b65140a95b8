package io.parley.examples.web;

import io.parley.session.AgentCallback;
import io.parley.session.AgentContext;
import java.time.Clock;
import java.time.LocalTime;
import java.util.Locale;

/**
 * The demo's agent: a few offline intents, no language model. Its phrases are also a JSGF
 * grammar ({@link #GRAMMAR}), because the offline recognizer is accurate on a grammar and
 * only fair on free speech. Anything it does not know gets {@link #NOT_UNDERSTOOD}.
 */
final class DemoAgent implements AgentCallback {

    /**
     * What the user can say. A grammar recognizer forces any speech onto one of its sentences,
     * so besides the requests the grammar has {@code <other>}: any run of short common words,
     * which speech outside the requests matches better than a request (measured on the
     * pocketsphinx test recordings, while the requests themselves are still recognised), and
     * which the agent answers with {@link #NOT_UNDERSTOOD}.
     */
    static final String GRAMMAR = """
            #JSGF V1.0;
            grammar demo;
            public <utterance> = <greeting> | <time> | <name> | <joke> | <goodbye> | <weather> | <other>;
            <greeting> = hello | hi there | good morning;
            <time> = what time is it | what is the time;
            <name> = what is your name | who are you;
            <joke> = tell me a joke;
            <weather> = how is the weather today;
            <goodbye> = goodbye | thank you goodbye;
            <other> = <filler>+;
            <filler> = a | the | and | of | in | on | to | for | with | so | go | up | no | yes
                     | one | two | three | four | five | six | seven | eight | nine | ten | zero;
            """;

    static final String GREETING = "Hello! I am Parley. Ask me the time, my name, or for a joke.";

    static final String NOT_UNDERSTOOD = "Sorry, I didn't catch that. You can ask me the time, my name, or for a joke.";

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
        return NOT_UNDERSTOOD;
    }
}
