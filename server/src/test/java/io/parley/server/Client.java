package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A test client of the REST API and the WebSocket protocol, on the JDK's HTTP client. */
final class Client {

    static final ObjectMapper M = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A response: status and parsed JSON body (or null). */
    record Res(int status, JsonNode json, String body, HttpResponse<String> raw) {
    }

    final URI base;
    final String token;

    Client(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    Client as(String otherToken) {
        return new Client(base, otherToken);
    }

    Res get(String path) {
        return send("GET", path, null);
    }

    Res post(String path, String json) {
        return send("POST", path, json);
    }

    Res delete(String path) {
        return send("DELETE", path, null);
    }

    Res send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode n = null;
            String ct = r.headers().firstValue("Content-Type").orElse("");
            if (ct.startsWith("application/json") && !r.body().isEmpty()) {
                n = M.readTree(r.body());
            }
            return new Res(r.statusCode(), n, r.body(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a user with this (admin) client and returns a client with their token. */
    Client newUser(String name) {
        Res r = post("/api/users", "{\"name\":\"" + name + "\"}");
        if (r.status() != 201) {
            throw new AssertionError("creating user failed: " + r.status() + " " + r.body());
        }
        return as(r.json().get("token").asText());
    }

    String createSession(String json) {
        Res r = post("/api/voice-sessions", json);
        if (r.status() != 201) {
            throw new AssertionError("creating session failed: " + r.status() + " " + r.body());
        }
        return r.json().get("id").asText();
    }

    Ws connect(String sessionId, String kind) {
        return connectTo(base, sessionId, kind);
    }

    Ws connectTo(URI node, String sessionId, String kind) {
        Ws ws = new Ws();
        URI uri = URI.create(node.toString().replaceFirst("^http", "ws")).resolve("/api/voice-sessions/" + sessionId
                + "/ws?kind=" + kind);
        ws.socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, ws).orTimeout(20, TimeUnit.SECONDS).join();
        return ws;
    }

    /** Sleeps until {@code System.nanoTime()} reaches {@code dueNanos}: real-time pacing of audio. */
    static void sleepUntil(long dueNanos) {
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A WebSocket connection that keeps every message it receives. */
    static final class Ws implements WebSocket.Listener {
        final List<JsonNode> messages = new ArrayList<>();
        final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode n = M.readTree(partial.toString());
                    synchronized (messages) {
                        messages.add(n);
                        messages.notifyAll();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        void text(String json) {
            socket.sendText(json, true).join();
        }

        void audio(byte[] pcm) {
            String b64 = java.util.Base64.getEncoder().encodeToString(pcm);
            socket.sendText("{\"type\":\"audio_chunk\",\"data\":\"" + b64 + "\"}", true).join();
        }

        void binary(byte[] pcm) {
            socket.sendBinary(ByteBuffer.wrap(pcm), true).join();
        }

        List<JsonNode> all(String type) {
            synchronized (messages) {
                return messages.stream().filter(m -> m.path("type").asText().equals(type)).toList();
            }
        }

        /** Waits (bounded) until a message matches; returns it. */
        JsonNode await(String type, Predicate<JsonNode> match, Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            synchronized (messages) {
                while (true) {
                    for (JsonNode m : messages) {
                        if (m.path("type").asText().equals(type) && match.test(m.path("data"))) {
                            return m;
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no '" + type + "' message matched within " + max + "; got "
                                + messages.stream().filter(m -> !m.path("type").asText().equals("agent_audio")).toList());
                    }
                    try {
                        messages.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError(e);
                    }
                }
            }
        }

        void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }
}
