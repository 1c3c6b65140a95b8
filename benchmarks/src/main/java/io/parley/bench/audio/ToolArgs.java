package io.parley.bench.audio;

import java.util.List;

/** Command-line options the audio evaluation tools share. */
final class ToolArgs {

    private ToolArgs() {
    }

    /**
     * Removes {@code name} and the number after it from {@code opts} and returns that number, or
     * {@code otherwise} when {@code name} is not there.
     */
    static long takeLong(List<String> opts, String name, long otherwise) {
        String value = take(opts, name);
        return value == null ? otherwise : Long.parseLong(value);
    }

    /** As {@link #takeLong}, for a number with a fraction. */
    static double takeDouble(List<String> opts, String name, double otherwise) {
        String value = take(opts, name);
        return value == null ? otherwise : Double.parseDouble(value);
    }

    /** Removes {@code name} and the word after it from {@code opts} and returns that word; null when {@code name} is not there. */
    private static String take(List<String> opts, String name) {
        int i = opts.indexOf(name);
        if (i < 0) {
            return null;
        }
        String value = opts.get(i + 1);
        opts.remove(i + 1);
        opts.remove(i);
        return value;
    }
}
