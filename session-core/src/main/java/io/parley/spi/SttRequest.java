package io.parley.spi;

import io.parley.audio.AudioFormat;
import java.time.Duration;
import java.util.Objects;

/**
 * What a session asks of a speech-to-text stream.
 *
 * @param sessionId         the session, for logs and provider-side correlation
 * @param format            format of the audio that will be written
 * @param keepAliveInterval how often to keep the connection alive while no audio flows;
 *                          {@link Duration#ZERO} when the session disabled keep-alive
 * @param language          BCP-47 language hint, or empty for the provider's default
 */
public record SttRequest(String sessionId, AudioFormat format, Duration keepAliveInterval, String language) {
    public SttRequest {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
        Objects.requireNonNull(language, "language");
    }
}
