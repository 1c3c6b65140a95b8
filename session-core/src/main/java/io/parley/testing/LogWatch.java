package io.parley.testing;

import java.util.List;

/**
 * Watches a program's log output for exceptions that were only logged, so a
 * {@link ChaosHarness} can count them as failures instead of letting them scroll by.
 *
 * <p>{@link #standardStreams()} works with any logging backend that writes to
 * {@code System.out} or {@code System.err} (slf4j-simple, a console appender). Applications
 * that log elsewhere implement this interface over their backend, e.g. a Logback appender
 * that collects ERROR events and events carrying a throwable.
 */
public interface LogWatch {

    /** Starts collecting. */
    void start();

    /**
     * Stops collecting and returns what was found since {@link #start()}: one entry per
     * ERROR-level record or logged throwable, with its first lines.
     */
    List<String> stop();

    /**
     * Tees {@code System.out} and {@code System.err} while started and reports ERROR-level
     * lines and stack traces printed to them.
     */
    static LogWatch standardStreams() {
        return new StandardStreamsLogWatch();
    }

    /** Watches nothing (for backends the harness cannot see; say so in your test). */
    static LogWatch none() {
        return new LogWatch() {
            @Override
            public void start() {
            }

            @Override
            public List<String> stop() {
                return List.of();
            }
        };
    }
}
