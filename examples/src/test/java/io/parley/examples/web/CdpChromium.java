package io.parley.examples.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * Debian's headless Chromium, driven over the Chrome DevTools protocol on loopback, with a WAV
 * file as its microphone. Closing kills it and everything it spawned and deletes its profile.
 */
final class CdpChromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private WebSocket socket;

    private CdpChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts Chromium on {@code page} and attaches to it; fails after 20 s. */
    static CdpChromium open(URI page, Path microphoneWav) throws Exception {
        Path profile = Files.createTempDirectory("parley-chromium-");
        List<String> cmd = List.of(BINARY.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphoneWav,
                "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                page.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
        CdpChromium c = new CdpChromium(p, profile);
        try {
            c.attach(page);
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    private void attach(URI page) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String wsUrl = null;
        while (wsUrl == null) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("Chromium did not open its DevTools port; output:\n" + output());
            }
            if (Files.exists(portFile) && !Files.readString(portFile).isBlank()) {
                int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
                try (Response r = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/json/list").build()).execute()) {
                    for (JsonNode t : JSON.readTree(r.body().string())) {
                        if (t.path("type").asText().equals("page") && t.path("url").asText().startsWith(page.toString())) {
                            wsUrl = t.path("webSocketDebuggerUrl").asText();
                        }
                    }
                }
            }
            if (wsUrl == null) {
                Thread.onSpinWait();
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        CompletableFuture<Void> open = new CompletableFuture<>();
        socket = http.newWebSocket(new Request.Builder().url(wsUrl).build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                open.complete(null);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                try {
                    JsonNode msg = JSON.readTree(text);
                    CompletableFuture<JsonNode> f = pending.remove(msg.path("id").asInt(-1));
                    if (f != null) {
                        f.complete(msg);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                open.completeExceptionally(t);
                pending.values().forEach(f -> f.completeExceptionally(t));
            }
        });
        open.get(10, TimeUnit.SECONDS);
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its JSON value. */
    JsonNode evaluate(String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
        msg.putObject("params").put("expression", expression).put("awaitPromise", true).put("returnByValue", true);
        socket.send(JSON.writeValueAsString(msg));
        JsonNode res = f.get(20, TimeUnit.SECONDS);
        if (res.has("error") || res.path("result").has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + " failed: " + res);
        }
        return res.path("result").path("result").path("value");
    }

    /** Chromium's own output so far. */
    String output() {
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.cancel();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            Files.deleteIfExists(profile.resolveSibling(profile.getFileName() + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
