package io.parley.group;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a turn is for the agent and what it is asked. Without a wake phrase every
 * turn is; with one, a turn beginning with it is (the phrase stripped), and a turn that is
 * only the phrase arms its speaker so their next turn within the window is too. Loop-confined.
 */
final class Addressing {

    /** The outcome for one turn. */
    record Outcome(boolean addressed, String question) {
    }

    private final WakePhrase wake;
    private final long armNanos;
    private final Map<String, Long> armedUntil = new HashMap<>();

    Addressing(WakePhrase wake, long armNanos) {
        this.wake = wake;
        this.armNanos = armNanos;
    }

    Outcome decide(String speakerId, String text, long nowNanos) {
        if (wake == null) {
            return new Outcome(true, text);
        }
        Optional<String> rest = wake.strip(text);
        Long armed = armedUntil.remove(speakerId);
        if (rest.isPresent() && rest.get().isEmpty()) {
            armedUntil.put(speakerId, nowNanos + armNanos);
            return new Outcome(false, text);
        }
        if (rest.isPresent()) {
            return new Outcome(true, rest.get());
        }
        return new Outcome(armed != null && armed >= nowNanos, text);
    }
}
