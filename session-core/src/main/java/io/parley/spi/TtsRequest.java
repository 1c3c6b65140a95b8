package io.parley.spi;

import io.parley.audio.AudioFormat;
import java.util.Objects;

/**
 * What a session asks of a text-to-speech stream.
 *
 * @param sessionId the session, for logs and provider-side correlation
 * @param format    the format audio must be delivered in (the transport's output format)
 * @param voice     provider-specific voice id, or empty for the provider's configured default
 */
public record TtsRequest(String sessionId, AudioFormat format, String voice) {
    public TtsRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(voice, "voice");
    }
}
