package io.parley.bench.webrtc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * One headless Debian Chromium with several tabs on the same page, each its own WebRTC peer,
 * sharing one fake microphone (a WAV file it loops). Driven over the DevTools protocol on
 * loopback; closing kills it and deletes its profile.
 */
final class ChromiumTabs implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();
    private final List<WebSocket> tabs = new ArrayList<>();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private ChromiumTabs(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /** Starts Chromium with {@code count} tabs on {@code page}; fails after 30 s. */
    static ChromiumTabs open(URI page, int count, Path microphoneWav) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("Chromium is not installed at " + BINARY + " (Debian package chromium)");
        }
        Path profile = Files.createTempDirectory("parley-bench-chromium-");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--use-fake-device-for-media-stream", "--use-file-for-fake-audio-capture=" + microphoneWav,
                "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"));
        cmd.add(page.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ChromiumTabs c = new ChromiumTabs(p, profile);
        try {
            c.attach(page, count);
            return c;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    int size() {
        return tabs.size();
    }

    private void attach(URI page, int count) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> urls = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        boolean opened = false;
        while (urls.size() < count) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("Chromium did not open " + count + " tabs with DevTools within 30 s; targets " + seen);
            }
            urls.clear();
            seen.clear();
            if (Files.exists(portFile) && !Files.readString(portFile).isBlank()) {
                int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
                for (int tab = 1; tab < count && !opened; tab++) {
                    // Headless Chromium opens only the first URL of its command line; the others are new targets.
                    okhttp3.HttpUrl url = okhttp3.HttpUrl.get("http://127.0.0.1:" + port + "/json/new?"
                            + page.toString().replace("&", "%26"));
                    try (Response r = http.newCall(new Request.Builder().url(url)
                            .put(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
                        if (!r.isSuccessful()) {
                            throw new IllegalStateException("Chromium refused a new tab: " + r.code());
                        }
                    }
                }
                opened = true;
                try (Response r = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/json/list").build()).execute()) {
                    for (JsonNode t : JSON.readTree(r.body().string())) {
                        seen.add(t.path("type").asText() + " " + t.path("url").asText());
                        if (t.path("type").asText().equals("page") && t.path("url").asText().startsWith(page.toString())) {
                            urls.add(t.path("webSocketDebuggerUrl").asText());
                        }
                    }
                }
            }
            if (urls.size() < count) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        for (String url : urls) {
            CompletableFuture<Void> open = new CompletableFuture<>();
            tabs.add(http.newWebSocket(new Request.Builder().url(url).build(), new WebSocketListener() {
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
                        pending.values().forEach(f -> f.completeExceptionally(e));
                    }
                }

                @Override
                public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                    open.completeExceptionally(t);
                    pending.values().forEach(f -> f.completeExceptionally(t));
                }
            }));
            open.get(10, TimeUnit.SECONDS);
        }
    }

    /** Evaluates {@code expression} in tab {@code tab} (awaiting a promise) and returns its JSON value. */
    JsonNode evaluate(int tab, String expression) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
        msg.putObject("params").put("expression", expression).put("awaitPromise", true).put("returnByValue", true);
        tabs.get(tab).send(JSON.writeValueAsString(msg));
        JsonNode res = f.get(30, TimeUnit.SECONDS);
        if (res.has("error") || res.path("result").has("exceptionDetails")) {
            throw new IllegalStateException("evaluating " + expression + " failed: " + res);
        }
        return res.path("result").path("result").path("value");
    }

    @Override
    public void close() throws IOException {
        tabs.forEach(WebSocket::cancel);
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
        }
    }
}
