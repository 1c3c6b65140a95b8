package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one real PostgreSQL server: any node answers the REST API, the
 * session's media is owned by one node and the other redirects WebSocket requests there,
 * changes made on one node reach the other's live session through LISTEN/NOTIFY, and when
 * the owner dies its session is marked interrupted once the lease expires, history intact,
 * and resumes on the surviving node.
 */
class TwoNodeTest {

    /** A server process and what it printed when ready. */
    record Node(Process process, URI url, String adminToken, List<String> output) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static Node startNode(String jdbcUrl, Path data, String key) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.parley.server.ServerMain", "--port", "0", "--data", data.toString(), "--db", jdbcUrl,
                "--lease-seconds", "2").redirectErrorStream(true);
        pb.environment().put("PARLEY_ENCRYPTION_KEY", key);
        Process p = pb.start();
        List<String> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        URI url = null;
        String token = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (token == null && System.nanoTime() < deadline) {
            String line = r.readLine();
            if (line == null) {
                break;
            }
            out.add(line);
            if (line.startsWith("Parley server (")) {
                url = URI.create(line.substring(line.indexOf(") at ") + 5).trim());
            } else if (line.startsWith("admin token: ")) {
                token = line.substring(13).trim();
            }
        }
        if (token == null || url == null) {
            p.destroyForcibly();
            throw new AssertionError("node did not start: " + String.join("\n", out));
        }
        // Keep draining its output so the process never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // The process ended.
            }
        }, "node-output");
        drain.setDaemon(true);
        drain.start();
        return new Node(p, url, token, out);
    }

    @Test
    void twoNodesShareOneDatabaseAndHandOverSessionMedia() throws Exception {
        byte[] k = new byte[32];
        new java.security.SecureRandom().nextBytes(k);
        String key = Base64.getEncoder().encodeToString(k);
        Path data = Files.createTempDirectory("parley-nodes");
        try (PgCluster pg = PgCluster.start()) {
            Node a = startNode(pg.jdbcUrl, data.resolve("a"), key);
            try (Node b = startNode(pg.jdbcUrl, data.resolve("b"), key)) {
                Client adminA = new Client(a.url(), a.adminToken());
                Client ann = adminA.newUser("Ann");
                Client bob = adminA.newUser("Bob");
                Client annB = new Client(b.url(), ann.token);
                Client bobB = new Client(b.url(), bob.token);
                // Created on B, joined on A: any node answers the REST API.
                String id = annB.createSession("{\"title\":\"Cluster\",\"mode\":\"text_only\",\"wake_phrase\":\"hey agent\"}");
                assertThat(bob.post("/api/voice-sessions/" + id + "/join", null).status()).isEqualTo(200);

                Client.Ws annWs = ann.connect(id, "text");
                annWs.await("welcome", d -> true, Duration.ofSeconds(20));
                assertThat(annB.get("/api/voice-sessions/" + id).json().get("media_node").asText())
                        .isEqualTo(a.url().toString().replaceAll("/$", ""));

                // B redirects the WebSocket to A, the owner.
                assertThatThrownBy(() -> bobB.connect(id, "text")).isInstanceOf(CompletionException.class)
                        .cause().isInstanceOf(WebSocketHandshakeException.class)
                        .satisfies(e -> {
                            var res = ((WebSocketHandshakeException) e).getResponse();
                            assertThat(res.statusCode()).isEqualTo(307);
                            assertThat(res.headers().firstValue("Location").orElseThrow())
                                    .startsWith(a.url().toString().replaceAll("/$", "") + "/api/voice-sessions/" + id + "/ws");
                        });
                Client.Ws bobWs = bob.connect(id, "text");
                bobWs.await("welcome", d -> true, Duration.ofSeconds(20));
                bobWs.text("{\"type\":\"text\",\"text\":\"hey agent what is this session about\"}");
                annWs.await("agent_text", d -> d.path("text").asText().contains("Cluster"), Duration.ofSeconds(20));

                // A change made on B reaches A's live session through LISTEN/NOTIFY.
                assertThat(annB.post("/api/voice-sessions/" + id + "/agent", "{\"enabled\":false}").status()).isEqualTo(200);
                annWs.await("agent", d -> !d.path("enabled").asBoolean(), Duration.ofSeconds(10));
                bobWs.await("agent", d -> !d.path("enabled").asBoolean(), Duration.ofSeconds(10));
                annB.post("/api/voice-sessions/" + id + "/agent", "{\"enabled\":true}");
                annWs.await("agent", d -> d.path("enabled").asBoolean(), Duration.ofSeconds(10));
                annWs.text("{\"type\":\"text\",\"text\":\"hey agent who are you\"}");
                bobWs.await("agent_text", d -> d.path("text").asText().contains("offline agent"), Duration.ofSeconds(20));
                JsonNode before = annB.get("/api/voice-sessions/" + id + "/history").json();
                assertThat(before.findValuesAsText("text")).contains("hey agent what is this session about",
                        "hey agent who are you");

                // A dies without a word; once its lease expires B marks the session interrupted.
                a.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                String status;
                do {
                    Thread.sleep(200);
                    status = annB.get("/api/voice-sessions/" + id).json().get("status").asText();
                } while (!status.equals("interrupted") && System.nanoTime() < deadline);
                assertThat(status).isEqualTo("interrupted");
                JsonNode after = annB.get("/api/voice-sessions/" + id + "/history").json();
                assertThat(after.size()).isEqualTo(before.size() + 1);
                for (int i = 0; i < before.size(); i++) {
                    assertThat(after.get(i)).isEqualTo(before.get(i));
                }
                assertThat(after.get(before.size()).get("text").asText()).contains("interrupted");
                assertThat(annB.get("/api/voice-sessions/" + id + "/interactions").json()).hasSize(2);

                // Rejoining on B resumes it there.
                Client.Ws again = annB.connect(id, "text");
                again.await("welcome", d -> true, Duration.ofSeconds(20));
                JsonNode s = annB.get("/api/voice-sessions/" + id).json();
                assertThat(s.get("status").asText()).isEqualTo("active");
                assertThat(s.get("media_node").asText()).isEqualTo(b.url().toString().replaceAll("/$", ""));
                again.text("{\"type\":\"text\",\"text\":\"hey agent are you back\"}");
                again.await("agent_text", d -> true, Duration.ofSeconds(20));
                again.close();
            } finally {
                a.close();
            }
        } finally {
            try (var s = Files.walk(data)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
