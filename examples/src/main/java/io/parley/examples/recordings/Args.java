package io.parley.examples.recordings;

import java.util.List;

/** Argument checks shared by the {@code recordings} commands; each failure is a usage error. */
final class Args {

    private Args() {
    }

    static String value(List<String> args, String opt) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args.remove(0);
    }
    static String one(List<String> a, String usage) {
        if (a.size() != 1) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return a.get(0);
    }
    static void none(List<String> a, String cmd) {
        if (!a.isEmpty()) {
            throw new IllegalArgumentException(cmd + " takes no arguments, got " + a);
        }
    }
    static int positive(String s, String what) {
        try {
            int n = Integer.parseInt(s);
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be positive, was " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number, was '" + s + "'");
        }
    }
}
