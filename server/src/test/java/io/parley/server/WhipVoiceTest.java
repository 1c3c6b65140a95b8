package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.TransportListener;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcConfig;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;
import io.parley.transport.webrtc.WhipClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A participant speaking over WebRTC (WHIP, authenticated with their user token) in a group
 * session: a real recording goes in through transport-webrtc's client, the other participant
 * sees the attributed turn and the agent's answer, and the WebRTC participant hears it.
 */
class WhipVoiceTest {

    @TempDir
    Path data;

    @Test
    void webRtcParticipantIsTranscribedAnsweredAndHearsTheAgent() throws Exception {
        SpeechProviders speech = GroupVoiceSessionTest.offlineSpeech();
        AudioClip clip = GroupVoiceSessionTest.recording("goforward.raw");
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
             ParleyServer server = ParleyServer.builder().port(0).dataDir(data).speech(speech).sessionConfig(GroupVoiceSessionTest.patientConfig()).webRtc(engine).start()) {
            Client admin = new Client(server.url(), server.adminToken());
            Client ann = admin.newUser("Ann");
            Client tom = admin.newUser("Tom");
            String id = ann.createSession("{\"title\":\"WebRTC\",\"mode\":\"voice_browser\",\"wake_phrase\":\"go forward\"}");
            tom.post("/api/voice-sessions/" + id + "/join", null);
            Client.Ws tomWs = tom.connect(id, "text");
            tomWs.await("welcome", d -> true, Duration.ofSeconds(10));
            URI whip = server.url().resolve("/api/voice-sessions/" + id + "/whip");

            // A wrong token is refused before any WebRTC work.
            assertThat(admin.as("pk_nobody").send("POST", "/api/voice-sessions/" + id + "/whip", "v=0").status())
                    .isEqualTo(401);
            Client eve = admin.newUser("Eve");
            assertThat(eve.send("POST", "/api/voice-sessions/" + id + "/whip", "v=0").status()).isEqualTo(404);

            // The server answers the offer once the participant's recognizer has loaded its
            // model, which on a loaded 2-core machine (CI, beside the rest of the suite) took
            // over the client's default 10 s once; the WebSocket tests allow 30 s for the same.
            WebRtcTransport peer = new WhipClient(engine, ann.token, Duration.ofSeconds(30))
                    .connect(whip, TransportSettings.builder().format(AudioFormat.PCM_16K_MONO).build());
            AtomicLong loudHeard = new AtomicLong();
            peer.start(new TransportListener() {
                @Override
                public void onAudio(AudioFrame frame) {
                    for (int i = 0; i < frame.length(); i++) {
                        if (Math.abs(frame.samples()[i]) > 1000) {
                            loudHeard.incrementAndGet();
                        }
                    }
                }

                @Override
                public void onError(SessionException error) {
                }
            });
            assertThat(peer.awaitConnected(Duration.ofSeconds(20))).isTrue();
            tomWs.await("participant_joined", d -> d.path("name").asText().equals("Ann")
                    && d.path("kind").asText().equals("voice"), Duration.ofSeconds(30));
            AudioClip all = AudioClip.silence(clip.format(), Duration.ofMillis(500)).append(clip)
                    .append(AudioClip.silence(clip.format(), Duration.ofMillis(2500)));
            peer.send(new AudioFrame(all.format(), all.samples(), 0));

            JsonNode turn = tomWs.await("message", d -> d.path("speaker").asText().equals("Ann")
                    && d.path("spoken").asBoolean(), Duration.ofSeconds(60));
            // "go forward ten meters" through Opus and PocketSphinx; the recognizer may add a word
            // ("go for forward ten meters"), so the test asks for the words that carry the meaning.
            String text = turn.path("data").path("text").asText().toLowerCase();
            if (!text.contains("forward") || !text.contains("ten")) {
                // Tell a split turn from a misheard one: the rest of the words in a later turn of Ann's.
                try {
                    tomWs.await("message", d -> d.path("speaker").asText().equals("Ann")
                            && d.path("text").asText().contains("ten"), Duration.ofSeconds(10));
                } catch (AssertionError none) {
                    // Misheard, or lost: the description below shows which.
                }
            }
            assertThat(text)
                    .as("Ann's first spoken turn. A later turn of Ann's with the rest means it was split: a stall in"
                            + " Ann's sending (its pacer, on this JVM, fell over 100 ms behind %d times) reaches the"
                            + " server as silence played by its jitter buffer. All messages seen by Tom: %s",
                            engine.pacerResyncs(), tomWs.all("message"))
                    .contains("forward").contains("ten");
            tomWs.await("agent_text", d -> d.path("in_reply_to").asText().equals("Ann"), Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (loudHeard.get() < 8_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(loudHeard.get()).as("loud samples of the agent's voice heard over WebRTC").isGreaterThan(8_000);

            peer.close();
            tomWs.await("participant_left", d -> d.path("name").asText().equals("Ann"), Duration.ofSeconds(20));
            tomWs.close();
        }
    }
}
