package io.parley.server;

import java.sql.ResultSet;
import java.sql.SQLException;

/** One row of the sessions table. Times are epoch milliseconds. */
record SessionRow(String id, String creatorId, String title, String description, SessionType type, SessionMode mode,
                  String status, Long scheduledAt, Long startedAt, Long endedAt, String endReason, int durationMinutes,
                  int maxParticipants, boolean agentEnabled, String wakePhrase, String projectLink, String logSessionId,
                  String shareToken, String ownerNode, String ownerUrl, Long leaseUntil, long createdAt) {

    static final String WAITING = "waiting";
    static final String SCHEDULED = "scheduled";
    static final String ACTIVE = "active";
    static final String ENDED = "ended";
    static final String INTERRUPTED = "interrupted";

    static SessionRow map(ResultSet rs) throws SQLException {
        return new SessionRow(rs.getString("id"), rs.getString("creator_id"), rs.getString("title"),
                rs.getString("description"), SessionType.parse(rs.getString("session_type")),
                SessionMode.parse(rs.getString("mode")), rs.getString("status"), Db.longOrNull(rs, "scheduled_at"),
                Db.longOrNull(rs, "started_at"), Db.longOrNull(rs, "ended_at"), rs.getString("end_reason"),
                rs.getInt("duration_minutes"), rs.getInt("max_participants"), rs.getInt("agent_enabled") != 0,
                rs.getString("wake_phrase"), rs.getString("project_link"), rs.getString("log_session_id"),
                rs.getString("share_token"), rs.getString("owner_node"), rs.getString("owner_url"),
                Db.longOrNull(rs, "lease_until"), rs.getLong("created_at"));
    }

    boolean over() {
        return status.equals(ENDED);
    }

    boolean live() {
        return status.equals(ACTIVE) || status.equals(WAITING) || status.equals(INTERRUPTED);
    }
}
