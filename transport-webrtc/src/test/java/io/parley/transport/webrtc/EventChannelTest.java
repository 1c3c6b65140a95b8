package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.UserScript;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real session behind WHIP, observed by a Java WHIP client through the {@code parley-events}
 * data channel: the events match what the session did, and the client's commands act on it.
 */
class EventChannelTest {

    private static final String TOKEN = "events-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static WebRtcEngine engine;
    private static WhipServer server;
    private static final CompletableFuture<VoiceSession> session = new CompletableFuture<>();
    private static final CompletableFuture<WebRtcTransport> serverSide = new CompletableFuture<>();

    @BeforeAll
    static void start() {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
        engine = WebRtcEngine.start(WebRtcConfig.defaults());
        server = WhipServer.builder().whip(WhipHandler.builder().engine(engine).bearerToken(TOKEN)
                .onSession(t -> {
                    VoiceSession s = VoiceSession.builder()
                            .stt(FakeStt.builder(Clock.system(), new UserScript()).build())
                            .tts(FakeTts.builder(Clock.system()).build())
                            .vad(new FakeVad())
                            .agent((ctx, text) -> "You said " + text)
                            .transport(t)
                            .build();
                    EventChannel.attach(s, t);
                    s.startAsync().thenRun(() -> s.say("Welcome aboard."));
                    serverSide.complete(t);
                    session.complete(s);
                }).build()).start();
    }

    @AfterAll
    static void stop() {
        session.thenAccept(VoiceSession::stop);
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void clientSeesTheGreetingItsTypedTurnTheReplyAndItsCommandsWork() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (WebRtcTransport client = new WhipClient(engine, TOKEN).connect(server.whipUri(), TransportSettings.defaults())) {
            client.onMessage(text -> {
                try {
                    events.add(JSON.readTree(text));
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + text, e);
                }
            });
            client.start(new Recorder());
            VoiceSession s = session.get(10, TimeUnit.SECONDS);
            // The greeting was said before the channel opened; it arrives once it does.
            awaitEvent(events, e -> e.path("type").asText().equals("playback") && e.path("kind").asText().equals("FINISHED")
                    && e.path("text").asText().equals("Welcome aboard."));

            JsonNode said = awaitEvent(events, e -> e.path("type").asText().equals("agent") && e.path("turn").asLong() == 0);
            assertThat(said.path("text").asText()).isEqualTo("Welcome aboard.");

            client.sendMessage("{\"type\":\"text\",\"text\":\"what time is it\"}");
            JsonNode finished = awaitEvent(events, e -> e.path("type").asText().equals("playback")
                    && e.path("kind").asText().equals("FINISHED") && e.path("turn").asLong() > 0);
            JsonNode turn = events.stream().filter(e -> e.path("type").asText().equals("turn")).findFirst().orElseThrow();
            assertThat(turn.path("text").asText()).isEqualTo("what time is it");
            assertThat(turn.path("typed").asBoolean()).isTrue();
            assertThat(finished.path("text").asText()).isEqualTo("You said what time is it");
            assertThat(finished.path("turn").asLong()).isEqualTo(turn.path("turn").asLong());
            String generated = events.stream().filter(e -> e.path("type").asText().equals("agent")
                    && e.path("turn").asLong() == turn.path("turn").asLong() && e.path("speech").asLong() == finished.path("speech").asLong()).map(e -> e.path("text").asText()).reduce("", String::concat);
            assertThat(generated).isEqualTo("You said what time is it");
            assertThat(s.history()).extracting(h -> h.text()).contains("what time is it", "You said what time is it");
            // Sequence numbers are gapless and in order: nothing was lost or reordered.
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).path("seq").asLong()).isEqualTo(i + 1);
            }

            WebRtcTransport agentSide = serverSide.get();
            client.sendMessage("{\"type\":\"control\",\"action\":\"mute\"}");
            awaitTrue(agentSide::isInputMuted);
            client.sendMessage("{\"type\":\"control\",\"action\":\"unmute\"}");
            awaitTrue(() -> !agentSide.isInputMuted());
            client.sendMessage("{\"type\":\"dance\"}");
            JsonNode refused = awaitEvent(events, e -> e.path("code").asText().equals("BAD_MESSAGE"));
            assertThat(refused.path("message").asText()).contains("dance");
            client.sendMessage("not json");
            awaitEvent(events, e -> e.path("code").asText().equals("BAD_MESSAGE") && e.path("message").asText().startsWith("not JSON"));
        }
    }

    private static JsonNode awaitEvent(List<JsonNode> events, Predicate<JsonNode> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            for (JsonNode e : events) {
                if (p.test(e)) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such event within 15 s; got " + events);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
