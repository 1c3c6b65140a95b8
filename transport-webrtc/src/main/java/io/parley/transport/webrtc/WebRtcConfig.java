package io.parley.transport.webrtc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link WebRtcEngine} gathers ICE candidates and how long it waits for negotiation.
 * Build one with {@link #builder()}.
 *
 * @param iceServers         STUN/TURN servers; empty means host candidates only [empty]
 * @param minPort            lowest local UDP port for candidates, 0 for any [0]
 * @param maxPort            highest local UDP port for candidates, 0 for any [0]
 * @param tcp                whether TCP candidates are gathered as well [false]
 * @param gatheringTimeout   longest wait for ICE gathering before the SDP is sent with the
 *                           candidates found so far [2 s]
 * @param negotiationTimeout longest wait for each step of offer/answer inside libwebrtc [10 s]
 */
public record WebRtcConfig(
        List<IceServer> iceServers,
        int minPort,
        int maxPort,
        boolean tcp,
        Duration gatheringTimeout,
        Duration negotiationTimeout) {

    public WebRtcConfig {
        iceServers = List.copyOf(Objects.requireNonNull(iceServers, "iceServers"));
        if (minPort < 0 || minPort > 65_535 || maxPort < 0 || maxPort > 65_535) {
            throw new IllegalArgumentException("ports must be within 0..65535, were " + minPort + ".." + maxPort);
        }
        if ((minPort == 0) != (maxPort == 0)) {
            throw new IllegalArgumentException("set both minPort and maxPort, or neither; were " + minPort + ".." + maxPort);
        }
        if (minPort > maxPort) {
            throw new IllegalArgumentException("minPort " + minPort + " exceeds maxPort " + maxPort);
        }
        positive("gatheringTimeout", gatheringTimeout);
        positive("negotiationTimeout", negotiationTimeout);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** Host candidates only, any port, UDP only. */
    public static WebRtcConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link WebRtcConfig}. */
    public static final class Builder {
        private final List<IceServer> iceServers = new ArrayList<>();
        private int minPort;
        private int maxPort;
        private boolean tcp;
        private Duration gatheringTimeout = Duration.ofSeconds(2);
        private Duration negotiationTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        public Builder addIceServer(IceServer server) {
            iceServers.add(Objects.requireNonNull(server, "server"));
            return this;
        }

        /** Restricts local candidate ports, e.g. to what a firewall or container publishes. */
        public Builder portRange(int minPort, int maxPort) {
            this.minPort = minPort;
            this.maxPort = maxPort;
            return this;
        }

        public Builder tcp(boolean tcp) {
            this.tcp = tcp;
            return this;
        }

        public Builder gatheringTimeout(Duration timeout) {
            this.gatheringTimeout = timeout;
            return this;
        }

        public Builder negotiationTimeout(Duration timeout) {
            this.negotiationTimeout = timeout;
            return this;
        }

        public WebRtcConfig build() {
            return new WebRtcConfig(iceServers, minPort, maxPort, tcp, gatheringTimeout, negotiationTimeout);
        }
    }
}
