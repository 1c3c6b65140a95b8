package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API on SQLite: identity, validation, visibility, lifecycle, logs, export, privacy. */
class ServerApiTest {

    @TempDir
    static Path data;
    static ParleyServer server;
    static Client admin;

    @BeforeAll
    static void start() {
        server = ParleyServer.builder().port(0).dataDir(data).requestsPerMinute(400).tick(Duration.ofMillis(200)).start();
        admin = new Client(server.url(), server.adminToken());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void identityNeedsTokensAndOnlyTheAdminCreatesUsers() {
        assertThat(admin.as(null).get("/api/users/me").status()).isEqualTo(401);
        assertThat(admin.as("pk_wrong").get("/api/users/me").json().get("error").asText()).isEqualTo("unauthorized");
        Client ann = admin.newUser("Ann");
        assertThat(ann.get("/api/users/me").json().get("name").asText()).isEqualTo("Ann");
        assertThat(ann.post("/api/users", "{\"name\":\"Eve\"}").status()).isEqualTo(403);
        assertThat(admin.post("/api/users", "{\"name\":\"\"}").status()).isEqualTo(400);
        assertThat(admin.post("/api/users", "{\"name\":" + "\"" + "x".repeat(101) + "\"}").status()).isEqualTo(400);
        assertThat(admin.post("/api/users", "not json").json().get("message").asText()).contains("not valid JSON");
        assertThat(admin.post("/api/users", "[1]").status()).isEqualTo(400);
    }

    @Test
    void tokensAreStoredOnlyAsHashes() throws Exception {
        Client ann = admin.newUser("Hashed");
        try (Connection c = DriverManager.getConnection(Db.sqliteUrl(data));
             ResultSet rs = c.createStatement().executeQuery("SELECT token_hash FROM tokens")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertThat(rs.getString(1)).hasSize(64).doesNotContain(ann.token.substring(3, 20));
            }
            assertThat(n).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void sessionsHaveTheSeedShapeAndValidatedFields() {
        Client ann = admin.newUser("Ann");
        JsonNode s = ann.post("/api/voice-sessions", "{\"session_type\":\"log_analysis\",\"mode\":\"voice_browser\"}").json();
        assertThat(s.get("session_url").asText()).isEqualTo(s.get("id").asText());
        assertThat(s.get("mode").asText()).isEqualTo("voice_browser");
        assertThat(s.get("duration_minutes").asInt()).isEqualTo(60);
        assertThat(s.get("status").asText()).isEqualTo("waiting");
        assertThat(ann.post("/api/voice-sessions", "{\"mode\":\"text_only\"}").json().get("duration_minutes").asInt())
                .isEqualTo(120);
        String future = Instant.now().plusSeconds(3600).toString();
        assertThat(ann.post("/api/voice-sessions", "{\"scheduled_start\":\"" + future + "\"}").json().get("status").asText())
                .isEqualTo("scheduled");
        for (String bad : new String[] {"{\"session_type\":\"poker\"}", "{\"mode\":\"voice_discord\"}",
                "{\"max_participants\":0}", "{\"max_participants\":\"3\"}", "{\"agent_enabled\":\"yes\"}",
                "{\"scheduled_start\":\"tomorrow\"}", "{\"scheduled_start\":\"2001-01-01T00:00:00Z\"}",
                "{\"wake_phrase\":\"one two three four five six\"}", "{\"title\":\"" + "t".repeat(201) + "\"}",
                "{\"surprise\":1}", "{\"log_session_id\":\"../etc\"}"}) {
            Client.Res r = ann.post("/api/voice-sessions", bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("bad_request");
            assertThat(r.json().get("message").asText()).isNotBlank();
        }
        assertThat(ann.post("/api/voice-sessions", "{\"log_session_id\":\"" + java.util.UUID.randomUUID() + "\"}").status())
                .isEqualTo(404);
    }

    @Test
    void usersSeeAndControlOnlyTheirSessions() {
        Client ann = admin.newUser("Ann");
        Client bob = admin.newUser("Bob");
        Client eve = admin.newUser("Eve");
        String id = ann.createSession("{\"title\":\"Ann's\",\"max_participants\":2}");
        assertThat(eve.get("/api/voice-sessions/" + id).status()).isEqualTo(404);
        assertThat(eve.get("/api/voice-sessions/" + id + "/history").status()).isEqualTo(404);
        assertThat(eve.post("/api/voice-sessions/" + id + "/agent", "{\"enabled\":false}").status()).isEqualTo(404);
        assertThat(eve.get("/api/voice-sessions").json()).isEmpty();
        assertThat(bob.post("/api/voice-sessions/" + id + "/join", null).status()).isEqualTo(200);
        assertThat(ann.post("/api/voice-sessions/" + id + "/join", null).status()).isEqualTo(200);
        assertThat(eve.post("/api/voice-sessions/" + id + "/join", null).status()).isEqualTo(409);
        assertThat(bob.get("/api/voice-sessions").json()).extracting(n -> n.get("id").asText()).containsExactly(id);
        assertThat(bob.post("/api/voice-sessions/" + id + "/end", null).status()).isEqualTo(403);
        assertThat(bob.delete("/api/voice-sessions/" + id).status()).isEqualTo(403);
        assertThat(bob.post("/api/voice-sessions/" + id + "/start", null).status()).isEqualTo(403);
        JsonNode parts = ann.get("/api/voice-sessions/" + id + "/participants").json();
        assertThat(parts).extracting(p -> p.get("name").asText() + p.get("present").asBoolean())
                .containsExactlyInAnyOrder("Anntrue", "Bobtrue");
        assertThat(bob.post("/api/voice-sessions/" + id + "/leave", null).status()).isEqualTo(200);
        assertThat(eve.post("/api/voice-sessions/" + id + "/join", null).status()).isEqualTo(200);
        assertThat(ann.post("/api/voice-sessions/" + id + "/start", null).json().get("status").asText()).isEqualTo("active");
        assertThat(ann.get("/api/voice-sessions?status=active").json()).extracting(n -> n.get("id").asText()).contains(id);
        assertThat(ann.get("/api/voice-sessions?status=sideways").status()).isEqualTo(400);
        assertThat(ann.post("/api/voice-sessions/" + id + "/agent", "{\"enabled\":\"no\"}").status()).isEqualTo(400);
        assertThat(ann.post("/api/voice-sessions/" + id + "/agent", "{\"enabled\":false}").json().get("agent_enabled")
                .asBoolean()).isFalse();
        assertThat(ann.get("/api/voice-sessions/" + id).json().get("agent_enabled").asBoolean()).isFalse();
        JsonNode ended = ann.post("/api/voice-sessions/" + id + "/end", null).json();
        assertThat(ended.get("status").asText()).isEqualTo("ended");
        assertThat(ended.get("end_reason").asText()).isEqualTo("ended_by_creator");
        assertThat(ann.post("/api/voice-sessions/" + id + "/end", null).status()).isEqualTo(409);
        assertThat(bob.post("/api/voice-sessions/" + id + "/join", null).status()).isEqualTo(409);
        assertThat(ann.get("/api/voice-sessions/" + id + "/history").json()).extracting(m -> m.get("text").asText())
                .containsExactly("Session started by Ann", "Session ended (ended_by_creator)");
        assertThat(ann.delete("/api/voice-sessions/" + id).status()).isEqualTo(204);
        assertThat(ann.get("/api/voice-sessions/" + id).status()).isEqualTo(404);
        assertThat(ann.get("/api/voice-sessions/not-an-id!").status()).isEqualTo(400);
    }

    @Test
    void scheduledSessionsStartByThemselvesAndLimitsEndThem() throws Exception {
        Client ann = admin.newUser("Ann");
        String soon = Instant.now().plusMillis(600).toString();
        String id = ann.createSession("{\"scheduled_start\":\"" + soon + "\"}");
        assertThat(ann.get("/api/voice-sessions?status=upcoming").json()).extracting(n -> n.get("id").asText()).contains(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ann.get("/api/voice-sessions/" + id).json().get("status").asText().equals("active")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }
        // A session started long ago is past its limit at the next tick.
        server.close();
        try (Connection c = DriverManager.getConnection(Db.sqliteUrl(data))) {
            c.createStatement().executeUpdate("UPDATE sessions SET started_at = 0 WHERE id = '" + id + "'");
        }
        start();
        Client annNow = new Client(server.url(), ann.token);
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!annNow.get("/api/voice-sessions/" + id).json().get("status").asText().equals("ended")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(annNow.get("/api/voice-sessions/" + id).json().get("end_reason").asText()).isEqualTo("time_limit");
    }

    @Test
    void contextDocumentsAreRedactedSealedAndSizeLimited() throws Exception {
        Client ann = admin.newUser("Ann");
        String log = "start\nERROR db timeout api_key=sk-live-abcdefghijklmnopqrstuvwx\nok";
        JsonNode doc = ann.post("/api/sessions", Client.M.writeValueAsString(java.util.Map.of("log_content", log))).json();
        assertThat(doc.get("encrypted").asBoolean()).isTrue();
        String big = "x".repeat(Api.MAX_LOG_CHARS + 1);
        assertThat(ann.post("/api/sessions", Client.M.writeValueAsString(java.util.Map.of("log_content", big))).status())
                .isEqualTo(413);
        assertThat(ann.post("/api/sessions", "{\"log_content\":5}").status()).isEqualTo(400);
        try (Connection c = DriverManager.getConnection(Db.sqliteUrl(data));
             ResultSet rs = c.createStatement().executeQuery("SELECT content FROM context_docs")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).startsWith("enc1:").doesNotContain("ERROR").doesNotContain("sk-live");
            }
        }
        Client bob = admin.newUser("Bob");
        String docId = doc.get("log_session_id").asText();
        assertThat(bob.post("/api/voice-sessions", "{\"log_session_id\":\"" + docId + "\"}").status()).isEqualTo(404);
        assertThat(ann.post("/api/voice-sessions", "{\"log_session_id\":\"" + docId + "\"}").status()).isEqualTo(201);
    }

    @Test
    void tooManyRequestsGet429(@TempDir Path own) {
        // A server of its own with a small limit: the class's server allows 400 a minute for the
        // admin's sake, and 400 requests cost seconds on a loaded machine without checking more.
        int limit = 10;
        try (ParleyServer strict = ParleyServer.builder().port(0).dataDir(own).requestsPerMinute(limit).start()) {
            Client ann = new Client(strict.url(), strict.adminToken()).newUser("Busy");
            int last = 0;
            int sent = 0;
            // Windows are clock minutes: a run that crosses a minute boundary starts counting again, so allow three windows.
            while (sent < 3 * limit + 10 && last != 429) {
                last = ann.get("/api/users/me").status();
                sent++;
            }
            assertThat(last).isEqualTo(429);
            assertThat(sent).as("requests until the first 429").isGreaterThan(limit);
        }
    }

    @Test
    void unknownRoutesAnswerJson() {
        Client.Res r = admin.get("/api/nothing-here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("not_found");
        assertThat(admin.as(null).get("/").body()).contains("<title>Parley sessions</title>");
        assertThat(Files.exists(data.resolve("encryption.key"))).isTrue();
    }
}
