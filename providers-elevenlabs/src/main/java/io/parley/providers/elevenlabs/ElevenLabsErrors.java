package io.parley.providers.elevenlabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Maps ElevenLabs failures to {@link SessionException}s: websocket error frames
 * ({@code {"message","error","code"}}), close codes, and HTTP {@code {"detail": ...}} bodies.
 * Retryable per ElevenLabs' guidance: 429 and 5xx, an input timeout (reconnect), not
 * 401/403/404/422.
 */
final class ElevenLabsErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ElevenLabsErrors() {
    }

    /** Code for an {@code error} / {@code detail.status} string, or null when unknown. */
    static ErrorCode codeFor(String status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case "invalid_api_key", "unauthorized", "auth_error", "quota_exceeded", "only_for_creator+", "payment_required",
                    "detected_unusual_activity", "unaccepted_terms_error" -> ErrorCode.PROVIDER_AUTH;
            case "invalid_input_message", "invalid_request", "max_character_limit_exceeded", "voice_not_found",
                    "model_not_found", "input_error", "invalid_output_format" -> ErrorCode.PROVIDER_BAD_REQUEST;
            case "too_many_concurrent_requests", "system_busy", "rate_limited", "rate_limit_error" -> ErrorCode.PROVIDER_RATE_LIMITED;
            // The socket idled past inactivity_timeout: a new socket (or a keep-alive in time) fixes it.
            case "input_timeout_exceeded" -> ErrorCode.TTS_ERROR;
            default -> null;
        };
    }

    /** An error frame; {@code closeCode} is the frame's {@code code} (the close code that follows). */
    static SessionException fromErrorFrame(String error, String message, int closeCode) {
        ErrorCode ec = codeFor(error);
        if (ec == null) {
            ec = closeCode == 1009 ? ErrorCode.PROVIDER_BAD_REQUEST : ErrorCode.TTS_ERROR;
        }
        StringBuilder m = new StringBuilder("ElevenLabs error");
        if (error != null) {
            m.append(' ').append(error);
        }
        if (closeCode > 0) {
            m.append(" (close ").append(closeCode).append(')');
        }
        if (message != null && !message.isBlank()) {
            m.append(": ").append(message);
        }
        return new SessionException(ec, m.toString());
    }

    /**
     * A close frame that no error frame explained. ElevenLabs puts the error message in the
     * reason; 1009 means the voice and model do not fit together.
     */
    static SessionException fromClose(int code, String reason) {
        ErrorCode ec = switch (code) {
            case 1008, 1009, 1007 -> ErrorCode.PROVIDER_BAD_REQUEST;
            case 1002, 1003 -> ErrorCode.PROVIDER_PROTOCOL;
            case 1000, 1001, 1006, 1011, 1012, 1013 -> ErrorCode.PROVIDER_CONNECTION;
            default -> ErrorCode.TTS_ERROR;
        };
        String r = reason == null || reason.isBlank() ? "" : ": " + reason;
        if (code == 1008 && reason != null && reason.contains("timeout")) {
            // The documented input-timeout close; reconnecting helps.
            ec = ErrorCode.TTS_ERROR;
        }
        return new SessionException(ec, "ElevenLabs closed the socket with " + code + r);
    }

    /** A failed HTTP call or websocket upgrade; reads (and closes) the body. */
    static SessionException fromResponse(String endpoint, Response response) {
        String body = "";
        ResponseBody rb = response.body();
        if (rb != null) {
            try {
                body = rb.string();
            } catch (IOException e) {
                body = "(body unreadable: " + e.getMessage() + ")";
            }
        }
        String concurrency = response.header("current-concurrent-requests") == null ? ""
                : " [concurrent requests " + response.header("current-concurrent-requests") + " of "
                + response.header("maximum-concurrent-requests") + "]";
        return fromHttp(endpoint, response.code(), body, concurrency);
    }

    static SessionException fromHttp(String endpoint, int status, String body, String suffix) {
        String detailStatus = null;
        String message = null;
        try {
            JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
            JsonNode detail = n == null ? null : n.get("detail");
            if (detail != null && detail.isObject()) {
                detailStatus = text(detail, "status");
                message = text(detail, "message");
            } else if (detail != null && detail.isArray()) {
                // FastAPI validation errors (422): name each offending field.
                StringBuilder sb = new StringBuilder();
                for (JsonNode item : detail) {
                    if (sb.length() > 0) {
                        sb.append("; ");
                    }
                    StringBuilder loc = new StringBuilder();
                    for (JsonNode part : item.path("loc")) {
                        if (loc.length() > 0) {
                            loc.append('.');
                        }
                        loc.append(part.asText());
                    }
                    sb.append(loc).append(": ").append(item.path("msg").asText()).append(" (").append(item.path("type").asText()).append(')');
                }
                detailStatus = "validation_error";
                message = sb.toString();
            } else if (detail != null && detail.isTextual()) {
                message = detail.asText();
            }
        } catch (IOException notJson) {
            message = body;
        }
        if (message == null) {
            message = body;
        }
        ErrorCode ec = codeFor(detailStatus);
        if (ec == null || status == 429 || status >= 500) {
            ec = codeForStatus(status);
        }
        StringBuilder m = new StringBuilder("ElevenLabs ").append(endpoint).append(" failed: HTTP ").append(status);
        if (detailStatus != null) {
            m.append(' ').append(detailStatus);
        }
        if (message != null && !message.isBlank()) {
            m.append(": ").append(message.strip());
        }
        m.append(suffix);
        return new SessionException(ec, m.toString());
    }

    static ErrorCode codeForStatus(int status) {
        if (status == 401 || status == 402 || status == 403) {
            return ErrorCode.PROVIDER_AUTH;
        }
        if (status == 429) {
            return ErrorCode.PROVIDER_RATE_LIMITED;
        }
        if (status == 408 || status >= 500) {
            return ErrorCode.PROVIDER_CONNECTION;
        }
        if (status >= 400) {
            return ErrorCode.PROVIDER_BAD_REQUEST;
        }
        return ErrorCode.PROVIDER_PROTOCOL;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
