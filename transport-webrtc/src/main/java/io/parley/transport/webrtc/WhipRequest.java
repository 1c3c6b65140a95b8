package io.parley.transport.webrtc;

import java.util.Objects;

/**
 * The parts of an HTTP request {@link WhipHandler} looks at, so that any HTTP server can feed it.
 *
 * @param method        HTTP method, upper case
 * @param path          request path without query, e.g. {@code /whip/abc}
 * @param authorization the {@code Authorization} header, or null
 * @param contentType   the {@code Content-Type} header, or null
 * @param body          the request body; the server should stop reading past
 *                      {@link WhipHandler#maxBodyBytes()} and pass what it read, which the
 *                      handler then refuses with 413
 */
public record WhipRequest(String method, String path, String authorization, String contentType, byte[] body) {

    public WhipRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        body = body == null ? new byte[0] : body;
    }
}
