package io.parley.text.speech;

/** Argument checks for the public API: a null is an {@link IllegalArgumentException} naming the parameter. */
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
