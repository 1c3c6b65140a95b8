package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.audio.AudioFormat;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.ForwardingClock;
import io.parley.testing.UserScript;
import io.parley.time.Clock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loopback load: many concurrent WebSocket sessions, text and voice (the test kit's scripted
 * recognizer, synthesizer and VAD), and not one message lost: every typed message comes back
 * as a turn and is in the history, every addressed turn gets exactly one answer, every voice
 * participant is transcribed, answered and hears the answer.
 *
 * <p>The suite runs a lean variant (20 text, 5 voice sessions). The full load is
 * {@code mvn -pl server test -Dtest=LoadTest -Dparley.load.text=200 -Dparley.load.voice=50}.
 */
class LoadTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final int MESSAGES = 4;

    /** The system clock with an origin that can be moved to "now", so scripted speech lines up with the test. */
    static final class OffsetClock extends ForwardingClock {
        private volatile long origin = System.nanoTime();

        OffsetClock() {
            super(Clock.system());
        }

        void zeroNow() {
            origin = delegate().nanoTime();
        }

        @Override
        public long nanoTime() {
            return super.nanoTime() - origin;
        }
    }

    @TempDir
    Path data;

    @Test
    void concurrentTextAndVoiceSessionsLoseNoMessage() throws Exception {
        int textSessions = Integer.getInteger("parley.load.text", 20);
        int voiceSessions = Integer.getInteger("parley.load.voice", 5);
        OffsetClock clock = new OffsetClock();
        // Every voice participant says this, between 1.0 s and 2.6 s after streaming starts. Voice
        // sessions answer every turn (no wake phrase): the scripted recognizer hears words by their
        // arrival time, and under full load the last ones can arrive after its window.
        UserScript script = new UserScript().say(1000, 1600, "status report please");
        SpeechProviders speech = new SpeechProviders(FakeStt.builder(clock, script).build(),
                FakeTts.builder(clock).build(), new FakeVad(500, Duration.ofMillis(100)));
        try (ParleyServer server = ParleyServer.builder().port(0).dataDir(data).speech(speech).clock(clock)
                .requestsPerMinute(10_000).start()) {
            Client admin = new Client(server.url(), server.adminToken());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<CompletableFuture<Client.Ws>> texts = new ArrayList<>();
            List<String> textIds = new ArrayList<>();
            List<Client> textUsers = new ArrayList<>();
            for (int i = 0; i < textSessions; i++) {
                Client u = admin.newUser("T" + i);
                String id = u.createSession("{\"mode\":\"text_only\",\"title\":\"load " + i + "\"}");
                textUsers.add(u);
                textIds.add(id);
                texts.add(CompletableFuture.supplyAsync(() -> u.connect(id, "text"), pool));
            }
            List<CompletableFuture<Client.Ws>> voices = new ArrayList<>();
            List<String> voiceIds = new ArrayList<>();
            for (int i = 0; i < voiceSessions; i++) {
                Client u = admin.newUser("V" + i);
                String id = u.createSession("{\"mode\":\"voice_browser\",\"wake_phrase\":\"\",\"title\":\"voice " + i + "\"}");
                voiceIds.add(id);
                voices.add(CompletableFuture.supplyAsync(() -> u.connect(id, "voice"), pool));
            }
            List<Client.Ws> textWs = new ArrayList<>();
            for (CompletableFuture<Client.Ws> f : texts) {
                textWs.add(f.get(60, TimeUnit.SECONDS));
            }
            List<Client.Ws> voiceWs = new ArrayList<>();
            for (CompletableFuture<Client.Ws> f : voices) {
                voiceWs.add(f.get(60, TimeUnit.SECONDS));
            }
            for (Client.Ws w : textWs) {
                w.await("welcome", d -> true, Duration.ofSeconds(60));
            }
            for (Client.Ws w : voiceWs) {
                w.await("welcome", d -> true, Duration.ofSeconds(60));
            }

            // Everyone at once: typists send their messages, voice participants stream 3.6 s of audio.
            clock.zeroNow();
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (int i = 0; i < textSessions; i++) {
                Client.Ws w = textWs.get(i);
                int n = i;
                work.add(CompletableFuture.runAsync(() -> {
                    for (int k = 0; k < MESSAGES; k++) {
                        w.text("{\"type\":\"text\",\"text\":\"" + (k % 2 == 0 ? "hey agent " : "") + "message " + k
                                + " of " + n + "\"}");
                    }
                }, pool));
            }
            // One thread per voice stream: each must run at real-time pace inside the script's window.
            ExecutorService voicePool = Executors.newFixedThreadPool(Math.max(1, voiceSessions));
            for (Client.Ws w : voiceWs) {
                work.add(CompletableFuture.runAsync(() -> stream(w, clock), voicePool));
            }
            for (CompletableFuture<Void> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }

            for (int i = 0; i < textSessions; i++) {
                Client.Ws w = textWs.get(i);
                for (int k = 0; k < MESSAGES; k++) {
                    String text = (k % 2 == 0 ? "hey agent " : "") + "message " + k + " of " + i;
                    w.await("message", d -> d.path("text").asText().equals(text), Duration.ofSeconds(60));
                }
                long answers = MESSAGES / 2 + MESSAGES % 2;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (w.all("agent_text").size() < answers && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(w.all("agent_text")).as("answers in text session %d", i).hasSize((int) answers);
                assertThat(w.all("error")).isEmpty();
            }
            for (int i = 0; i < voiceSessions; i++) {
                Client.Ws w = voiceWs.get(i);
                JsonNode turn = w.await("message", d -> d.path("spoken").asBoolean(), Duration.ofSeconds(60));
                assertThat("status report please").startsWith(turn.path("data").path("text").asText());
                assertThat(turn.path("data").path("text").asText()).startsWith("status");
                assertThat(turn.path("data").path("addressed").asBoolean()).isTrue();
                w.await("agent_text", d -> true, Duration.ofSeconds(60));
                w.await("agent_audio_end", d -> true, Duration.ofSeconds(60));
                assertThat(w.all("agent_audio")).isNotEmpty();
                assertThat(w.all("agent_text")).hasSize(1);
            }
            // And it is all in the database.
            for (int i = 0; i < textSessions; i++) {
                JsonNode h = textUsers.get(i).get("/api/voice-sessions/" + textIds.get(i) + "/history").json();
                assertThat(h.findValuesAsText("kind").stream().filter("user"::equals).count()).isEqualTo(MESSAGES);
                assertThat(h.findValuesAsText("kind").stream().filter("agent"::equals).count())
                        .isEqualTo(MESSAGES / 2 + MESSAGES % 2);
            }
            for (Client.Ws w : textWs) {
                w.close();
            }
            for (Client.Ws w : voiceWs) {
                w.close();
            }
            pool.shutdownNow();
            voicePool.shutdownNow();
        }
    }

    /** 3.6 s of 20 ms frames at real-time pace: a tone while the script speaks, silence around it. */
    private static void stream(Client.Ws w, OffsetClock clock) {
        int n = F.samplesFor(20);
        long start = System.nanoTime();
        for (int k = 0; k < 180; k++) {
            Client.sleepUntil(start + k * 20_000_000L);
            long t = clock.nanoTime();
            boolean speaking = t >= 1_000_000_000L && t < 2_600_000_000L;
            ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                b.putShort(speaking ? (short) (8000 * Math.sin(2 * Math.PI * 220 * i / F.sampleRate())) : 0);
            }
            w.audio(b.array());
        }
        // Done talking: as a push-to-talk release, so a turn still open when the audio stops ends now.
        w.text("{\"type\":\"audio_end\"}");
    }
}
