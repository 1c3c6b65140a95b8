package io.parley.testing;

/** Argument checks for the test kit's builders, which refuse null as every Parley builder does. */
final class Args {

    private Args() {
    }

    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
