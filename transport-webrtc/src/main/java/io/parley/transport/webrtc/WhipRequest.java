package io.parley.transport.webrtc;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The parts of an HTTP request {@link WhipHandler} looks at, so that any HTTP server can feed
 * it: Javalin through {@link WhipRoutes} (which {@link WhipServer} uses too), a servlet
 * container, a proxy of the application's own.
 *
 * @param method  HTTP method, upper case
 * @param path    request path without query, e.g. {@code /whip/abc}
 * @param headers request headers; names are matched case-insensitively, one value each
 *                ({@code Authorization}, {@code Content-Type}, {@code If-Match}, {@code Origin},
 *                {@code Access-Control-Request-Method} are read)
 * @param body    the request body; the server should stop reading past
 *                {@link WhipHandler#maxBodyBytes()} and pass what it read, which the handler
 *                then refuses with 413
 */
public record WhipRequest(String method, String path, Map<String, String> headers, byte[] body) {

    public WhipRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(headers, "headers");
        Map<String, String> lower = new HashMap<>();
        headers.forEach((k, v) -> {
            if (k != null && v != null) {
                lower.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body;
    }

    /** The value of header {@code name} (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
