package io.parley.providers.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.io.IOException;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Turns Deepgram's failure signals (handshake HTTP status with {@code err_code}/{@code err_msg}
 * body and {@code dg-error} header, websocket close codes) into {@link SessionException}s whose
 * retryability follows Deepgram's guidance: 408, 429, 499 and 5xx are worth retrying; 400, 401,
 * 402 and 403 are not.
 */
final class DeepgramErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeepgramErrors() {
    }

    /** A failed websocket upgrade, or a failed REST call; reads (and closes) the body. */
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
        return fromHttp(endpoint, response.code(), body, response.header("dg-error"), response.header("dg-request-id"));
    }

    /** Maps an HTTP status plus Deepgram's JSON error body to a typed error. */
    static SessionException fromHttp(String endpoint, int status, String body, String dgError, String requestId) {
        String errCode = null;
        String errMsg = null;
        try {
            JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (n != null && n.isObject()) {
                // 503 bodies spell the code "error_code"; all others "err_code".
                errCode = text(n, "err_code", text(n, "error_code", null));
                errMsg = text(n, "err_msg", null);
                if (requestId == null) {
                    requestId = text(n, "request_id", null);
                }
            }
        } catch (IOException notJson) {
            errMsg = body;
        }
        if (errMsg == null) {
            errMsg = dgError != null ? dgError : body;
        }
        StringBuilder m = new StringBuilder("Deepgram ").append(endpoint).append(" failed: HTTP ").append(status);
        if (errCode != null) {
            m.append(' ').append(errCode);
        }
        if (errMsg != null && !errMsg.isBlank()) {
            m.append(": ").append(errMsg.strip());
        }
        if (requestId != null) {
            m.append(" (request_id ").append(requestId).append(')');
        }
        return new SessionException(codeForStatus(status), m.toString());
    }

    static ErrorCode codeForStatus(int status) {
        if (status == 401 || status == 402 || status == 403) {
            return ErrorCode.PROVIDER_AUTH;
        }
        if (status == 429) {
            return ErrorCode.PROVIDER_RATE_LIMITED;
        }
        if (status == 408 || status == 499 || status >= 500) {
            return ErrorCode.PROVIDER_CONNECTION;
        }
        if (status >= 400) {
            return ErrorCode.PROVIDER_BAD_REQUEST;
        }
        // A 1xx/2xx/3xx answer to an upgrade request means something between us and Deepgram is not speaking websocket.
        return ErrorCode.PROVIDER_PROTOCOL;
    }

    /**
     * A close frame Deepgram sent on its own initiative. 1008 (DATA-xxxx: undecodable audio,
     * invalid command) and 1009 (message too big) mean the client must change what it sends;
     * 1003 means it sent something the protocol does not allow.
     */
    static SessionException fromClose(String endpoint, int code, String reason, ErrorCode fallback) {
        String what = "Deepgram " + endpoint + " closed the socket: " + code + (reason == null || reason.isBlank() ? "" : " " + reason);
        ErrorCode ec = switch (code) {
            case 1008, 1009 -> ErrorCode.PROVIDER_BAD_REQUEST;
            case 1003 -> ErrorCode.PROVIDER_PROTOCOL;
            case 1011, 1006, 1001 -> ErrorCode.PROVIDER_CONNECTION;
            default -> fallback;
        };
        return new SessionException(ec, what);
    }

    /**
     * A {@code {"type":"Error"}} message on a live socket. Deepgram does not document its
     * variants, so only what the words say is used: credentials and quota are fatal, a
     * malformed request needs a change by the caller, anything else may pass on retry.
     */
    static SessionException fromErrorMessage(String endpoint, String description, String message, String variant) {
        String all = (description + " " + message + " " + variant).toLowerCase(java.util.Locale.ROOT);
        ErrorCode code;
        if (all.contains("auth") || all.contains("credential") || all.contains("api key") || all.contains("quota")
                || all.contains("insufficient")) {
            code = ErrorCode.PROVIDER_AUTH;
        } else if (all.contains("rate") && all.contains("limit")) {
            code = ErrorCode.PROVIDER_RATE_LIMITED;
        } else if (all.contains("invalid") || all.contains("bad request") || all.contains("unsupported")) {
            code = ErrorCode.PROVIDER_BAD_REQUEST;
        } else {
            code = fallbackFor(endpoint);
        }
        java.util.StringJoiner parts = new java.util.StringJoiner("; ", ": ", "").setEmptyValue("");
        for (String part : new String[] {description, message, variant}) {
            if (!part.isBlank()) {
                parts.add(part);
            }
        }
        return new SessionException(code, "Deepgram " + endpoint + " reported an error" + parts);
    }

    private static ErrorCode fallbackFor(String endpoint) {
        return endpoint.contains("speak") ? ErrorCode.TTS_ERROR : ErrorCode.STT_ERROR;
    }

    private static String text(JsonNode n, String field, String dflt) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.asText() : dflt;
    }
}
