package io.parley.agent.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;

/**
 * Why a model call failed, in terms a voice host can act on. The session reports it as
 * {@code AGENT_ERROR} with this exception as the cause, and keeps listening.
 */
public final class LlmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of failure. */
    public enum Reason {
        /** The key was rejected (HTTP 401/403). */
        AUTHENTICATION,
        /** Too many requests or quota exhausted (HTTP 429). */
        RATE_LIMITED,
        /** The request was rejected as invalid, or the model does not exist (other HTTP 4xx). */
        BAD_REQUEST,
        /** The provider failed (HTTP 5xx). */
        SERVER_ERROR,
        /** No answer, or the stream stalled, within the timeout. */
        TIMEOUT,
        /** Anything else: connection failures, malformed streams. */
        OTHER
    }

    private final Reason reason;
    private final int statusCode;

    LlmException(Reason reason, int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.statusCode = statusCode;
    }

    /** The kind of failure. */
    public Reason reason() {
        return reason;
    }

    /** The HTTP status, or 0 if the failure had none. */
    public int statusCode() {
        return statusCode;
    }

    /** Classifies a failure reported by a LangChain4j model. */
    static LlmException of(Throwable error) {
        if (error instanceof LlmException e) {
            return e;
        }
        int status = 0;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpException h) {
                status = h.statusCode();
                break;
            }
        }
        Reason reason;
        if (error instanceof AuthenticationException) {
            reason = Reason.AUTHENTICATION;
        } else if (error instanceof RateLimitException) {
            reason = Reason.RATE_LIMITED;
        } else if (error instanceof InvalidRequestException || error instanceof ModelNotFoundException) {
            reason = Reason.BAD_REQUEST;
        } else if (error instanceof InternalServerException) {
            reason = Reason.SERVER_ERROR;
        } else if (error instanceof TimeoutException || error instanceof java.util.concurrent.TimeoutException) {
            reason = Reason.TIMEOUT;
        } else if (status == 401 || status == 403) {
            reason = Reason.AUTHENTICATION;
        } else if (status == 429) {
            reason = Reason.RATE_LIMITED;
        } else if (status >= 500) {
            reason = Reason.SERVER_ERROR;
        } else if (status >= 400) {
            reason = Reason.BAD_REQUEST;
        } else {
            reason = Reason.OTHER;
        }
        String detail = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new LlmException(reason, status, "model call failed (" + reason
                + (status > 0 ? ", HTTP " + status : "") + "): " + detail, error);
    }

    static LlmException timeout(String message) {
        return new LlmException(Reason.TIMEOUT, 0, message, null);
    }
}
