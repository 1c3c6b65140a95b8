package io.parley.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One recognised word with its position in the audio the stream has received.
 *
 * @param text       the word as spoken (punctuated form if the provider offers one)
 * @param start      offset of the word's first sound from the start of the stream's audio
 * @param end        offset of the word's last sound
 * @param confidence 0..1, or NaN if the provider gives none
 * @param speaker    diarization label, or -1 when unknown
 */
public record Word(String text, Duration start, Duration end, double confidence, int speaker) {
    public Word {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.compareTo(start) < 0) {
            throw new IllegalArgumentException("word end " + end + " before start " + start);
        }
    }
}
