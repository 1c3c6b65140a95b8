package io.parley.transport.webrtc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link WebRtcEngine} gathers ICE candidates, encodes Opus, and how long it waits for
 * negotiation and for lost peers. Build one with {@link #builder()}.
 *
 * <p>TLS and CORS belong to the HTTP server that carries the signalling, so they are set there:
 * {@link WhipServer.Builder#tls} and {@link WhipHandler.Builder#allowOrigins}.
 *
 * @param iceServers            STUN/TURN servers; empty means host candidates only [empty]
 * @param minPort               lowest local UDP port for candidates, 0 for any [0]
 * @param maxPort               highest local UDP port for candidates, 0 for any [0]
 * @param tcp                   whether TCP candidates are gathered as well [false]
 * @param gatheringTimeout      longest wait for ICE gathering before the SDP is sent with the
 *                              candidates found so far [2 s]
 * @param negotiationTimeout    longest wait for each step of offer/answer inside libwebrtc [10 s]
 * @param opusDtx               discontinuous transmission both ways: during silence Opus sends
 *                              a packet every 400 ms instead of every 20 ms [true]
 * @param opusMaxAverageBitrate Opus target bitrate in bits/s both ways, 6000..510000, or 0 for
 *                              libwebrtc's default (32 kbit/s for mono voice) [0]
 * @param opusPtimeMillis       Opus packet duration both ways, 10, 20, 40 or 60 ms; longer
 *                              packets save header overhead and add latency [20]
 * @param consentTimeout        how long a connected peer may send nothing at all (no audio, no
 *                              RTCP, no ICE check) before its transport is closed as abandoned;
 *                              checked every 500 ms. A browser sends at least 2.5 packets/s even
 *                              with DTX during silence, so anything much over a second means it is
 *                              gone or cut off; shorter network outages recover, by themselves or
 *                              through an ICE restart [4 s]
 */
public record WebRtcConfig(
        List<IceServer> iceServers,
        int minPort,
        int maxPort,
        boolean tcp,
        Duration gatheringTimeout,
        Duration negotiationTimeout,
        boolean opusDtx,
        int opusMaxAverageBitrate,
        int opusPtimeMillis,
        Duration consentTimeout) {

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
        positive("consentTimeout", consentTimeout);
        if (opusMaxAverageBitrate != 0 && (opusMaxAverageBitrate < 6_000 || opusMaxAverageBitrate > 510_000)) {
            throw new IllegalArgumentException("opusMaxAverageBitrate must be 0 (default) or within 6000..510000 bit/s, was "
                    + opusMaxAverageBitrate);
        }
        if (opusPtimeMillis != 10 && opusPtimeMillis != 20 && opusPtimeMillis != 40 && opusPtimeMillis != 60) {
            throw new IllegalArgumentException("opusPtimeMillis must be 10, 20, 40 or 60, was " + opusPtimeMillis);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    /** Host candidates only, any port, UDP only, Opus with DTX at 20 ms packets. */
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
        private boolean opusDtx = true;
        private int opusMaxAverageBitrate;
        private int opusPtimeMillis = 20;
        private Duration consentTimeout = Duration.ofSeconds(4);

        private Builder() {
        }

        /** Adds a STUN or TURN server, used by the engine and advertised to WHIP clients. */
        public Builder addIceServer(IceServer server) {
            Checks.notNull(server, "server");
            iceServers.add(server);
            return this;
        }

        /** Restricts local candidate ports, e.g. to what a firewall or container publishes. */
        public Builder portRange(int minPort, int maxPort) {
            this.minPort = minPort;
            this.maxPort = maxPort;
            return this;
        }

        /** Whether TCP candidates are gathered too [false]. */
        public Builder tcp(boolean tcp) {
            this.tcp = tcp;
            return this;
        }

        /** Longest wait for ICE gathering [2 s]. */
        public Builder gatheringTimeout(Duration timeout) {
            Checks.notNull(timeout, "timeout");
            this.gatheringTimeout = timeout;
            return this;
        }

        /** Longest wait for each negotiation step inside libwebrtc [10 s]. */
        public Builder negotiationTimeout(Duration timeout) {
            Checks.notNull(timeout, "timeout");
            this.negotiationTimeout = timeout;
            return this;
        }

        /** Opus discontinuous transmission during silence [true]. */
        public Builder opusDtx(boolean dtx) {
            this.opusDtx = dtx;
            return this;
        }

        /** Opus target bitrate in bits/s, or 0 for libwebrtc's default [0]. */
        public Builder opusMaxAverageBitrate(int bitsPerSecond) {
            this.opusMaxAverageBitrate = bitsPerSecond;
            return this;
        }

        /** Opus packet duration: 10, 20, 40 or 60 ms [20]. */
        public Builder opusPtimeMillis(int millis) {
            this.opusPtimeMillis = millis;
            return this;
        }

        /** Silence from a connected peer after which it is released as abandoned [4 s]. */
        public Builder consentTimeout(Duration timeout) {
            Checks.notNull(timeout, "timeout");
            this.consentTimeout = timeout;
            return this;
        }

        public WebRtcConfig build() {
            return new WebRtcConfig(iceServers, minPort, maxPort, tcp, gatheringTimeout, negotiationTimeout,
                    opusDtx, opusMaxAverageBitrate, opusPtimeMillis, consentTimeout);
        }
    }
}
