package io.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.parley.group.Participant;
import io.parley.group.ParticipantKind;
import io.parley.session.SessionException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/voice-sessions/{id}/ws}: a participant's real-time connection. The token
 * comes in {@code Authorization: Bearer} or, for browsers, as a {@code Sec-WebSocket-Protocol}
 * entry next to {@code parley}. A request reaching a node that does not own the session's
 * media is answered 307 with the owner's URL in {@code Location}.
 */
final class WsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(WsEndpoint.class);
    static final String PATH = "/api/voice-sessions/{id}/ws";
    static final String PROTOCOL = "parley";
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final Hub hub;
    private final Api api;
    private final Executor io;
    private final Map<String, LiveSession.Client> clients = new ConcurrentHashMap<>();

    WsEndpoint(Hub hub, Api api, Executor io) {
        this.hub = hub;
        this.api = api;
        this.io = io;
    }

    void routes(RoutesConfig r) {
        r.wsBeforeUpgrade(PATH, this::beforeUpgrade);
        r.ws(PATH, this::configure);
    }

    private void beforeUpgrade(Context ctx) {
        String header = ctx.header("Authorization");
        String protocols = ctx.header("Sec-WebSocket-Protocol");
        if (header == null && protocols != null) {
            for (String p : protocols.split(",")) {
                String t = p.trim();
                if (t.startsWith("pk_")) {
                    header = "Bearer " + t;
                }
            }
            ctx.header("Sec-WebSocket-Protocol", PROTOCOL);
        }
        Store.User u = api.authToken(header);
        SessionRow row = api.visible(ctx, u);
        if (row.over()) {
            throw ApiException.conflict("session has ended");
        }
        if (row.status().equals(SessionRow.SCHEDULED)) {
            throw ApiException.conflict("session is scheduled for " + Json.time(row.scheduledAt()));
        }
        String kind = ctx.queryParam("kind") == null
                ? (row.mode() == SessionMode.VOICE_BROWSER ? "voice" : "text") : ctx.queryParam("kind");
        if (!kind.equals("voice") && !kind.equals("text")) {
            throw ApiException.badRequest("kind must be voice or text");
        }
        if (kind.equals("voice") && row.mode() != SessionMode.VOICE_BROWSER) {
            throw ApiException.badRequest("this session is text_only; connect with kind=text");
        }
        SessionRow admitted = hub.admit(ctx, u, row);
        ctx.attribute("parley.user", u);
        ctx.attribute("parley.session", admitted);
        ctx.attribute("parley.voice", kind.equals("voice"));
    }

    private void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
            ctx.session.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
            Store.User u = ctx.attribute("parley.user");
            SessionRow row = ctx.attribute("parley.session");
            boolean voice = Boolean.TRUE.equals(ctx.attribute("parley.voice"));
            LiveSession live = hub.openLive(row);
            LiveSession.Client c = new LiveSession.Client(u.id(), u.name(), voice, io, ctx::send, ctx::closeSession, null);
            clients.put(ctx.sessionId(), c);
            try {
                live.connect(c);
            } catch (RuntimeException e) {
                clients.remove(ctx.sessionId());
                LOG.warn("session {}: {} could not join: {}", row.id(), u.id(), e.getMessage());
                ctx.send(error("join_failed", e.getMessage()));
                ctx.closeSession(1011, "could not join");
                hub.left(row.id(), u.id());
                hub.closeIfEmpty(live);
            }
        });
        ws.onMessage(ctx -> {
            LiveSession.Client c = clients.get(ctx.sessionId());
            if (c != null) {
                onText(ctx, c, ctx.message());
            }
        });
        ws.onBinaryMessage(ctx -> {
            LiveSession.Client c = clients.get(ctx.sessionId());
            if (c != null) {
                ByteBuffer b = ctx.data();
                byte[] pcm = new byte[b.remaining()];
                b.get(pcm);
                audio(ctx, c, pcm);
            }
        });
        ws.onClose(ctx -> closed(ctx));
        ws.onError(ctx -> closed(ctx));
    }

    private void closed(WsContext ctx) {
        LiveSession.Client c = clients.remove(ctx.sessionId());
        SessionRow row = ctx.attribute("parley.session");
        if (c == null || row == null) {
            return;
        }
        LiveSession live = hub.live(row.id());
        if (live != null) {
            live.disconnect(c);
            hub.closeIfEmpty(live);
        }
    }

    private void onText(WsContext ctx, LiveSession.Client c, String message) {
        JsonNode m;
        try {
            m = Json.parseObject(message);
        } catch (ApiException e) {
            ctx.send(error("bad_message", e.getMessage()));
            return;
        }
        String type = m.path("type").asText("");
        switch (type) {
            case "audio_chunk" -> {
                JsonNode data = m.get("data");
                if (data == null || !data.isTextual()) {
                    ctx.send(error("bad_message", "audio_chunk needs data: base64 PCM16LE 16 kHz mono"));
                    return;
                }
                byte[] pcm;
                try {
                    pcm = Base64.getDecoder().decode(data.asText());
                } catch (IllegalArgumentException e) {
                    ctx.send(error("bad_message", "audio_chunk data is not base64"));
                    return;
                }
                audio(ctx, c, pcm);
            }
            case "audio_end" -> {
                Participant p = c.participant;
                if (p != null && p.kind() == ParticipantKind.VOICE) {
                    p.endOfSpeech();
                }
            }
            case "text" -> {
                String text = m.path("text").isTextual() ? m.path("text").asText() : null;
                try {
                    c.participant.sendText(text);
                } catch (IllegalArgumentException | SessionException e) {
                    ctx.send(error("bad_message", e.getMessage()));
                }
            }
            case "ping" -> ctx.send(Json.write(Json.obj("type", "pong", "data", m.get("data"))));
            default -> ctx.send(error("bad_message", "unknown message type '" + type
                    + "'; send audio_chunk, audio_end, text or ping"));
        }
    }

    private void audio(WsContext ctx, LiveSession.Client c, byte[] pcm) {
        Participant p = c.participant;
        if (p == null || p.kind() != ParticipantKind.VOICE) {
            ctx.send(error("bad_message", "audio from a text participant; connect with kind=voice"));
            return;
        }
        try {
            p.sendAudio(pcm);
        } catch (IllegalArgumentException | SessionException e) {
            ctx.send(error("bad_audio", e.getMessage()));
        }
    }

    static String error(String code, String message) {
        return Json.write(Json.obj("type", "error", "data", Json.obj("code", code, "message", message)));
    }
}
