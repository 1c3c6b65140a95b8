package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.RecordingExporter;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The REST API under {@code /api}. Every call but creating users needs a user's bearer token;
 * a user sees only sessions they created or joined (joining needs the session id, which is
 * the invitation). Each change is one database transaction.
 */
final class Api {

    static final int MAX_LOG_CHARS = 1_000_000;
    private static final Set<String> CREATE_FIELDS = Set.of("title", "description", "session_type", "mode",
            "scheduled_start", "max_participants", "agent_enabled", "wake_phrase", "project_link", "log_session_id",
            "repo_url");

    private final Hub hub;
    private final Store store;
    private final Log log;
    private final Map<String, long[]> rate = new ConcurrentHashMap<>();

    Api(Hub hub) {
        this.hub = hub;
        this.store = hub.store();
        this.log = hub.log();
    }

    void routes(RoutesConfig r) {
        r.post("/api/users", this::createUser);
        r.get("/api/users/me", ctx -> send(ctx, 200, user(auth(ctx))));
        r.get("/api/users/me/interactions", ctx -> send(ctx, 200, log.interactionsOfUser(auth(ctx).id()).stream()
                .map(Api::interaction).toList()));
        r.post("/api/sessions", this::addDocument);
        r.post("/api/voice-sessions", this::createSession);
        r.get("/api/voice-sessions", this::listSessions);
        r.get("/api/voice-sessions/{id}", ctx -> send(ctx, 200, session(visible(ctx, auth(ctx)))));
        r.delete("/api/voice-sessions/{id}", this::deleteSession);
        r.post("/api/voice-sessions/{id}/start", this::start);
        r.post("/api/voice-sessions/{id}/join", this::join);
        r.post("/api/voice-sessions/{id}/leave", this::leave);
        r.post("/api/voice-sessions/{id}/end", this::end);
        r.post("/api/voice-sessions/{id}/agent", this::agent);
        r.get("/api/voice-sessions/{id}/participants", this::participants);
        r.get("/api/voice-sessions/{id}/history", ctx -> send(ctx, 200, history(visible(ctx, auth(ctx)).id())));
        r.get("/api/voice-sessions/{id}/interactions", ctx -> send(ctx, 200,
                log.interactionsOfSession(visible(ctx, auth(ctx)).id()).stream().map(Api::interaction).toList()));
        r.get("/api/voice-sessions/{id}/export", this::export);
        r.post("/api/interactions/{id}/helpful", this::rate);
        r.get("/api/shared/{token}", this::shared);
        r.get("/api/user/export", this::exportUser);
        r.delete("/api/user/delete", this::deleteUser);
        r.get("/api/health", ctx -> send(ctx, 200, Json.obj("status", "ok", "node", hub.nodeId(),
                "database", store.db().postgres() ? "postgresql" : "sqlite")));
    }

    // ---- identity ----

    /** The caller, from {@code Authorization: Bearer <token>}; counts against their rate limit. */
    Store.User auth(Context ctx) {
        return authToken(ctx.header("Authorization"));
    }

    Store.User authToken(String header) {
        if (header == null || !header.startsWith("Bearer ") || header.length() > 200) {
            throw ApiException.unauthorized("send your token as 'Authorization: Bearer <token>'");
        }
        Store.User u = store.userByToken(header.substring(7).trim())
                .orElseThrow(() -> ApiException.unauthorized("unknown token"));
        limit(u.id());
        return u;
    }

    private void limit(String userId) {
        long minute = hub.now() / 60_000;
        long[] w = rate.compute(userId, (k, v) -> v == null || v[0] != minute ? new long[] {minute, 1} : new long[] {minute, v[1] + 1});
        if (w[1] > hub.settings().requestsPerMinute()) {
            throw ApiException.tooMany("more than " + hub.settings().requestsPerMinute() + " requests in a minute; try again shortly");
        }
    }

    private void createUser(Context ctx) {
        Store.User caller = auth(ctx);
        if (!caller.admin()) {
            throw ApiException.forbidden("only the admin token can create users");
        }
        JsonNode body = Json.parseObject(ctx.body());
        Fields.onlyKnown(body, Set.of("name"));
        String name = Fields.requiredString(body, "name", 100);
        String id = UUID.randomUUID().toString();
        String token = store.createUser(id, name, false, hub.now());
        send(ctx, 201, Json.obj("id", id, "name", name, "token", token));
    }

    private void addDocument(Context ctx) {
        Store.User u = auth(ctx);
        JsonNode body = Json.parseObject(ctx.body());
        Fields.onlyKnown(body, Set.of("log_content", "encryption_enabled"));
        JsonNode content = body.get("log_content");
        if (content == null || !content.isTextual() || content.asText().isBlank()) {
            throw ApiException.badRequest("log_content is required and must be a string");
        }
        if (content.asText().length() > MAX_LOG_CHARS) {
            throw ApiException.tooLarge("log_content must be at most " + MAX_LOG_CHARS + " characters");
        }
        Fields.bool(body, "encryption_enabled", true);
        String id = store.addDocument(u.id(), content.asText(), hub.now());
        // Stored content is always sealed; encryption_enabled is accepted for the seed's clients.
        send(ctx, 201, Json.obj("id", id, "log_session_id", id, "chars", content.asText().length(), "encrypted", true));
    }

    // ---- sessions ----

    private void createSession(Context ctx) {
        Store.User u = auth(ctx);
        JsonNode body = Json.parseObject(ctx.body());
        Fields.onlyKnown(body, CREATE_FIELDS);
        SessionType type = parse(() -> SessionType.parse(Fields.string(body, "session_type", 40, "general")));
        SessionMode mode = parse(() -> SessionMode.parse(Fields.string(body, "mode", 40, "text_only")));
        String title = Fields.string(body, "title", 200, null);
        String description = Fields.string(body, "description", 4000, "");
        Long scheduled = Fields.time(body, "scheduled_start");
        long now = hub.now();
        if (scheduled != null && scheduled < now - 60_000) {
            throw ApiException.badRequest("scheduled_start is in the past");
        }
        int max = Fields.integer(body, "max_participants", 1, 100, 10);
        boolean agent = Fields.bool(body, "agent_enabled", true);
        String wake = Fields.string(body, "wake_phrase", 100, "hey agent");
        if (wake != null && wake.isBlank()) {
            wake = null;
        }
        if (wake != null) {
            String w = wake;
            parse(() -> io.parley.group.WakePhrase.of(w));
        }
        String project = Fields.string(body, "project_link", 500, Fields.string(body, "repo_url", 500, null));
        String logId = Fields.string(body, "log_session_id", 64, null);
        if (logId != null) {
            Fields.id(logId, "log_session_id");
            String owner = store.documentOwner(logId).orElseThrow(() -> ApiException.notFound("log session " + logId));
            if (!owner.equals(u.id())) {
                throw ApiException.notFound("log session " + logId);
            }
        }
        String status = scheduled != null && scheduled > now ? SessionRow.SCHEDULED : SessionRow.WAITING;
        String id = UUID.randomUUID().toString();
        SessionRow row = new SessionRow(id, u.id(), title == null || title.isBlank() ? type.wireName().replace('_', ' ')
                + " session" : title.trim(), description, type, mode, status, scheduled, null, null, null,
                hub.settings().minutes(mode), max, agent, wake, project, logId, null, null, null, null, now);
        store.insertSession(row);
        send(ctx, 201, session(row));
    }

    private void listSessions(Context ctx) {
        Store.User u = auth(ctx);
        String status = ctx.queryParam("status");
        List<String> statuses;
        if (status == null) {
            statuses = List.of();
        } else if (status.equals("active")) {
            statuses = List.of(SessionRow.ACTIVE, SessionRow.WAITING);
        } else if (status.equals("upcoming")) {
            statuses = List.of(SessionRow.SCHEDULED);
        } else if (status.equals("ended")) {
            statuses = List.of(SessionRow.ENDED, SessionRow.INTERRUPTED);
        } else {
            throw ApiException.badRequest("status must be active, upcoming or ended");
        }
        send(ctx, 200, store.sessionsOf(u.id(), statuses).stream().map(this::session).toList());
    }

    /** The session in the path, if the caller created or joined it; 404 otherwise, so ids do not leak. */
    SessionRow visible(Context ctx, Store.User u) {
        String id = Fields.id(ctx.pathParam("id"), "session id");
        SessionRow row = store.session(id).orElseThrow(() -> ApiException.notFound("session " + id));
        if (!store.isMember(id, u.id())) {
            throw ApiException.notFound("session " + id);
        }
        return row;
    }

    private SessionRow existing(Context ctx) {
        String id = Fields.id(ctx.pathParam("id"), "session id");
        return store.session(id).orElseThrow(() -> ApiException.notFound("session " + id));
    }

    private static void creatorOnly(SessionRow row, Store.User u, String action) {
        if (!row.creatorId().equals(u.id())) {
            throw ApiException.forbidden("only the session's creator can " + action + " it");
        }
    }

    private void start(Context ctx) {
        Store.User u = auth(ctx);
        SessionRow row = visible(ctx, u);
        creatorOnly(row, u, "start");
        long now = hub.now();
        boolean changed = store.db().tx(c -> {
            SessionRow cur = Store.session(c, row.id()).orElseThrow(() -> ApiException.notFound("session " + row.id()));
            if (cur.over()) {
                throw ApiException.conflict("session has ended");
            }
            if (cur.status().equals(SessionRow.ACTIVE)) {
                return false;
            }
            Store.setStatus(c, row.id(), SessionRow.ACTIVE, now, null, null);
            log.append(c, row.id(), Log.Message.SYSTEM, "system", "system", "Session started by " + u.name(), false, now);
            return true;
        });
        if (changed) {
            hub.publish(row.id(), "started", Json.obj());
        }
        send(ctx, 200, session(store.session(row.id()).orElseThrow()));
    }

    private void join(Context ctx) {
        Store.User u = auth(ctx);
        SessionRow row = existing(ctx);
        store.db().tx(c -> {
            SessionRow cur = Store.session(c, row.id()).orElseThrow(() -> ApiException.notFound("session " + row.id()));
            if (cur.over()) {
                throw ApiException.conflict("session has ended");
            }
            boolean present = Db.one(c, "SELECT present FROM participants WHERE session_id = ? AND user_id = ?",
                    rs -> rs.getInt(1) != 0, row.id(), u.id()).orElse(false);
            if (!present && Store.presentCount(c, row.id()) >= cur.maxParticipants()) {
                throw ApiException.conflict("session is full (" + cur.maxParticipants() + " participants)");
            }
            Store.setPresent(c, row.id(), u.id(), true, hub.now());
            return null;
        });
        send(ctx, 200, session(store.session(row.id()).orElseThrow()));
    }

    private void leave(Context ctx) {
        Store.User u = auth(ctx);
        SessionRow row = visible(ctx, u);
        hub.left(row.id(), u.id());
        hub.publish(row.id(), "left", Json.obj("user_id", u.id()));
        send(ctx, 200, session(store.session(row.id()).orElseThrow()));
    }

    private void end(Context ctx) {
        Store.User u = auth(ctx);
        SessionRow row = visible(ctx, u);
        creatorOnly(row, u, "end");
        if (row.over()) {
            throw ApiException.conflict("session has already ended");
        }
        hub.end(row.id(), "ended_by_creator");
        send(ctx, 200, session(store.session(row.id()).orElseThrow()));
    }

    private void deleteSession(Context ctx) {
        Store.User u = auth(ctx);
        SessionRow row = visible(ctx, u);
        creatorOnly(row, u, "delete");
        store.deleteSession(row.id());
        hub.publish(row.id(), "deleted", Json.obj("reason", "deleted"));
        ctx.status(204);
    }

    private void agent(Context ctx) {
        Store.User u = auth(ctx);
        SessionRow row = visible(ctx, u);
        JsonNode body = Json.parseObject(ctx.body());
        Fields.onlyKnown(body, Set.of("enabled"));
        Boolean enabled = Fields.bool(body, "enabled", null);
        if (enabled == null) {
            throw ApiException.badRequest("enabled is required (true or false)");
        }
        if (row.over()) {
            throw ApiException.conflict("session has ended");
        }
        store.setAgentEnabled(row.id(), enabled);
        hub.publish(row.id(), "agent", Json.obj("enabled", enabled));
        send(ctx, 200, Json.obj("agent_enabled", enabled));
    }

    private void participants(Context ctx) {
        SessionRow row = visible(ctx, auth(ctx));
        send(ctx, 200, store.members(row.id()).stream().map(m -> Json.obj("user_id", m.userId(), "name", m.name(),
                "creator", m.userId().equals(row.creatorId()), "present", m.present(), "joined_at", Json.time(m.joinedAt()),
                "left_at", Json.time(m.leftAt()))).toList());
    }

    List<Map<String, Object>> history(String sessionId) {
        return log.messages(sessionId).stream().map(m -> Hub.message(m, null)).toList();
    }

    private void export(Context ctx) {
        SessionRow row = visible(ctx, auth(ctx));
        String f = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        if (!Commands.EXPORT_FORMATS.contains(f)) {
            throw ApiException.badRequest("format must be one of " + String.join(", ", Commands.EXPORT_FORMATS));
        }
        ExportFormat format = ExportFormat.parse(f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingExporter.create().export(Transcripts.recording(row, log.messages(row.id()), store.members(row.id())),
                format, out);
        ctx.header("Content-Disposition", "attachment; filename=\"session-" + row.id() + "." + format.extension() + "\"");
        ctx.contentType(Transcripts.contentType(format)).result(out.toByteArray());
    }

    private void rate(Context ctx) {
        Store.User u = auth(ctx);
        String id = Fields.id(ctx.pathParam("id"), "interaction id");
        Log.Interaction in = log.interaction(id).orElseThrow(() -> ApiException.notFound("interaction " + id));
        if (!store.isMember(in.sessionId(), u.id())) {
            throw ApiException.notFound("interaction " + id);
        }
        JsonNode body = Json.parseObject(ctx.body());
        Fields.onlyKnown(body, Set.of("helpful"));
        Boolean helpful = Fields.bool(body, "helpful", null);
        if (helpful == null) {
            throw ApiException.badRequest("helpful is required (true or false)");
        }
        log.rate(id, helpful);
        send(ctx, 200, interaction(log.interaction(id).orElseThrow()));
    }

    private void shared(Context ctx) {
        String token = ctx.pathParam("token");
        if (token.length() > 64) {
            throw ApiException.notFound("shared session");
        }
        SessionRow row = store.sessionByShareToken(token).orElseThrow(() -> ApiException.notFound("shared session"));
        send(ctx, 200, Json.obj("session", Json.obj("title", row.title(), "session_type", row.type().wireName(),
                "mode", row.mode().wireName(), "status", row.status()), "history", history(row.id())));
    }

    private void exportUser(Context ctx) {
        Store.User u = auth(ctx);
        send(ctx, 200, Json.obj("user", user(u),
                "sessions", store.sessionsOf(u.id(), List.of()).stream().map(this::session).toList(),
                "messages", log.messagesBy(u.id()).stream().map(m -> Hub.message(m, null)).toList(),
                "interactions", log.interactionsOfUser(u.id()).stream().map(Api::interaction).toList()));
    }

    private void deleteUser(Context ctx) {
        Store.User u = auth(ctx);
        if (u.admin()) {
            throw ApiException.forbidden("the admin user cannot be deleted");
        }
        List<SessionRow> created = store.sessionsOf(u.id(), List.of()).stream().filter(s -> s.creatorId().equals(u.id())).toList();
        store.deleteUser(u.id());
        for (SessionRow s : created) {
            hub.publish(s.id(), "deleted", Json.obj("reason", "creator_deleted"));
        }
        ctx.status(204);
    }

    // ---- shapes ----

    Map<String, Object> session(SessionRow s) {
        boolean leased = s.ownerUrl() != null && s.leaseUntil() != null && s.leaseUntil() > hub.now();
        return Json.obj("id", s.id(), "session_url", s.id(), "title", s.title(), "description", s.description(),
                "session_type", s.type().wireName(), "mode", s.mode().wireName(), "status", s.status(),
                "duration_minutes", s.durationMinutes(), "scheduled_start", Json.time(s.scheduledAt()),
                "started_at", Json.time(s.startedAt()), "ended_at", Json.time(s.endedAt()), "end_reason", s.endReason(),
                "max_participants", s.maxParticipants(), "agent_enabled", s.agentEnabled(), "wake_phrase", s.wakePhrase(),
                "project_link", s.projectLink(), "log_session_id", s.logSessionId(), "creator_id", s.creatorId(),
                "media_node", leased ? s.ownerUrl() : null, "created_at", Json.time(s.createdAt()));
    }

    private static Map<String, Object> user(Store.User u) {
        return Json.obj("id", u.id(), "name", u.name(), "admin", u.admin(), "created_at", Json.time(u.createdAt()));
    }

    static Map<String, Object> interaction(Log.Interaction i) {
        return Json.obj("id", i.id(), "session_id", i.sessionId(), "asker_id", i.askerId(), "asker", i.asker(),
                "question", i.question(), "answer", i.answer(), "latency_ms", i.latencyMs(), "interrupted", i.interrupted(),
                "helpful", i.helpful(), "created_at", Json.time(i.at()));
    }

    static void send(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    private static <T> T parse(java.util.function.Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    Optional<Store.User> tryAuth(String header) {
        try {
            return Optional.of(authToken(header));
        } catch (ApiException e) {
            return Optional.empty();
        }
    }
}
