package io.parley.transport.webrtc;

/** Argument checks shared by this package's builders. */
final class Checks {

    private Checks() {
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException naming {@code name} when {@code value} is null
     */
    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
