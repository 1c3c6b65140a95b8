package io.parley.examples.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * One thing the simulated caller says.
 *
 * @param label  what it is, for the console ("synthesized", "recording goforward.raw" ...)
 * @param text   what the caller says, as written (the reference for what should be heard)
 * @param audio  16 kHz mono samples
 * @param cue    when the caller starts speaking
 * @param delay  how long after the cue
 */
record CallerLine(String label, String text, short[] audio, Cue cue, Duration delay) {

    /** What the caller waits for before speaking. */
    enum Cue {
        /** The agent finished (or was cut off): a polite turn. */
        AFTER_AGENT,
        /** The agent started replying to the previous line: a barge-in. */
        WHILE_AGENT_SPEAKS
    }

    CallerLine {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(cue, "cue");
        Objects.requireNonNull(delay, "delay");
    }

    /** Length of the audio. */
    Duration duration() {
        return Duration.ofMillis(audio.length / 16L);
    }
}
