package io.parley.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What the simulated user says and when, on a {@link VirtualClock}'s timeline: the single
 * source of truth that {@link InMemoryTransport} turns into audio and {@link FakeStt} turns
 * into transcripts.
 */
public final class UserScript {

    /**
     * One stretch of user sound.
     *
     * @param start    when it begins, since virtual time zero
     * @param duration how long it lasts
     * @param text     the words in it, empty for a non-verbal sound (a cough, a noise)
     */
    public record Utterance(Duration start, Duration duration, String text) {
        public Utterance {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(text, "text");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive");
            }
        }

        /** When it ends. */
        public Duration end() {
            return start.plus(duration);
        }

        /** Its words. */
        public String[] words() {
            String t = text.trim();
            return t.isEmpty() ? new String[0] : t.split("\\s+");
        }

        boolean covers(long nanos) {
            return nanos >= start.toNanos() && nanos < end().toNanos();
        }
    }

    private final List<Utterance> utterances = new ArrayList<>();

    /** An empty script: silence. */
    public UserScript() {
    }

    /** Adds speech of {@code text} from {@code atMillis} for {@code durationMillis}. */
    public UserScript say(long atMillis, long durationMillis, String text) {
        return add(new Utterance(Duration.ofMillis(atMillis), Duration.ofMillis(durationMillis), text));
    }

    /** Adds a sound with no words (a cough, a door) from {@code atMillis} for {@code durationMillis}. */
    public UserScript noise(long atMillis, long durationMillis) {
        return add(new Utterance(Duration.ofMillis(atMillis), Duration.ofMillis(durationMillis), ""));
    }

    /** Adds an utterance; utterances must not overlap. */
    public synchronized UserScript add(Utterance u) {
        for (Utterance o : utterances) {
            if (u.start().compareTo(o.end()) < 0 && o.start().compareTo(u.end()) < 0) {
                throw new IllegalArgumentException(u + " overlaps " + o);
            }
        }
        utterances.add(u);
        utterances.sort(Comparator.comparing(Utterance::start));
        return this;
    }

    /** The utterances in time order. */
    public synchronized List<Utterance> utterances() {
        return List.copyOf(utterances);
    }

    /** The utterance sounding at {@code nanos} since virtual time zero, or null. */
    public synchronized Utterance at(long nanos) {
        for (Utterance u : utterances) {
            if (u.covers(nanos)) {
                return u;
            }
        }
        return null;
    }

    /** Index of an utterance in time order. */
    public synchronized int indexOf(Utterance u) {
        return utterances.indexOf(u);
    }
}
