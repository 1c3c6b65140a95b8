package io.parley.recording;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;

/**
 * A recording operation failed for the stated {@link Problem}. It is a {@link SessionException},
 * so hosts handle it like every other Parley error.
 */
public final class RecordingException extends SessionException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Problem {
        /** No recording with that name. */
        NOT_FOUND(ErrorCode.SESSION_NOT_FOUND),
        /** A recording with that name already exists. */
        ALREADY_EXISTS(ErrorCode.INVALID_STATE),
        /** The operation does not fit the recorder's current state (e.g. pause while stopped). */
        WRONG_STATE(ErrorCode.INVALID_STATE),
        /** The user has not consented (or withdrew consent) to what would be recorded. */
        NO_CONSENT(ErrorCode.INVALID_STATE),
        /** A legal hold forbids deleting the recording. */
        LEGAL_HOLD(ErrorCode.INVALID_STATE),
        /** Stored data is damaged beyond what can be recovered. */
        CORRUPT(ErrorCode.INTERNAL_ERROR),
        /** Encrypted data cannot be opened: wrong or missing key, or the file was altered. */
        DECRYPTION_FAILED(ErrorCode.INVALID_STATE),
        /** Reading or writing the storage failed. */
        IO(ErrorCode.INTERNAL_ERROR);

        private final ErrorCode code;

        Problem(ErrorCode code) {
            this.code = code;
        }

        /** The session error code this problem is reported under. */
        public ErrorCode code() {
            return code;
        }
    }

    private final Problem problem;

    public RecordingException(Problem problem, String message) {
        this(problem, message, null);
    }

    public RecordingException(Problem problem, String message, Throwable cause) {
        super(problem.code(), problem + ": " + message, cause);
        this.problem = problem;
    }

    /** What went wrong. */
    public Problem problem() {
        return problem;
    }
}
