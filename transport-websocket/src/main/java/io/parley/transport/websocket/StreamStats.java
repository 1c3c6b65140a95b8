package io.parley.transport.websocket;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of one media stream, as a snapshot.
 *
 * @param messagesIn     messages received, every kind
 * @param framesIn       media messages whose audio reached the session
 * @param framesOut      media messages sent
 * @param marksSent      marks sent
 * @param marksPlayed    mark echoes that confirmed playout
 * @param chunksMissing  media chunks never received (sequence gaps), replaced by silence of the same length
 * @param clears         clear messages sent
 * @param samplesDropped caller samples (session rate) dropped because the session took longer to start than
 *                       {@link StreamSettings#earlyAudio()} holds
 * @param skipped        messages skipped, by reason
 */
public record StreamStats(long messagesIn, long framesIn, long framesOut, long marksSent, long marksPlayed,
                          long chunksMissing, long clears, long samplesDropped, Map<Problem, Long> skipped) {

    public StreamStats {
        skipped = Map.copyOf(skipped);
    }

    /** Messages skipped for any reason. */
    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Skips for {@code problem}. */
    public long skipped(Problem problem) {
        return skipped.getOrDefault(problem, 0L);
    }

    /** Live counters behind the snapshot; written by one socket thread and one session loop. */
    static final class Counters {
        volatile long messagesIn;
        volatile long framesIn;
        volatile long framesOut;
        volatile long marksSent;
        volatile long marksPlayed;
        volatile long chunksMissing;
        volatile long clears;
        volatile long samplesDropped;
        private final long[] skipped = new long[Problem.values().length];

        /** Counts a skip; returns true the first time {@code p} happens. */
        synchronized boolean skip(Problem p) {
            return ++skipped[p.ordinal()] == 1;
        }

        synchronized StreamStats snapshot() {
            Map<Problem, Long> m = new EnumMap<>(Problem.class);
            for (Problem p : Problem.values()) {
                if (skipped[p.ordinal()] > 0) {
                    m.put(p, skipped[p.ordinal()]);
                }
            }
            return new StreamStats(messagesIn, framesIn, framesOut, marksSent, marksPlayed, chunksMissing, clears, samplesDropped, m);
        }
    }
}
