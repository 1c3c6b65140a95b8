package io.parley.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * When a synthesized word is heard, relative to the first sample of the reply's audio.
 * Sessions use these to cut an interrupted reply to exactly the words that were played.
 *
 * @param word      the word as sent to the synthesizer
 * @param start     offset of its first sample in the reply's audio
 * @param end       offset of its last sample
 */
public record WordTiming(String word, Duration start, Duration end) {
    public WordTiming {
        Objects.requireNonNull(word, "word");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.compareTo(start) < 0) {
            throw new IllegalArgumentException("end " + end + " before start " + start);
        }
    }
}
