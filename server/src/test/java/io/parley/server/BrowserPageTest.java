package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.audio.AudioClip;
import io.parley.audio.Wav;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser page in headless Chromium with a fake microphone playing a real recording: the
 * page signs in with its token, opens the session, turns the microphone on and streams over
 * the WebSocket protocol; another participant sees the browser user's attributed transcript
 * and the agent's answer to it.
 */
class BrowserPageTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path data;

    @Test
    void pageStreamsTheMicrophoneAndTheAgentAnswers() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(CHROMIUM + " is missing (bin/setup-deps installs chromium)");
            }
            Assumptions.abort(CHROMIUM + " is missing");
        }
        SpeechProviders speech = GroupVoiceSessionTest.offlineSpeech();
        AudioClip clip = GroupVoiceSessionTest.recording("goforward.raw");
        Path wav = data.resolve("mic.wav");
        AudioClip padded = AudioClip.silence(clip.format(), Duration.ofMillis(500)).append(clip)
                .append(AudioClip.silence(clip.format(), Duration.ofMillis(2500)));
        Wav.write(wav, padded);
        Path profile = Files.createTempDirectory("parley-server-chromium");
        try (ParleyServer server = ParleyServer.builder().port(0).dataDir(data.resolve("db")).speech(speech).sessionConfig(GroupVoiceSessionTest.patientConfig()).start()) {
            Client admin = new Client(server.url(), server.adminToken());
            Client bea = admin.newUser("Bea");
            Client tom = admin.newUser("Tom");
            String id = bea.createSession("{\"title\":\"Browser\",\"mode\":\"voice_browser\",\"wake_phrase\":\"go forward\"}");
            tom.post("/api/voice-sessions/" + id + "/join", null);
            Client.Ws tomWs = tom.connect(id, "text");
            tomWs.await("welcome", d -> true, Duration.ofSeconds(10));
            String page = server.url() + "?session=" + id + "&mic=on#token=" + bea.token;
            Process chromium = new ProcessBuilder(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--user-data-dir=" + profile, "--use-fake-device-for-media-stream",
                    "--use-file-for-fake-audio-capture=" + wav, "--use-fake-ui-for-media-stream",
                    "--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=0", page))
                    .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                    .start();
            try {
                tomWs.await("participant_joined", d -> d.path("name").asText().equals("Bea")
                        && d.path("kind").asText().equals("voice"), Duration.ofSeconds(60));
                tomWs.await("message", d -> d.path("speaker").asText().equals("Bea") && d.path("spoken").asBoolean(),
                        Duration.ofSeconds(60));
                tomWs.await("agent_text", d -> d.path("in_reply_to").asText().equals("Bea"), Duration.ofSeconds(60));
                // A CI run once heard a first turn of only "go forward" (not addressed: the phrase alone
                // arms the speaker, and the fake microphone loops the file); what counts is that Bea's
                // words reach the agent and it answers them.
                List<JsonNode> turns = tomWs.all("message").stream().map(m -> m.path("data"))
                        .filter(d -> d.path("speaker").asText().equals("Bea") && d.path("spoken").asBoolean()).toList();
                String seen = "transcripts " + tomWs.all("transcription") + ", turns " + turns;
                String said = turns.stream().map(d -> d.path("text").asText().toLowerCase()).reduce((a, b) -> a + " " + b).orElse("");
                assertThat(said).as(seen).startsWith("go forward");
                assertThat(turns).as(seen).anySatisfy(d -> assertThat(d.path("addressed").asBoolean()).isTrue());
                assertThat(tomWs.all("transcription")).allSatisfy(t ->
                        assertThat(t.path("data").path("speaker").asText()).isEqualTo("Bea"));
                JsonNode parts = bea.get("/api/voice-sessions/" + id + "/participants").json();
                assertThat(parts.findValuesAsText("name")).contains("Bea", "Tom");
            } finally {
                chromium.descendants().forEach(ProcessHandle::destroyForcibly);
                chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                tomWs.close();
            }
        } finally {
            try (Stream<Path> s = Files.walk(profile)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // Chromium may still be removing its own files; the next walk is not ours.
                    }
                });
            }
            Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
        }
    }
}
