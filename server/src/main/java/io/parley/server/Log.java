package io.parley.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The conversation and the AI interaction log. Text is redacted, then sealed with AES-GCM;
 * a message's position is authenticated with it, so messages cannot be reordered unnoticed.
 */
final class Log {

    /** One line of a session's conversation. */
    record Message(long seq, String kind, String speakerId, String speaker, String text, boolean spoken, long at) {
        static final String USER = "user";
        static final String AGENT = "agent";
        static final String SYSTEM = "system";
    }

    /** One question the agent answered. */
    record Interaction(String id, String sessionId, String askerId, String asker, String question, String answer,
                       long latencyMs, boolean interrupted, Boolean helpful, long at) {
    }

    private final Db db;
    private final Vault vault;

    Log(Db db, Vault vault) {
        this.db = db;
        this.vault = vault;
    }

    /** Appends a message at the end of the session's conversation; returns it as stored (redacted). */
    Message append(String sessionId, String kind, String speakerId, String speaker, String text, boolean spoken, long now) {
        String clean = vault.redact(text);
        long seq = db.tx(c -> append(c, sessionId, kind, speakerId, speaker, clean, spoken, now));
        return new Message(seq, kind, speakerId, speaker, clean, spoken, now);
    }

    long append(Connection c, String sessionId, String kind, String speakerId, String speaker, String clean,
                boolean spoken, long now) throws SQLException {
        long seq = Db.one(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id = ?",
                rs -> rs.getLong(1), sessionId).orElse(1L);
        Db.update(c, "INSERT INTO messages(session_id, seq, kind, speaker_id, speaker, content, spoken, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", sessionId, seq, kind, speakerId, speaker,
                vault.seal(clean, seq), spoken, now);
        return seq;
    }

    List<Message> messages(String sessionId) {
        return db.tx(c -> Db.query(c, "SELECT seq, kind, speaker_id, speaker, content, spoken, created_at FROM messages"
                + " WHERE session_id = ? ORDER BY seq", rs -> new Message(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), vault.open(rs.getString(5), rs.getLong(1)), rs.getInt(6) != 0, rs.getLong(7)), sessionId));
    }

    /** Messages a user said, in any session, oldest first. */
    List<Message> messagesBy(String userId) {
        return db.tx(c -> Db.query(c, "SELECT seq, kind, speaker_id, speaker, content, spoken, created_at, session_id"
                + " FROM messages WHERE speaker_id = ? ORDER BY created_at, seq", rs -> new Message(rs.getLong(1),
                rs.getString(2), rs.getString(3), rs.getString(4), vault.open(rs.getString(5), rs.getLong(1)),
                rs.getInt(6) != 0, rs.getLong(7)), userId));
    }

    Interaction logInteraction(String sessionId, String askerId, String asker, String question, String answer,
                               long latencyMs, boolean interrupted, long now) {
        String id = UUID.randomUUID().toString();
        String q = vault.redact(question);
        String a = vault.redact(answer);
        db.tx(c -> Db.update(c, "INSERT INTO interactions(id, session_id, asker_id, asker, question, answer, latency_ms,"
                        + " interrupted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", id, sessionId, askerId, asker,
                vault.seal(q, 0), vault.seal(a, 1), latencyMs, interrupted, now));
        return new Interaction(id, sessionId, askerId, asker, q, a, latencyMs, interrupted, null, now);
    }

    List<Interaction> interactionsOfSession(String sessionId) {
        return db.tx(c -> Db.query(c, "SELECT * FROM interactions WHERE session_id = ? ORDER BY created_at, id",
                this::interaction, sessionId));
    }

    List<Interaction> interactionsOfUser(String userId) {
        return db.tx(c -> Db.query(c, "SELECT * FROM interactions WHERE asker_id = ? ORDER BY created_at, id",
                this::interaction, userId));
    }

    Optional<Interaction> interaction(String id) {
        return db.tx(c -> Db.one(c, "SELECT * FROM interactions WHERE id = ?", this::interaction, id));
    }

    void rate(String id, boolean helpful) {
        db.tx(c -> Db.update(c, "UPDATE interactions SET helpful = ? WHERE id = ?", helpful, id));
    }

    private Interaction interaction(java.sql.ResultSet rs) throws SQLException {
        int h = rs.getInt("helpful");
        Boolean helpful = rs.wasNull() ? null : h != 0;
        return new Interaction(rs.getString("id"), rs.getString("session_id"), rs.getString("asker_id"),
                rs.getString("asker"), vault.open(rs.getString("question"), 0), vault.open(rs.getString("answer"), 1),
                rs.getLong("latency_ms"), rs.getInt("interrupted") != 0, helpful, rs.getLong("created_at"));
    }
}
