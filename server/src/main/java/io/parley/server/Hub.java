package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.group.GroupSession;
import io.parley.session.StreamingAgent;
import io.parley.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the service: the live sessions whose media it owns (by lease), and
 * the session-wide changes that must reach them wherever they were requested. A change is
 * applied here and, on PostgreSQL, sent to the other nodes with {@code NOTIFY}.
 */
final class Hub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Hub.class);

    private final Store store;
    private final Log log;
    private final Vault vault;
    private final ServerSettings settings;
    private final ExecutorService blocking;
    private final Map<String, LiveSession> live = new ConcurrentHashMap<>();
    private volatile String nodeUrl = "";
    private volatile PgEvents events;

    Hub(Store store, Log log, Vault vault, ServerSettings settings, ExecutorService blocking) {
        this.store = store;
        this.log = log;
        this.vault = vault;
        this.settings = settings;
        this.blocking = blocking;
    }

    void started(String url, PgEvents pgEvents) {
        this.nodeUrl = url;
        this.events = pgEvents;
    }

    Store store() {
        return store;
    }

    Log log() {
        return log;
    }

    Vault vault() {
        return vault;
    }

    ServerSettings settings() {
        return settings;
    }

    String nodeId() {
        return settings.nodeId();
    }

    String nodeUrl() {
        return nodeUrl;
    }

    long now() {
        return settings.clock().now().toEpochMilli();
    }

    /** The node that owns the session's live media, if it is another one: its base URL. */
    Optional<String> otherOwner(String sessionId) {
        return store.acquireLease(sessionId, nodeId(), nodeUrl, now(), settings.leaseTtl().toMillis())
                .filter(url -> !url.isEmpty());
    }

    LiveSession live(String id) {
        return live.get(id);
    }

    List<String> liveIds() {
        return new ArrayList<>(live.keySet());
    }

    /** The session's live media here, started if needed (the caller holds the lease). */
    LiveSession openLive(SessionRow row) {
        return live.computeIfAbsent(row.id(), id -> {
            List<String> context = new ArrayList<>();
            if (row.logSessionId() != null) {
                store.document(row.logSessionId()).ifPresent(context::add);
            }
            AgentSetup setup = new AgentSetup(row.id(), row.type(), row.title(), row.description(), row.projectLink(), context);
            StreamingAgent agent = settings.agentFor(row.type()).create(setup);
            SpeechProviders sp = settings.speech();
            GroupSession.Builder b = GroupSession.builder()
                    .id(row.id())
                    .streamingAgent(agent)
                    .agentEnabled(row.agentEnabled())
                    .config(settings.sessionConfig())
                    .clock(settings.clock());
            if (sp != null) {
                b.stt(sp.stt()).tts(sp.tts()).vad(sp.vad());
            }
            if (row.wakePhrase() != null) {
                b.wakePhrase(row.wakePhrase());
            }
            LOG.info("session {}: live media on node {}", row.id(), nodeId());
            return new LiveSession(row, this, blocking, b);
        });
    }

    /**
     * Lets a participant's media connection in: the session's media must be here (else 307 to
     * the owner), there must be room, and a waiting or interrupted session becomes active.
     *
     * @return the session as it is now
     */
    SessionRow admit(io.javalin.http.Context ctx, Store.User u, SessionRow row) {
        Optional<String> owner = otherOwner(row.id());
        if (owner.isPresent()) {
            String target = owner.get() + ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            ctx.header("Location", target);
            throw new ApiException(307, "redirect", "session media is served by " + owner.get());
        }
        store.db().tx(c -> {
            SessionRow cur = Store.session(c, row.id()).orElseThrow(() -> ApiException.notFound("session " + row.id()));
            boolean present = Db.one(c, "SELECT present FROM participants WHERE session_id = ? AND user_id = ?",
                    rs -> rs.getInt(1) != 0, row.id(), u.id()).orElse(false);
            if (!present && Store.presentCount(c, row.id()) >= cur.maxParticipants()) {
                throw ApiException.conflict("session is full (" + cur.maxParticipants() + " participants)");
            }
            long now = now();
            Store.setPresent(c, row.id(), u.id(), true, now);
            if (!cur.status().equals(SessionRow.ACTIVE)) {
                Store.setStatus(c, row.id(), SessionRow.ACTIVE, now, null, null);
                log.append(c, row.id(), Log.Message.SYSTEM, "system", "system",
                        cur.status().equals(SessionRow.INTERRUPTED) ? "Session resumed after an interruption"
                                : "Session started", false, now);
            }
            return null;
        });
        return store.session(row.id()).orElseThrow(() -> ApiException.notFound("session " + row.id()));
    }

    /** Closes the session's live media here once nobody is connected, and gives up the lease. */
    void closeIfEmpty(LiveSession s) {
        if (s.clientCount() == 0 && live.remove(s.id(), s)) {
            s.group().stop();
            store.releaseLease(s.id(), nodeId());
            LOG.info("session {}: live media closed on node {}", s.id(), nodeId());
        }
    }

    /** A participant's connection went away: no longer present. */
    void left(String sessionId, String userId) {
        store.db().tx(c -> {
            Store.setPresent(c, sessionId, userId, false, now());
            return null;
        });
    }

    /** Ends a session everywhere: stored as ended with the reason, live media closed. */
    void end(String sessionId, String reason) {
        long now = now();
        boolean changed = store.db().tx(c -> {
            Optional<SessionRow> row = Store.session(c, sessionId);
            if (row.isEmpty() || row.get().over()) {
                return false;
            }
            Store.setStatus(c, sessionId, SessionRow.ENDED, null, now, reason);
            Store.clearPresence(c, sessionId, now);
            log.append(c, sessionId, Log.Message.SYSTEM, "system", "system", "Session ended (" + reason + ")", false, now);
            return true;
        });
        if (changed) {
            publish(sessionId, "ended", Json.obj("reason", reason));
        }
    }

    /** Applies a change here and sends it to the other nodes. */
    void publish(String sessionId, String type, Map<String, Object> data) {
        apply(sessionId, type, Json.MAPPER.valueToTree(data));
        PgEvents e = events;
        if (e != null) {
            e.notify(Json.write(Json.obj("node", nodeId(), "session", sessionId, "type", type, "data", data)));
        }
    }

    /** A change published by another node. */
    void received(String payload) {
        JsonNode n = Json.parseObject(payload);
        if (!nodeId().equals(n.path("node").asText())) {
            apply(n.path("session").asText(), n.path("type").asText(), n.path("data"));
        }
    }

    private void apply(String sessionId, String type, JsonNode data) {
        LiveSession s = live.get(sessionId);
        if (s == null) {
            return;
        }
        switch (type) {
            case "agent" -> s.group().setAgentEnabled(data.path("enabled").asBoolean());
            case "ended", "deleted" -> {
                s.shutdown(data.path("reason").asText(type));
                live.remove(sessionId, s);
                store.releaseLease(sessionId, nodeId());
            }
            case "left" -> {
                LiveSession.Client c = s.client(data.path("user_id").asText());
                if (c != null) {
                    c.out.execute(c.close);
                }
            }
            case "started", "interrupted" -> s.broadcastLater(Json.write(Json.obj("type", "state",
                    "data", Json.obj("status", type.equals("started") ? SessionRow.ACTIVE : type))));
            default -> LOG.warn("session {}: unknown event type {}", sessionId, type);
        }
    }

    /** Renews this node's leases; live media whose lease another node took is closed here. */
    void heartbeat() {
        List<String> ids = liveIds();
        if (ids.isEmpty()) {
            return;
        }
        for (String lost : store.renewLeases(nodeId(), ids, now(), settings.leaseTtl().toMillis())) {
            LiveSession s = live.remove(lost);
            if (s != null) {
                LOG.warn("session {}: lease lost; closing live media on node {}", lost, nodeId());
                s.shutdown("lease_lost");
            }
        }
    }

    /** A message as the API shows it. */
    static Map<String, Object> message(Log.Message m, Boolean addressed) {
        Map<String, Object> o = Json.obj("seq", m.seq(), "kind", m.kind(), "speaker_id", m.speakerId(),
                "speaker", m.speaker(), "text", m.text(), "spoken", m.spoken(), "timestamp", Json.time(m.at()));
        if (addressed != null) {
            o.put("addressed", addressed);
        }
        return o;
    }

    Clock clock() {
        return settings.clock();
    }

    @Override
    public void close() {
        for (String id : liveIds()) {
            LiveSession s = live.remove(id);
            if (s != null) {
                s.shutdown("server_stopping");
                store.releaseLease(id, nodeId());
            }
        }
    }
}
