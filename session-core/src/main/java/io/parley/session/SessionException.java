package io.parley.session;

import java.util.Objects;

/**
 * The one exception type Parley raises and reports: a code, a message that says what went
 * wrong, and whether retrying can help.
 */
public class SessionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean retryable;

    public SessionException(ErrorCode code, String message) {
        this(code, message, null, code.retryable());
    }

    public SessionException(ErrorCode code, String message, Throwable cause) {
        this(code, message, cause, code.retryable());
    }

    public SessionException(ErrorCode code, String message, Throwable cause, boolean retryable) {
        super(Objects.requireNonNull(code, "code") + ": " + message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    /** Why it failed. */
    public ErrorCode code() {
        return code;
    }

    /** Whether retrying the failed operation may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /**
     * {@code t} itself if it is a SessionException, otherwise {@code t} wrapped with {@code code}
     * (retryable as the code says).
     */
    public static SessionException wrap(ErrorCode code, Throwable t) {
        if (t instanceof SessionException se) {
            return se;
        }
        String msg = t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        return new SessionException(code, msg, t);
    }
}
