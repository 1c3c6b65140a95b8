package io.parley.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.session.DtmfEvent;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionConfig;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.VoiceSession;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.UserScript;
import io.parley.transport.websocket.twilio.TwiML;
import io.parley.transport.websocket.twilio.TwilioSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls over real loopback sockets and real threads, with jittered sends and late mark echoes. */
class LoopbackTest {

    private static final String TOKEN = "12345-auth-token";
    private static final String PUBLIC = "https://voice.example.com";

    private final OffsetClock clock = new OffsetClock();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final Map<String, UserScript> scripts = new ConcurrentHashMap<>();
    private final Map<String, VoiceSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, List<PlaybackEvent>> playbacks = new ConcurrentHashMap<>();
    private final Map<String, List<String>> turns = new ConcurrentHashMap<>();
    private TelephonyServer server;

    @BeforeEach
    void startServer() {
        CallHandler handler = this::answer;
        server = TelephonyRoutes.builder()
                .stream("/twilio", MediaStreamProtocol.twilio(), handler)
                .stream("/telnyx", MediaStreamProtocol.telnyx(), handler)
                .stream("/pcm", MediaStreamProtocol.pcm(), handler)
                .twilioWebhook("/voice", form -> TwiML.connectStream("wss://voice.example.com/twilio")
                        .parameter("caller", form.getOrDefault("From", "")))
                .twilioAuthToken(TOKEN, PUBLIC)
                .settings(StreamSettings.defaults().withClock(clock))
                .build()
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        server.close();
        timer.shutdownNow();
    }

    private final List<Character> digits = new CopyOnWriteArrayList<>();

    private VoiceSession answer(MediaStreamTransport call) {
        String id = call.call().streamId();
        UserScript script = scripts.getOrDefault(id, new UserScript());
        List<PlaybackEvent> events = new CopyOnWriteArrayList<>();
        List<String> userTurns = new CopyOnWriteArrayList<>();
        playbacks.put(id, events);
        turns.put(id, userTurns);
        VoiceSession[] self = new VoiceSession[1];
        VoiceSession s = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId(id).build())
                .transport(call)
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, script).build())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).reply("It is noon.").build())
                .listener(new SessionListener() {
                    @Override
                    public void onPlayback(PlaybackEvent e) {
                        events.add(e);
                    }

                    @Override
                    public void onUserTurn(long turnId, String text) {
                        userTurns.add(text);
                    }

                    @Override
                    public void onDtmf(DtmfEvent e) {
                        digits.add(e.digit());
                    }

                    @Override
                    public void onStateChanged(StateChange c) {
                        if (call.call().protocol().equals("pcm") && c.from() == SessionState.INITIAL) {
                            self[0].say("Hello.");
                        }
                    }
                })
                .build();
        self[0] = s;
        sessions.put(id, s);
        return s;
    }

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    private static String upgradeSignature() {
        return TwilioSignature.of(TOKEN).sign("wss://voice.example.com/twilio", Map.of());
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }

    @Test
    void theStandaloneServerRunsOnItsOwnBoundedPool() {
        org.eclipse.jetty.util.thread.ThreadPool pool = server.threadPool();
        assertThat(pool).isInstanceOf(org.eclipse.jetty.util.thread.QueuedThreadPool.class);
        org.eclipse.jetty.util.thread.QueuedThreadPool q = (org.eclipse.jetty.util.thread.QueuedThreadPool) pool;
        assertThat(q.getName()).isEqualTo("parley-telephony");
        assertThat(q.getMaxThreads()).isEqualTo(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void concurrentTwilioAndTelnyxCallsEachGetTheirTurnAndReleaseOnHangUp() throws Exception {
        List<LoopbackCaller> callers = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long base = clock.nanoTime() / 1_000_000L;
        for (int i = 0; i < 6; i++) {
            Dialect d = i < 4 ? Dialect.TWILIO : Dialect.TELNYX;
            String id = "stream-" + i;
            // Three seconds leave room for six sessions to start on a loaded machine.
            UserScript script = new UserScript().say(base + 3000 + 60L * i, 900, "what time is it");
            scripts.put(id, script);
            LoopbackCaller c = new LoopbackCaller(d, id, script, clock, timer, i);
            c.connect(ws(d == Dialect.TWILIO ? "/twilio" : "/telnyx"), d == Dialect.TWILIO ? upgradeSignature() : null)
                    .get(20, TimeUnit.SECONDS);
            c.start();
            callers.add(c);
            ids.add(id);
        }
        await(() -> ids.stream().allMatch(id -> playbacks.containsKey(id) && playbacks.get(id).stream()
                .anyMatch(e -> e.kind() == PlaybackEvent.Kind.FINISHED)), Duration.ofSeconds(20));
        for (LoopbackCaller c : callers) {
            c.hangUp();
        }
        for (LoopbackCaller c : callers) {
            c.closed.get(20, TimeUnit.SECONDS);
        }
        await(() -> server.activeCalls() == 0 && sessions.values().stream().allMatch(s -> s.state() == SessionState.ENDED),
                Duration.ofSeconds(5));

        assertThat(server.activeCalls()).isZero();
        for (int i = 0; i < callers.size(); i++) {
            String id = ids.get(i);
            LoopbackCaller c = callers.get(i);
            assertThat(turns.get(id)).as(id).containsExactly("what time is it");
            assertThat(playbacks.get(id)).as(id).filteredOn(e -> e.kind() == PlaybackEvent.Kind.FINISHED)
                    .extracting(PlaybackEvent::playedText).containsExactly("It is noon.");
            assertThat(c.errors).as(id).isEmpty();
            assertThat(c.mediaReceived).as(id).isPositive();
            assertThat(c.marksEchoed).as(id).isPositive();
            assertThat(sessions.get(id).state()).as(id).isEqualTo(SessionState.ENDED);
        }
    }

    @Test
    void twilioUpgradesAndWebhooksNeedAValidSignature() throws Exception {
        LoopbackCaller unsigned = new LoopbackCaller(Dialect.TWILIO, "x", new UserScript(), clock, timer, 1);
        assertThatThrownBy(() -> unsigned.connect(ws("/twilio"), null).get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
        LoopbackCaller forged = new LoopbackCaller(Dialect.TWILIO, "x", new UserScript(), clock, timer, 1);
        assertThatThrownBy(() -> forged.connect(ws("/twilio"), "bm90IGEgc2lnbmF0dXJl").get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);

        String form = "CallSid=CA1&From=%2B15550001111&To=%2B15550002222";
        String good = TwilioSignature.of(TOKEN).sign(PUBLIC + "/voice",
                Map.of("CallSid", List.of("CA1"), "From", List.of("+15550001111"), "To", List.of("+15550002222")));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ok = http.send(webhook(form, good), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        assertThat(ok.body()).contains("<Connect><Stream url=\"wss://voice.example.com/twilio\">")
                .contains("<Parameter name=\"caller\" value=\"+15550001111\"/>");
        HttpResponse<String> bad = http.send(webhook(form.replace("CA1", "CA2"), good), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).contains("\"error\"").contains("X-Twilio-Signature");
        assertThat(server.activeCalls()).isZero();
    }

    private HttpRequest webhook(String form, String signature) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/voice"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    @Test
    void rawPcmClientHearsTheGreetingTypesATurnAndGetsTranscripts() throws Exception {
        List<String> texts = new CopyOnWriteArrayList<>();
        long[] audioBytes = new long[1];
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket[] socket = new WebSocket[1];
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String t = partial.toString();
                    partial.setLength(0);
                    texts.add(t);
                    if (t.contains("\"mark\"")) {
                        // Echo the mark as soon as it arrives: this client plays instantly.
                        w.sendText(t, true);
                    }
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                synchronized (audioBytes) {
                    audioBytes[0] += data.remaining();
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                closed.complete(status);
                return null;
            }
        };
        socket[0] = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(ws("/pcm"), listener).get(20, TimeUnit.SECONDS);
        WebSocket w = socket[0];
        w.sendText("{\"type\":\"start\",\"sampleRate\":16000}", true).get(20, TimeUnit.SECONDS);
        w.sendBinary(ByteBuffer.wrap(new byte[640]), true).get(20, TimeUnit.SECONDS);
        await(() -> texts.stream().anyMatch(t -> t.contains("\"role\":\"agent\"")), Duration.ofSeconds(15));
        w.sendText("{\"type\":\"dtmf\",\"digit\":\"5\"}", true).get(20, TimeUnit.SECONDS);
        w.sendText("{\"type\":\"text\",\"text\":\"what time is it\"}", true).get(20, TimeUnit.SECONDS);
        await(() -> texts.stream().anyMatch(t -> t.contains("It is noon.")), Duration.ofSeconds(15));
        w.sendText("{\"type\":\"stop\"}", true).get(20, TimeUnit.SECONDS);
        assertThat(closed.get(15, TimeUnit.SECONDS)).isEqualTo(1000);

        assertThat(texts).contains("{\"type\":\"transcript\",\"role\":\"agent\",\"text\":\"Hello.\"}",
                "{\"type\":\"transcript\",\"role\":\"agent\",\"text\":\"It is noon.\"}");
        assertThat(digits).containsExactly('5');
        // 16 kHz PCM16LE both ways: the greeting alone is several 640-byte frames.
        assertThat(audioBytes[0]).isGreaterThan(640 * 5).matches(b -> b % 2 == 0);
        await(() -> server.activeCalls() == 0, Duration.ofSeconds(5));
        assertThat(server.activeCalls()).isZero();
    }
}
