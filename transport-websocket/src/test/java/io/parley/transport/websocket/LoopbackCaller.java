package io.parley.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.audio.G711;
import io.parley.testing.UserScript;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A provider on a real loopback socket, from the documented samples: sends 20 ms µ-law media
 * on a real-time grid with random jitter, plays received audio out in real time, echoes marks
 * when their audio has played (or at once on clear), and hangs up on request.
 */
final class LoopbackCaller implements WebSocket.Listener {

    private final Dialect d;
    private final UserScript script;
    private final OffsetClock clock;
    private final ScheduledExecutorService timer;
    private final Random random;
    private final StringBuilder partial = new StringBuilder();
    private record Echo(String name, ScheduledFuture<?> future) {
    }

    private final List<Echo> pendingEchoes = new ArrayList<>();
    private final String streamId;
    private WebSocket ws;
    private ScheduledFuture<?> ticker;
    private long seq = 1;
    private long chunk;
    private long playEndNanos;
    volatile long mediaReceived;
    volatile long marksEchoed;
    volatile long clears;
    volatile long receivedBytes;
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();

    LoopbackCaller(Dialect d, String streamId, UserScript script, OffsetClock clock, ScheduledExecutorService timer, long seed) {
        this.d = d;
        this.streamId = streamId;
        this.script = script;
        this.clock = clock;
        this.timer = timer;
        this.random = new Random(seed);
    }

    CompletableFuture<WebSocket> connect(URI uri, String signature) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (signature != null) {
            b.header("X-Twilio-Signature", signature);
        }
        return b.buildAsync(uri, this).thenApply(w -> {
            ws = w;
            return w;
        });
    }

    /** connected + start, then media every 20 ms until hang-up. */
    synchronized void start() {
        if (d.samples.has("in connected")) {
            send(d.samples.text("in connected"));
        }
        send(next("in start").toString());
        long period = 20_000_000L;
        long first = (clock.nanoTime() / period + 1) * period;
        ticker = timer.scheduleAtFixedRate(this::tick, first - clock.nanoTime(), period, TimeUnit.NANOSECONDS);
    }

    private void tick() {
        long t0 = clock.nanoTime() / 20_000_000L * 20_000_000L;
        byte[] b = new byte[160];
        for (int i = 0; i < 160; i++) {
            long t = t0 + i * 125_000L;
            short v = script.at(t) != null ? (short) (8000 * Math.sin(2 * Math.PI * 220 * t / 1e9)) : 0;
            b[i] = G711.encodeUlaw(v);
        }
        long jitterMicros = random.nextInt(8_000);
        timer.schedule(() -> media(b), jitterMicros, TimeUnit.MICROSECONDS);
    }

    private synchronized void media(byte[] ulaw) {
        if (closed.isDone()) {
            return;
        }
        chunk++;
        ObjectNode m = next("in media");
        Samples.set(m, d.chunk, chunk);
        Samples.set(m, d.timestamp, (chunk - 1) * 20);
        Samples.set(m, d.payload, Base64.getEncoder().encodeToString(ulaw));
        send(m.toString());
    }

    synchronized void hangUp() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (d.samples.has("in stop")) {
            send(next("in stop").toString());
        } else {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "caller hung up");
        }
    }

    private ObjectNode next(String key) {
        ObjectNode m = d.samples.get(key);
        if (m.has(d.seq)) {
            Samples.set(m, d.seq, seq++);
        }
        for (String f : new String[]{"streamSid", "stream_id", "streamId"}) {
            if (m.has(f)) {
                m.put(f, streamId);
            }
        }
        if (m.get("start") instanceof ObjectNode start) {
            for (String f : new String[]{"streamSid", "streamId"}) {
                if (start.has(f)) {
                    start.put(f, streamId);
                }
            }
            for (String f : new String[]{"callSid", "call_control_id", "callId"}) {
                if (start.has(f)) {
                    start.put(f, "call-" + streamId);
                }
            }
        }
        return m;
    }

    private void send(String text) {
        try {
            ws.sendText(text, true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            errors.add("send failed: " + e);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            handle(text);
        }
        w.request(1);
        return null;
    }

    private synchronized void handle(String text) {
        try {
            JsonNode m = Samples.JSON.readTree(text);
            String event = m.path("event").asText();
            long now = clock.nanoTime();
            if (event.equals(d.outMedia)) {
                int bytes = Base64.getDecoder().decode(Samples.at(m, d.outPayload)).length;
                mediaReceived++;
                receivedBytes += bytes;
                playEndNanos = Math.max(playEndNanos, now) + bytes * 125_000L;
            } else if (event.equals(d.outMark)) {
                String name = Samples.at(m, d.outMarkName);
                long delay = Math.max(0, playEndNanos - now) + random.nextInt(3_000_000);
                pendingEchoes.removeIf(e -> e.future().isDone());
                pendingEchoes.add(new Echo(name, timer.schedule(() -> echo(name), delay, TimeUnit.NANOSECONDS)));
            } else if (event.equals(d.outClear)) {
                clears++;
                playEndNanos = now;
                // The provider echoes pending marks at once after a clear.
                for (Echo e : pendingEchoes) {
                    if (e.future().cancel(false)) {
                        timer.execute(() -> echo(e.name()));
                    }
                }
                pendingEchoes.clear();
            } else {
                errors.add("unexpected outbound event: " + text);
            }
        } catch (Exception e) {
            errors.add("bad outbound message " + text + ": " + e);
        }
    }

    private synchronized void echo(String name) {
        if (closed.isDone()) {
            return;
        }
        marksEchoed++;
        ObjectNode m = next("in mark");
        Samples.set(m, d.markName, name);
        send(m.toString());
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
        if (ticker != null) {
            ticker.cancel(false);
        }
        closed.complete(status);
        return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
        errors.add("socket error: " + error);
        closed.complete(-1);
    }
}
