package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration values and SDP checked before anything native runs. */
class ValidationTest {

    @Test
    void transportSettingsRefuseFormatsLibwebrtcOrTheResamplerCannotHandle() {
        assertThatThrownBy(() -> TransportSettings.builder().outputFormat(new AudioFormat(22_050, 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputFormat");
        assertThatThrownBy(() -> TransportSettings.builder().outputFormat(new AudioFormat(16_000, 3)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportSettings.builder().inputFormat(new AudioFormat(32_000, 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inputFormat");
        assertThatThrownBy(() -> TransportSettings.builder().maxQueuedAudio(Duration.ofMillis(10)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransportSettings.builder().inboundBuffer(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TransportSettings.builder().format(new AudioFormat(48_000, 2)).build().inputFormat())
                .isEqualTo(new AudioFormat(48_000, 2));
    }

    @Test
    void webRtcConfigChecksPortsAndTimeouts() {
        assertThatThrownBy(() -> WebRtcConfig.builder().portRange(5000, 0).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebRtcConfig.builder().portRange(6000, 5000).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebRtcConfig.builder().portRange(1, 70_000).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebRtcConfig.builder().gatheringTimeout(Duration.ZERO).build()).isInstanceOf(IllegalArgumentException.class);
        WebRtcConfig c = WebRtcConfig.builder().portRange(40_000, 40_010).addIceServer(IceServer.stun("stun:stun.example.org:3478")).build();
        assertThat(c.iceServers()).hasSize(1);
        assertThat(c.tcp()).isFalse();
    }

    @Test
    void iceServersNeedKnownSchemesAndTurnCredentials() {
        assertThatThrownBy(() -> IceServer.stun("http://x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceServer.turn("turn:x:3478", "", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("username");
        assertThat(IceServer.turn("turn:x:3478", "u", "secret").toString()).doesNotContain("secret");
    }

    @Test
    void sdpChecksNameTheProblem() {
        assertThatThrownBy(() -> Sdp.requireValid("", "offer")).hasMessageContaining("empty");
        assertThatThrownBy(() -> Sdp.requireValid("v=0\r\nthis is not sdp\r\n", "offer")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> Sdp.requireValid("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", "offer")).hasMessageContaining("ice-ufrag");
        assertThatThrownBy(() -> Sdp.requireValid("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:x\r\n", "answer"))
                .hasMessageContaining("answer").hasMessageContaining("fingerprint");
        Sdp.requireValid("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:x\r\na=fingerprint:sha-256 AA\r\n", "offer");
    }
}
