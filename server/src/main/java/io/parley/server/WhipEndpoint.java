package io.parley.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.group.AgentAudioSink;
import io.parley.group.Participant;
import io.parley.session.SessionException;
import io.parley.spi.TransportListener;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcConfig;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;
import io.parley.transport.webrtc.WhipHandler;
import io.parley.transport.webrtc.WhipRequest;
import io.parley.transport.webrtc.WhipRoutes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voice over WebRTC, one WHIP session per participant, through transport-webrtc:
 * {@code POST /api/voice-sessions/{id}/whip} with an SDP offer and the user's token joins the
 * session as a voice participant; {@code DELETE /api/whip/{resource}} hangs up. The WebRTC
 * engine starts on the first offer, so a machine without its native library still serves
 * everything else (offers then get 503).
 */
final class WhipEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WhipEndpoint.class);
    static final String RESOURCES = "/api/whip";

    /** Who is behind the offer being handled, for the transport callback on the same thread. */
    private record Caller(Store.User user, SessionRow session) {
    }

    private final Hub hub;
    private final Api api;
    private final Executor io;
    private final String internalToken = Vault.newToken();
    private final ThreadLocal<Caller> caller = new ThreadLocal<>();
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final boolean ownEngine;
    private WebRtcEngine engine;
    private WhipHandler handler;

    /** @param engine the host's WebRTC engine to share, or null to start one on the first offer */
    WhipEndpoint(Hub hub, Api api, Executor io, WebRtcEngine engine) {
        this.hub = hub;
        this.api = api;
        this.io = io;
        this.engine = engine;
        this.ownEngine = engine == null;
    }

    void routes(RoutesConfig r) {
        r.post("/api/voice-sessions/{id}/whip", this::offer);
        r.delete(RESOURCES + "/{resource}", this::hangUp);
    }

    private synchronized WhipHandler handler() {
        if (handler == null) {
            try {
                if (engine == null) {
                    engine = WebRtcEngine.start(WebRtcConfig.defaults());
                }
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                LOG.warn("WebRTC is unavailable on this node: {}", e.toString());
                throw new ApiException(503, "unavailable", "WebRTC is unavailable on this node: " + e.getMessage());
            }
            handler = WhipHandler.builder().engine(engine).endpointPath(RESOURCES).bearerToken(internalToken)
                    .transportSettings(TransportSettings.builder().format(AudioFormat.PCM_16K_MONO).build())
                    .onSession(this::joined).build();
        }
        return handler;
    }

    private void offer(Context ctx) {
        Store.User u = api.auth(ctx);
        SessionRow row = api.visible(ctx, u);
        if (row.over()) {
            throw ApiException.conflict("session has ended");
        }
        if (row.mode() != SessionMode.VOICE_BROWSER) {
            throw ApiException.badRequest("this session is text_only; WebRTC voice needs a voice_browser session");
        }
        if (row.status().equals(SessionRow.SCHEDULED)) {
            throw ApiException.conflict("session is scheduled for " + Json.time(row.scheduledAt()));
        }
        WhipHandler h = handler();
        SessionRow admitted = hub.admit(ctx, u, row);
        caller.set(new Caller(u, admitted));
        try {
            Map<String, String> headers = new HashMap<>();
            headers.put("Authorization", "Bearer " + internalToken);
            if (ctx.contentType() != null) {
                headers.put("Content-Type", ctx.contentType());
            }
            WhipRoutes.respond(ctx, h.handle(new WhipRequest("POST", RESOURCES, headers, ctx.bodyAsBytes())));
        } finally {
            caller.remove();
        }
    }

    private void hangUp(Context ctx) {
        Store.User u = api.auth(ctx);
        String resource = Fields.id(ctx.pathParam("resource"), "resource");
        if (!u.id().equals(owners.get(resource))) {
            throw ApiException.notFound("WHIP session " + resource);
        }
        WhipRoutes.respond(ctx, handler().handle(new WhipRequest("DELETE", RESOURCES + "/" + resource,
                Map.of("Authorization", "Bearer " + internalToken), new byte[0])));
    }

    /** On the offer's thread, before the answer goes back: the transport becomes a voice participant. */
    private void joined(WebRtcTransport transport) {
        Caller who = caller.get();
        if (who == null) {
            throw new IllegalStateException("WHIP session without a caller");
        }
        owners.put(transport.id(), who.user().id());
        LiveSession live = hub.openLive(who.session());
        AgentAudioSink toPeer = transport::send;
        LiveSession.Client c = new LiveSession.Client(who.user().id(), who.user().name(), true, io, json -> { },
                transport::close, toPeer);
        live.connect(c);
        transport.onClose(() -> {
            owners.remove(transport.id());
            live.disconnect(c);
            hub.closeIfEmpty(live);
        });
        transport.start(new TransportListener() {
            private byte[] pcm = new byte[640];

            @Override
            public void onAudio(AudioFrame frame) {
                Participant p = c.participant;
                if (p == null || !p.present()) {
                    return;
                }
                int n = frame.length() * 2;
                if (pcm.length != n) {
                    pcm = new byte[n];
                }
                frame.writePcm16le(pcm, 0);
                p.sendAudio(pcm);
            }

            @Override
            public void onDisconnected(String reason) {
                transport.close();
            }

            @Override
            public void onError(SessionException error) {
                LOG.warn("session {}: WebRTC transport of {} failed: {}", who.session().id(), who.user().id(),
                        error.getMessage());
            }
        });
    }

    @Override
    public synchronized void close() {
        if (ownEngine && engine != null) {
            engine.close();
        }
    }
}
