package io.parley.transport.webrtc;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of WHIP in Java: offers (audio both ways and the {@code parley-events} data
 * channel, so {@link WebRtcTransport#onMessage} receives the server's session events), posts the
 * offer to a WHIP endpoint, applies the answer, and deletes the session resource when the
 * transport closes. Useful for Java peers, bridges and load tests.
 */
public final class WhipClient {

    private static final Logger LOG = LoggerFactory.getLogger(WhipClient.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final WebRtcEngine engine;
    private final HttpClient http;
    private final String bearerToken;
    private final Duration timeout;

    /**
     * A client that waits up to 10 s for the endpoint to answer each request.
     *
     * @param bearerToken sent as {@code Authorization: Bearer <token>}
     */
    public WhipClient(WebRtcEngine engine, String bearerToken) {
        this(engine, bearerToken, DEFAULT_TIMEOUT);
    }

    /**
     * A client that waits up to {@code timeout} for the endpoint to connect and answer each
     * request: an endpoint may do real work before it answers an offer (Parley's server opens
     * the participant's recognizer, which loads its model, on the offer's thread).
     *
     * @param bearerToken sent as {@code Authorization: Bearer <token>}
     * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
     */
    public WhipClient(WebRtcEngine engine, String bearerToken, Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        this.bearerToken = Objects.requireNonNull(bearerToken, "bearerToken");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * Creates a session at {@code endpoint} and returns its transport, negotiated but possibly
     * not connected yet (see {@link WebRtcTransport#awaitConnected}).
     *
     * @throws SessionException ({@link ErrorCode#TRANSPORT_ERROR}) if the endpoint refuses or cannot be reached
     */
    public WebRtcTransport connect(URI endpoint, TransportSettings settings) {
        WebRtcTransport transport = engine.offer(settings);
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(endpoint)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + bearerToken)
                    .header("Content-Type", "application/sdp")
                    .POST(HttpRequest.BodyPublishers.ofString(transport.localDescription()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 201) {
                throw new SessionException(ErrorCode.TRANSPORT_ERROR, "WHIP endpoint " + endpoint + " answered "
                        + res.statusCode() + ": " + res.body().strip(), null, res.statusCode() >= 500);
            }
            String location = res.headers().firstValue("Location").orElseThrow(() -> new SessionException(
                    ErrorCode.TRANSPORT_ERROR, "WHIP endpoint " + endpoint + " sent 201 without a Location header"));
            URI resource = endpoint.resolve(location);
            transport.onClose(() -> delete(resource));
            transport.acceptAnswer(res.body());
            return transport;
        } catch (IOException e) {
            transport.close();
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "could not reach WHIP endpoint " + endpoint, e);
        } catch (InterruptedException e) {
            transport.close();
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "interrupted while posting the offer", e);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    private void delete(URI resource) {
        try {
            HttpResponse<Void> res = http.send(HttpRequest.newBuilder(resource)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + bearerToken)
                    .DELETE().build(), HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() != 200 && res.statusCode() != 404) {
                LOG.warn("WHIP DELETE {} answered {}", resource, res.statusCode());
            }
        } catch (IOException e) {
            LOG.warn("WHIP DELETE {} failed; the server ends the session when ICE times out", resource, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted during WHIP DELETE {}", resource);
        }
    }
}
