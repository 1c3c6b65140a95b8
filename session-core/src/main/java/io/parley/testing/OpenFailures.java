package io.parley.testing;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.util.Objects;

/** Counts a fake provider's open attempts and fails the next few as scripted. Not thread-safe. */
final class OpenFailures {

    private int remaining;
    private ErrorCode code = ErrorCode.PROVIDER_CONNECTION;
    private int attempts;

    void script(int times, ErrorCode code) {
        this.remaining = times;
        this.code = Objects.requireNonNull(code);
    }

    /** Records an attempt; throws if it is scripted to fail. */
    void attempt(String provider) {
        attempts++;
        if (remaining > 0) {
            remaining--;
            throw new SessionException(code, provider + ": scripted open failure");
        }
    }

    int attempts() {
        return attempts;
    }
}
