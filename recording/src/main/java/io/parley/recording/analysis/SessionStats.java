package io.parley.recording.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statistics of a recording's messages.
 *
 * @param duration           time from start to end
 * @param messages           messages in total
 * @param messagesPerAuthor  messages by author name, most first
 * @param commandsUsed       messages starting with {@code !} or {@code /}, by command, most first
 * @param mostActive         the window with the most messages, if there were any
 * @param longestGap         the longest silence between two consecutive messages, if there were two
 * @param topics             the most frequent meaningful words, most frequent first
 */
public record SessionStats(Duration duration, long messages, Map<String, Long> messagesPerAuthor,
                           Map<String, Long> commandsUsed, Optional<Window> mostActive, Optional<Gap> longestGap,
                           List<String> topics) {

    /**
     * A time window and how many messages fell in it.
     *
     * @param start    start (inclusive)
     * @param end      end (exclusive)
     * @param messages messages in it
     */
    public record Window(Instant start, Instant end, long messages) {
    }

    /**
     * A stretch without messages.
     *
     * @param from   the earlier message's time
     * @param to     the later message's time
     * @param length how long
     */
    public record Gap(Instant from, Instant to, Duration length) {
    }
}
