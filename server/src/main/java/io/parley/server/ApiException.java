package io.parley.server;

/** A request the API refuses: an HTTP status, a machine-readable code and a message for people. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    static ApiException tooLarge(String message) {
        return new ApiException(413, "too_large", message);
    }

    static ApiException tooMany(String message) {
        return new ApiException(429, "rate_limited", message);
    }
}
