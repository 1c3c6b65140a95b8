package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed 000's privacy: redaction and sealing at rest, data export, account deletion, retention. */
class PrivacyTest {

    @TempDir
    Path data;

    @Test
    void secretsAreRedactedUsersExportAndDeleteTheirDataAndOldSessionsArePurged() throws Exception {
        String aliceToken;
        String keptId;
        try (ParleyServer server = ParleyServer.builder().port(0).dataDir(data).start()) {
            Client admin = new Client(server.url(), server.adminToken());
            Client alice = admin.newUser("Alice");
            Client carol = admin.newUser("Carol");
            aliceToken = alice.token;
            String id = alice.createSession("{\"title\":\"Keys\",\"mode\":\"text_only\",\"wake_phrase\":\"\"}");
            carol.post("/api/voice-sessions/" + id + "/join", null);
            Client.Ws ws = alice.connect(id, "text");
            ws.await("welcome", d -> true, Duration.ofSeconds(10));
            ws.text("{\"type\":\"ping\",\"data\":7}");
            assertThat(ws.await("pong", d -> d.asInt() == 7, Duration.ofSeconds(5))).isNotNull();
            ws.text("{\"type\":\"text\",\"text\":\"my key is sk-live-abcdefghijklmnopqrstuvwx please help\"}");
            JsonNode msg = ws.await("message", d -> d.path("speaker").asText().equals("Alice"), Duration.ofSeconds(10));
            assertThat(msg.path("data").path("text").asText()).doesNotContain("sk-live").contains("please help");
            ws.await("agent_text", d -> true, Duration.ofSeconds(10));
            Client.Ws carolWs = carol.connect(id, "text");
            carolWs.await("welcome", d -> true, Duration.ofSeconds(10));
            carolWs.text("{\"type\":\"text\",\"text\":\"Carol was here\"}");
            ws.await("message", d -> d.path("text").asText().equals("Carol was here"), Duration.ofSeconds(10));
            ws.await("agent_text", d -> d.path("in_reply_to").asText().equals("Carol"), Duration.ofSeconds(10));
            ws.close();
            carolWs.close();

            JsonNode export = alice.get("/api/user/export").json();
            assertThat(export.get("user").get("name").asText()).isEqualTo("Alice");
            assertThat(export.get("sessions").findValuesAsText("id")).containsExactly(id);
            assertThat(export.get("messages").findValuesAsText("text")).singleElement().asString().contains("please help");
            assertThat(export.get("interactions")).hasSize(1);

            // Carol leaves Parley: her account, her messages and her questions go; Alice's session stays.
            assertThat(carol.delete("/api/user/delete").status()).isEqualTo(204);
            assertThat(carol.get("/api/users/me").status()).isEqualTo(401);
            JsonNode history = alice.get("/api/voice-sessions/" + id + "/history").json();
            assertThat(history.findValuesAsText("speaker")).doesNotContain("Carol");
            assertThat(alice.get("/api/voice-sessions/" + id + "/interactions").json().findValuesAsText("asker"))
                    .containsOnly("Alice");
            assertThat(admin.delete("/api/user/delete").status()).isEqualTo(403);
            alice.post("/api/voice-sessions/" + id + "/end", null);
            keptId = alice.createSession("{\"title\":\"Fresh\"}");
        }
        try (Connection c = DriverManager.getConnection(Db.sqliteUrl(data));
             ResultSet rs = c.createStatement().executeQuery("SELECT content FROM messages UNION ALL"
                     + " SELECT question FROM interactions UNION ALL SELECT answer FROM interactions")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertThat(rs.getString(1)).startsWith("enc1:").doesNotContain("please");
            }
            assertThat(n).isGreaterThan(3);
        }
        // With a retention of one minute, the session that ended is purged at start; the open one stays.
        try (Connection c = DriverManager.getConnection(Db.sqliteUrl(data))) {
            c.createStatement().executeUpdate("UPDATE sessions SET ended_at = ended_at - 120000 WHERE status = 'ended'");
        }
        try (ParleyServer server = ParleyServer.builder().port(0).dataDir(data).retention(Duration.ofMinutes(1))
                .tick(Duration.ofMillis(100)).start()) {
            Client alice = new Client(server.url(), aliceToken);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (alice.get("/api/voice-sessions").json().size() != 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(alice.get("/api/voice-sessions").json().findValuesAsText("id")).containsExactly(keptId);
        }
    }
}
