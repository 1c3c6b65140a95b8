package io.parley.session;

/**
 * Why a {@link SessionException} was raised. Each code carries whether retrying the failed
 * operation can help by default; an individual exception may override it.
 */
public enum ErrorCode {
    /** A configuration value is out of range or missing. */
    INVALID_CONFIG(false),
    /** A bug or an unexpected failure inside Parley. */
    INTERNAL_ERROR(false),
    /** The operation is not allowed in the session's current state. */
    INVALID_STATE(false),
    /** An operation did not finish in time. */
    TIMEOUT(true),
    /** No session with the given id exists. */
    SESSION_NOT_FOUND(false),
    /** The session is already running. */
    SESSION_ALREADY_ACTIVE(false),
    /** The session has not been started or has ended. */
    SESSION_NOT_ACTIVE(false),
    /** The session ended after its inactivity timeout. */
    SESSION_EXPIRED(false),
    /** Audio handed to the session is malformed or in the wrong format. */
    INVALID_AUDIO(false),

    /** The speech-to-text provider failed. */
    STT_ERROR(true),
    /** The text-to-speech provider failed. */
    TTS_ERROR(true),
    /** The voice activity detector failed. */
    VAD_ERROR(false),
    /** The agent callback threw or reported failure. */
    AGENT_ERROR(false),
    /** The provider rejected the credentials or the account cannot use the feature. */
    PROVIDER_AUTH(false),
    /** The provider rejected the request as malformed. */
    PROVIDER_BAD_REQUEST(false),
    /** The provider asked to slow down. */
    PROVIDER_RATE_LIMITED(true),
    /** The connection to the provider failed or dropped. */
    PROVIDER_CONNECTION(true),
    /** The provider sent something that violates its protocol. */
    PROVIDER_PROTOCOL(false),
    /** Every configured provider of a kind is unavailable (circuit breakers open). */
    PROVIDER_UNAVAILABLE(true),

    /** The transport failed. */
    TRANSPORT_ERROR(true),
    /** The transport or its peer closed. */
    TRANSPORT_CLOSED(false),

    /**
     * A listener could not keep up: its events queued past the limit and some were dropped
     * (the message says how many). Listeners must return quickly.
     */
    LISTENER_TOO_SLOW(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether retrying an operation that failed with this code can help, by default. */
    public boolean retryable() {
        return retryable;
    }
}
