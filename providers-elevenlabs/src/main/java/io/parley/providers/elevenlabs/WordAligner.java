package io.parley.providers.elevenlabs;

import io.parley.spi.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns per-chunk character timings into word timings relative to the reply's first sample.
 * A word may span chunks, so the word being spelled is carried over until whitespace (or the
 * end of the reply) completes it.
 */
final class WordAligner {

    private final StringBuilder word = new StringBuilder();
    private long startNanos;
    private long endNanos;

    /**
     * Adds one chunk's characters; {@code chunkOffsetNanos} is where the chunk's audio starts in
     * the reply. Returns the words this chunk completed, possibly none.
     */
    List<WordTiming> add(ServerMessage.Alignment a, long chunkOffsetNanos) {
        List<WordTiming> done = new ArrayList<>(4);
        for (int i = 0; i < a.size; i++) {
            String c = a.chars[i];
            long s = chunkOffsetNanos + Math.round(a.startMs[i] * 1_000_000);
            long e = s + Math.round(Math.max(0, a.durationMs[i]) * 1_000_000);
            if (c.isBlank()) {
                complete(done);
            } else {
                if (word.length() == 0) {
                    startNanos = s;
                }
                word.append(c);
                endNanos = Math.max(endNanos, e);
            }
        }
        return done;
    }

    /** Completes the word still being spelled at the end of the reply, if any. */
    List<WordTiming> finish() {
        List<WordTiming> done = new ArrayList<>(1);
        complete(done);
        return done;
    }

    private void complete(List<WordTiming> done) {
        if (word.length() > 0) {
            done.add(new WordTiming(word.toString(), Duration.ofNanos(startNanos), Duration.ofNanos(Math.max(startNanos, endNanos))));
            word.setLength(0);
            endNanos = 0;
        }
    }
}
