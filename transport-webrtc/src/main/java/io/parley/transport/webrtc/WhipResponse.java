package io.parley.transport.webrtc;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link WhipHandler} answers: status, extra headers and a body with its content type.
 *
 * @param status      HTTP status code
 * @param headers     headers to set besides Content-Type, e.g. {@code Location}; a header with
 *                    several values ({@code Link}) holds them comma-separated, as HTTP allows
 * @param contentType content type of the body, or null when there is none
 * @param body        response body, possibly empty
 */
public record WhipResponse(int status, Map<String, String> headers, String contentType, byte[] body) {

    public WhipResponse {
        headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
        body = body == null ? new byte[0] : body;
    }

    static WhipResponse text(int status, String message, Map<String, String> headers) {
        return new WhipResponse(status, headers, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static WhipResponse text(int status, String message) {
        return text(status, message, Map.of());
    }

    /** This response with {@code extra} headers added (replacing any of the same name). */
    WhipResponse withHeaders(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(extra);
        return new WhipResponse(status, all, contentType, body);
    }

    /** The value of header {@code name} (exact case as set by the handler), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
