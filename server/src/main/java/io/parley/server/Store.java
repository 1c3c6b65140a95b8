package io.parley.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Users, tokens, context documents, sessions, participants and media leases. Every method
 * runs in one transaction of its own; callers needing several steps at once use
 * {@link Db#tx} with the static helpers.
 */
final class Store {

    /** A user. */
    record User(String id, String name, boolean admin, long createdAt) {
    }

    /** A participant row joined with the user's name. */
    record Member(String userId, String name, boolean present, long joinedAt, Long leftAt) {
    }

    private final Db db;
    private final Vault vault;

    Store(Db db, Vault vault) {
        this.db = db;
        this.vault = vault;
    }

    Db db() {
        return db;
    }

    // ---- users and tokens ----

    /** Creates a user and returns their new bearer token, of which only the hash is stored. */
    String createUser(String id, String name, boolean admin, long now) {
        String token = Vault.newToken();
        db.tx(c -> {
            Db.update(c, "INSERT INTO users(id, name, admin, created_at) VALUES (?, ?, ?, ?)", id, name, admin, now);
            Db.update(c, "INSERT INTO tokens(token_hash, user_id, created_at) VALUES (?, ?, ?)",
                    Vault.hashToken(token), id, now);
            return null;
        });
        return token;
    }

    /** A fresh token for the admin user of this node, creating the admin on first start. */
    String adminToken(long now) {
        String token = Vault.newToken();
        db.tx(c -> {
            if (Db.one(c, "SELECT id FROM users WHERE id = 'admin'", rs -> 1).isEmpty()) {
                Db.update(c, "INSERT INTO users(id, name, admin, created_at) VALUES ('admin', 'admin', 1, ?)", now);
            }
            Db.update(c, "INSERT INTO tokens(token_hash, user_id, created_at) VALUES (?, 'admin', ?)",
                    Vault.hashToken(token), now);
            return null;
        });
        return token;
    }

    Optional<User> userByToken(String token) {
        return db.tx(c -> Db.one(c, "SELECT u.id, u.name, u.admin, u.created_at FROM tokens t JOIN users u ON u.id = t.user_id"
                + " WHERE t.token_hash = ?", Store::user, Vault.hashToken(token)));
    }

    Optional<User> user(String id) {
        return db.tx(c -> Db.one(c, "SELECT id, name, admin, created_at FROM users WHERE id = ?", Store::user, id));
    }

    private static User user(java.sql.ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("name"), rs.getInt("admin") != 0, rs.getLong("created_at"));
    }

    /** Deletes a user with everything they own or said; sessions they created go with them. */
    void deleteUser(String userId) {
        db.tx(c -> {
            Db.update(c, "DELETE FROM messages WHERE speaker_id = ?", userId);
            Db.update(c, "DELETE FROM interactions WHERE asker_id = ?", userId);
            Db.update(c, "DELETE FROM users WHERE id = ?", userId);
            return null;
        });
    }

    // ---- context documents ----

    String addDocument(String ownerId, String content, long now) {
        String id = UUID.randomUUID().toString();
        String stored = vault.seal(vault.redact(content), 0);
        db.tx(c -> Db.update(c, "INSERT INTO context_docs(id, owner_id, content, chars, created_at) VALUES (?, ?, ?, ?, ?)",
                id, ownerId, stored, content.length(), now));
        return id;
    }

    Optional<String> documentOwner(String docId) {
        return db.tx(c -> Db.one(c, "SELECT owner_id FROM context_docs WHERE id = ?", rs -> rs.getString(1), docId));
    }

    Optional<String> document(String docId) {
        return db.tx(c -> Db.one(c, "SELECT content FROM context_docs WHERE id = ?", rs -> rs.getString(1), docId))
                .map(s -> vault.open(s, 0));
    }

    // ---- sessions ----

    void insertSession(SessionRow s) {
        db.tx(c -> {
            Db.update(c, "INSERT INTO sessions(id, creator_id, title, description, session_type, mode, status, scheduled_at,"
                            + " duration_minutes, max_participants, agent_enabled, wake_phrase, project_link, log_session_id,"
                            + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    s.id(), s.creatorId(), s.title(), s.description(), s.type().wireName(), s.mode().wireName(), s.status(),
                    s.scheduledAt(), s.durationMinutes(), s.maxParticipants(), s.agentEnabled(), s.wakePhrase(),
                    s.projectLink(), s.logSessionId(), s.createdAt());
            Db.update(c, "INSERT INTO participants(session_id, user_id, present, joined_at) VALUES (?, ?, 0, ?)",
                    s.id(), s.creatorId(), s.createdAt());
            return null;
        });
    }

    Optional<SessionRow> session(String id) {
        return db.tx(c -> session(c, id));
    }

    static Optional<SessionRow> session(Connection c, String id) throws SQLException {
        return Db.one(c, "SELECT * FROM sessions WHERE id = ?", SessionRow::map, id);
    }

    Optional<SessionRow> sessionByShareToken(String token) {
        return db.tx(c -> Db.one(c, "SELECT * FROM sessions WHERE share_token = ?", SessionRow::map, token));
    }

    /** Whether the user created or joined the session. */
    static boolean isMember(Connection c, String sessionId, String userId) throws SQLException {
        return Db.one(c, "SELECT 1 FROM participants WHERE session_id = ? AND user_id = ?", rs -> 1, sessionId, userId)
                .isPresent();
    }

    boolean isMember(String sessionId, String userId) {
        return db.tx(c -> isMember(c, sessionId, userId));
    }

    /** Sessions the user created or joined, optionally with one of the given statuses, newest first. */
    List<SessionRow> sessionsOf(String userId, List<String> statuses) {
        StringBuilder sql = new StringBuilder("SELECT s.* FROM sessions s JOIN participants p ON p.session_id = s.id"
                + " WHERE p.user_id = ?");
        if (!statuses.isEmpty()) {
            sql.append(" AND s.status IN (").append("?,".repeat(statuses.size() - 1)).append("?)");
        }
        sql.append(" ORDER BY s.created_at DESC, s.id");
        Object[] args = new Object[1 + statuses.size()];
        args[0] = userId;
        for (int i = 0; i < statuses.size(); i++) {
            args[i + 1] = statuses.get(i);
        }
        return db.tx(c -> Db.query(c, sql.toString(), SessionRow::map, args));
    }

    static void setStatus(Connection c, String id, String status, Long startedAt, Long endedAt, String reason)
            throws SQLException {
        Db.update(c, "UPDATE sessions SET status = ?, started_at = COALESCE(started_at, ?), ended_at = ?, end_reason = ?"
                + " WHERE id = ?", status, startedAt, endedAt, reason, id);
    }

    void setAgentEnabled(String id, boolean enabled) {
        db.tx(c -> Db.update(c, "UPDATE sessions SET agent_enabled = ? WHERE id = ?", enabled, id));
    }

    /** The session's share token, created on first use. */
    String shareToken(String id) {
        return db.tx(c -> {
            Optional<String> t = Db.one(c, "SELECT share_token FROM sessions WHERE id = ? AND share_token IS NOT NULL",
                    rs -> rs.getString(1), id);
            if (t.isPresent()) {
                return t.get();
            }
            String token = Vault.newShareToken();
            Db.update(c, "UPDATE sessions SET share_token = ? WHERE id = ?", token, id);
            return token;
        });
    }

    void deleteSession(String id) {
        db.tx(c -> Db.update(c, "DELETE FROM sessions WHERE id = ?", id));
    }

    /** Scheduled sessions whose time has come. */
    List<SessionRow> dueScheduled(long now) {
        return db.tx(c -> Db.query(c, "SELECT * FROM sessions WHERE status = 'scheduled' AND scheduled_at <= ?",
                SessionRow::map, now));
    }

    /** Running sessions past their time limit. */
    List<SessionRow> overLimit(long now) {
        return db.tx(c -> Db.query(c, "SELECT * FROM sessions WHERE status = 'active' AND started_at IS NOT NULL"
                + " AND started_at + duration_minutes * 60000 <= ?", SessionRow::map, now));
    }

    /** Deletes sessions (and unused context documents) last active before {@code cutoff}; returns how many rows. */
    int purgeBefore(long cutoff) {
        return db.tx(c -> Db.update(c, "DELETE FROM sessions WHERE status <> 'active'"
                + " AND COALESCE(ended_at, started_at, created_at) < ? AND (scheduled_at IS NULL OR scheduled_at < ?)",
                cutoff, cutoff)
                + Db.update(c, "DELETE FROM context_docs WHERE created_at < ? AND id NOT IN"
                + " (SELECT log_session_id FROM sessions WHERE log_session_id IS NOT NULL)", cutoff));
    }

    // ---- participants ----

    List<Member> members(String sessionId) {
        return db.tx(c -> Db.query(c, "SELECT p.user_id, u.name, p.present, p.joined_at, p.left_at FROM participants p"
                        + " JOIN users u ON u.id = p.user_id WHERE p.session_id = ? ORDER BY p.joined_at, p.user_id",
                rs -> new Member(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getLong(4), Db.longOrNull(rs, "left_at")),
                sessionId));
    }

    static int presentCount(Connection c, String sessionId) throws SQLException {
        return Db.one(c, "SELECT COUNT(*) FROM participants WHERE session_id = ? AND present = 1",
                rs -> rs.getInt(1), sessionId).orElse(0);
    }

    static void setPresent(Connection c, String sessionId, String userId, boolean present, long now) throws SQLException {
        int n = present
                ? Db.update(c, "UPDATE participants SET present = 1, joined_at = ?, left_at = NULL WHERE session_id = ?"
                + " AND user_id = ?", now, sessionId, userId)
                : Db.update(c, "UPDATE participants SET present = 0, left_at = ? WHERE session_id = ? AND user_id = ?",
                now, sessionId, userId);
        if (n == 0 && present) {
            Db.update(c, "INSERT INTO participants(session_id, user_id, present, joined_at) VALUES (?, ?, 1, ?)",
                    sessionId, userId, now);
        }
    }

    static void clearPresence(Connection c, String sessionId, long now) throws SQLException {
        Db.update(c, "UPDATE participants SET present = 0, left_at = ? WHERE session_id = ? AND present = 1", now, sessionId);
    }

    // ---- media leases ----

    /**
     * Takes or renews the lease on a session's live media for {@code node}.
     *
     * @return empty if taken, else the URL of the node that holds it
     */
    Optional<String> acquireLease(String sessionId, String node, String nodeUrl, long now, long ttlMillis) {
        return db.tx(c -> {
            int n = Db.update(c, "UPDATE sessions SET owner_node = ?, owner_url = ?, lease_until = ? WHERE id = ?"
                            + " AND (owner_node IS NULL OR owner_node = ? OR lease_until < ?)",
                    node, nodeUrl, now + ttlMillis, sessionId, node, now);
            if (n == 1) {
                return Optional.<String>empty();
            }
            return Optional.of(Db.one(c, "SELECT owner_url FROM sessions WHERE id = ?", rs -> rs.getString(1), sessionId)
                    .orElse(""));
        });
    }

    /** Renews this node's leases; returns the ids it no longer holds among {@code ids}. */
    List<String> renewLeases(String node, List<String> ids, long now, long ttlMillis) {
        return db.tx(c -> {
            List<String> lost = new java.util.ArrayList<>();
            for (String id : ids) {
                if (Db.update(c, "UPDATE sessions SET lease_until = ? WHERE id = ? AND owner_node = ?",
                        now + ttlMillis, id, node) == 0) {
                    lost.add(id);
                }
            }
            return lost;
        });
    }

    void releaseLease(String sessionId, String node) {
        db.tx(c -> Db.update(c, "UPDATE sessions SET owner_node = NULL, owner_url = NULL, lease_until = NULL"
                + " WHERE id = ? AND owner_node = ?", sessionId, node));
    }

    /**
     * Sessions whose owning node stopped renewing, within the caller's transaction: marked
     * interrupted, presence cleared; returns their ids, so the caller can log the interruption
     * in the same transaction (a reader never sees the status without its notice).
     */
    List<String> interruptExpired(Connection c, long now) throws SQLException {
        List<String> ids = Db.query(c, "SELECT id FROM sessions WHERE owner_node IS NOT NULL AND lease_until < ?"
                + " AND status = 'active'", rs -> rs.getString(1), now);
        for (String id : ids) {
            Db.update(c, "UPDATE sessions SET status = 'interrupted', owner_node = NULL, owner_url = NULL,"
                    + " lease_until = NULL, end_reason = 'node_lost' WHERE id = ? AND lease_until < ?", id, now);
            clearPresence(c, id, now);
        }
        return ids;
    }
}
