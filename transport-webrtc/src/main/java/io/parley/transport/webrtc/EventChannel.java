package io.parley.transport.webrtc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.session.AgentText;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import io.parley.session.TurnCommit;
import io.parley.session.UserSpeech;
import io.parley.session.UserTranscript;
import io.parley.session.VoiceSession;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's events for the remote peer, and the peer's commands for the session, as JSON
 * text messages on the transport's {@code parley-events} data channel. Any WebRTC client that
 * opens a data channel with that label in its offer (a browser, a plain WHIP client) gets them;
 * events produced before the channel opens (the greeting) are delivered when it opens.
 *
 * <p>Every event is one JSON object with {@code type}, {@code seq} (1, 2, ... per session) and
 * {@code at} (epoch milliseconds):
 * <ul>
 *   <li>{@code state}: {@code from}, {@code to}, {@code reason} — a state change;</li>
 *   <li>{@code speech}: {@code speaking} — the user started or stopped speaking;</li>
 *   <li>{@code transcript}: {@code turn}, {@code final}, {@code text} — what the recognizer
 *       heard so far (interim) or settled on (final), possibly empty;</li>
 *   <li>{@code turn}: {@code turn}, {@code text}, {@code interimFallback}, {@code typed} — the
 *       user's turn as the agent received it: exactly the text the agent answers, which comes
 *       from the latest interim transcript when the final one was late ({@code interimFallback})
 *       or from a typed message ({@code typed});</li>
 *   <li>{@code agent}: {@code turn} (0 for {@code say}), {@code speech}, {@code text} — a piece
 *       of the agent's reply as it was generated, or the whole text of a {@code say};</li>
 *   <li>{@code playback}: {@code kind} (STARTED, PAUSED, RESUMED, FINISHED, INTERRUPTED),
 *       {@code speech}, {@code turn} (0 for {@code say}), {@code text} (all meant to be said,
 *       including {@code say} text) and {@code played} (what the user heard);</li>
 *   <li>{@code error}: {@code code}, {@code message}.</li>
 * </ul>
 *
 * <p>Commands from the peer, one JSON object per message:
 * {@code {"type":"text","text":"..."}} (a typed user turn),
 * {@code {"type":"control","action":"interrupt"}}, {@code {"type":"control","action":"mute"}}
 * and {@code {"type":"control","action":"unmute"}} (the microphone, on the server side). A
 * command that cannot be understood is answered with an {@code error} event of code
 * {@code BAD_MESSAGE}; nothing is silently ignored.
 */
public final class EventChannel implements SessionListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventChannel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VoiceSession session;
    private final WebRtcTransport transport;
    private final AtomicLong seq = new AtomicLong();

    private EventChannel(VoiceSession session, WebRtcTransport transport) {
        this.session = session;
        this.transport = transport;
    }

    /**
     * Publishes {@code session}'s events on {@code transport}'s data channel and executes the
     * peer's commands on {@code session}, from now until {@link #close()} or the transport
     * closes. Attach before starting the session so that no event is missed.
     */
    public static EventChannel attach(VoiceSession session, WebRtcTransport transport) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(transport, "transport");
        EventChannel channel = new EventChannel(session, transport);
        session.addListener(channel);
        transport.onMessage(channel::onCommand);
        transport.onClose(() -> session.removeListener(channel));
        return channel;
    }

    /** Stops publishing; commands from the peer are dropped from now on. */
    @Override
    public void close() {
        session.removeListener(this);
        transport.onMessage(text -> LOG.debug("transport {}: event channel closed; dropped {}", transport.id(), text));
    }

    @Override
    public void onStateChanged(StateChange change) {
        ObjectNode e = event("state");
        e.put("from", change.from().name());
        e.put("to", change.to().name());
        e.put("reason", change.reason());
        publish(e);
    }

    @Override
    public void onUserSpeech(UserSpeech speech) {
        publish(event("speech").put("speaking", speech.speaking()));
    }

    @Override
    public void onUserTranscript(UserTranscript t) {
        ObjectNode e = event("transcript");
        e.put("turn", t.turnId());
        e.put("final", t.transcript().isFinal());
        e.put("text", t.transcript().text());
        publish(e);
    }

    @Override
    public void onTurnCommitted(TurnCommit turn) {
        ObjectNode e = event("turn");
        e.put("turn", turn.turnId());
        e.put("text", turn.text());
        e.put("interimFallback", turn.interimFallback());
        e.put("typed", turn.typed());
        publish(e);
    }

    @Override
    public void onAgentText(AgentText text) {
        publish(event("agent").put("turn", text.turnId()).put("speech", text.speechId()).put("text", text.chunk()));
    }

    @Override
    public void onPlayback(PlaybackEvent p) {
        ObjectNode e = event("playback");
        e.put("kind", p.kind().name());
        e.put("speech", p.speechId());
        e.put("turn", p.turnId());
        e.put("text", p.text());
        e.put("played", p.playedText());
        publish(e);
    }

    @Override
    public void onError(SessionException error) {
        publish(event("error").put("code", error.code().name()).put("message", error.getMessage()));
    }

    private ObjectNode event(String type) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type);
        e.put("seq", seq.incrementAndGet());
        e.put("at", System.currentTimeMillis());
        return e;
    }

    private void publish(ObjectNode event) {
        try {
            transport.sendMessage(JSON.writeValueAsString(event));
        } catch (SessionException e) {
            // A closed transport takes no more events; anything else is worth a line in the log.
            if (e.code() != io.parley.session.ErrorCode.TRANSPORT_CLOSED) {
                LOG.warn("transport {}: could not publish a session event", transport.id(), e);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a session event could not be written as JSON", e);
        }
    }

    private void onCommand(String text) {
        JsonNode msg;
        try {
            msg = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            refuse("not JSON: " + e.getOriginalMessage());
            return;
        }
        String type = msg == null ? "" : msg.path("type").asText("");
        switch (type) {
            case "text" -> {
                String said = msg.path("text").asText("");
                if (said.isBlank()) {
                    refuse("a text message needs a non-blank \"text\"");
                } else {
                    session.sendText(said).whenComplete((reply, err) -> {
                        if (err != null) {
                            onError(SessionException.wrap(io.parley.session.ErrorCode.AGENT_ERROR, err));
                        }
                    });
                }
            }
            case "control" -> control(msg.path("action").asText(""));
            default -> refuse("unknown message type \"" + type + "\"; expected text or control");
        }
    }

    private void control(String action) {
        switch (action) {
            case "interrupt" -> session.interrupt();
            case "mute" -> transport.setInputMuted(true);
            case "unmute" -> transport.setInputMuted(false);
            default -> refuse("unknown control action \"" + action + "\"; expected interrupt, mute or unmute");
        }
    }

    private void refuse(String why) {
        LOG.info("transport {}: refused a peer message: {}", transport.id(), why);
        publish(event("error").put("code", "BAD_MESSAGE").put("message", why));
    }
}
