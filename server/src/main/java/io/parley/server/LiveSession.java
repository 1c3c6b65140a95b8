package io.parley.server;

import io.parley.audio.AudioFrame;
import io.parley.group.AgentAudioSink;
import io.parley.group.AgentReply;
import io.parley.group.GroupListener;
import io.parley.group.GroupSession;
import io.parley.group.GroupTranscript;
import io.parley.group.GroupTurn;
import io.parley.group.Participant;
import io.parley.group.ParticipantKind;
import io.parley.session.SessionException;
import io.parley.time.SerialExecutor;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's live media on this node: the {@link GroupSession}, the connected clients, and
 * the persistence of what happens. Group events arrive on the group's loop and are handed to
 * one serial executor on the blocking pool, which writes them to the database and only then
 * sends them to clients, so what a client saw is always in the history.
 */
final class LiveSession implements GroupListener {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSession.class);

    /** One connected participant. */
    static final class Client {
        final String userId;
        final String name;
        final boolean voice;
        final SerialExecutor out;
        final Consumer<String> send;
        final Runnable close;
        final AgentAudioSink audio;
        volatile Participant participant;

        /** @param audio where the agent's voice goes; null sends it as {@code agent_audio} messages */
        Client(String userId, String name, boolean voice, Executor io, Consumer<String> send, Runnable close,
               AgentAudioSink audio) {
            this.userId = userId;
            this.name = name;
            this.voice = voice;
            this.send = send;
            this.close = close;
            this.audio = audio;
            this.out = new SerialExecutor(io, t -> LOG.warn("sending to {} failed: {}", userId, t.toString()));
        }

        void send(String json) {
            out.execute(() -> send.accept(json));
        }
    }

    private final String id;
    private final Hub hub;
    private final GroupSession group;
    private final SerialExecutor persist;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final String creatorId;

    LiveSession(SessionRow row, Hub hub, Executor blocking, GroupSession.Builder builder) {
        this.id = row.id();
        this.hub = hub;
        this.creatorId = row.creatorId();
        this.persist = new SerialExecutor(blocking, t -> LOG.error("session {}: persisting failed", row.id(), t));
        this.group = builder.listener(this).turnHandler(this::command).build();
    }

    String id() {
        return id;
    }

    GroupSession group() {
        return group;
    }

    int clientCount() {
        return clients.size();
    }

    /**
     * Connects a participant; a second connection of the same user replaces the first.
     *
     * @throws SessionException if the recognizer cannot open a stream for them
     */
    void connect(Client c) {
        Client old = clients.put(c.userId, c);
        if (old != null) {
            Participant p = old.participant;
            if (p != null) {
                p.leave();
            }
            old.out.execute(old.close);
        }
        AgentAudioSink sink = !c.voice ? null : c.audio != null ? c.audio : new Sink(c);
        c.participant = group.join(c.userId, c.name, c.voice ? ParticipantKind.VOICE : ParticipantKind.TEXT, sink);
        c.send(Json.write(Json.obj("type", "welcome", "data", Json.obj("session_id", id, "user_id", c.userId,
                "agent_enabled", group.agentEnabled(), "wake_phrase", group.wakePhrase().map(Object::toString).orElse(null),
                "participants", group.participants().stream().map(p -> Json.obj("user_id", p.id(), "name", p.name(),
                        "kind", p.kind().name().toLowerCase(java.util.Locale.ROOT))).toList()))));
    }

    /** The client's connection closed. */
    void disconnect(Client c) {
        if (clients.remove(c.userId, c)) {
            Participant p = c.participant;
            if (p != null) {
                p.leave();
            }
        }
    }

    Client client(String userId) {
        return clients.get(userId);
    }

    /** Sends to everyone connected, after earlier events. */
    void broadcastLater(String json) {
        persist.execute(() -> broadcast(json));
    }

    private void broadcast(String json) {
        for (Client c : clients.values()) {
            c.send(json);
        }
    }

    /** Ends live media here: tells clients why, closes them and the group. */
    void shutdown(String reason) {
        persist.execute(() -> {
            broadcast(Json.write(Json.obj("type", "session_ended", "data", Json.obj("reason", reason))));
            for (Client c : clients.values()) {
                c.out.execute(c.close);
            }
            clients.clear();
        });
        group.stop();
    }

    // ---- group events (group loop: hand off, never block) ----

    @Override
    public void onParticipantJoined(Participant p) {
        broadcastLater(Json.write(Json.obj("type", "participant_joined", "data", Json.obj("user_id", p.id(),
                "name", p.name(), "kind", p.kind().name().toLowerCase(java.util.Locale.ROOT)))));
    }

    @Override
    public void onParticipantLeft(Participant p) {
        persist.execute(() -> {
            hub.left(id, p.id());
            broadcast(Json.write(Json.obj("type", "participant_left", "data", Json.obj("user_id", p.id(), "name", p.name()))));
        });
    }

    @Override
    public void onTranscript(GroupTranscript t) {
        String text = hub.vault().redact(t.text());
        broadcastLater(Json.write(Json.obj("type", "transcription", "data", Json.obj("text", text,
                "confidence", Double.isNaN(t.confidence()) ? null : t.confidence(), "timestamp", t.at().toString(),
                "speaker", t.speaker(), "speaker_id", t.participantId(), "final", t.isFinal()))));
    }

    @Override
    public void onTurn(GroupTurn turn) {
        persist.execute(() -> {
            Log.Message m = hub.log().append(id, Log.Message.USER, turn.participantId(), turn.speaker(), turn.text(),
                    turn.spoken(), turn.at().toEpochMilli());
            broadcast(Json.write(Json.obj("type", "message", "data", Hub.message(m, turn.addressed()))));
        });
    }

    @Override
    public void onAgentThinking(GroupTurn turn) {
        broadcastLater(Json.write(Json.obj("type", "state", "data", Json.obj("agent", "thinking", "turn_id", turn.turnId(),
                "asker", turn.speaker()))));
    }

    @Override
    public void onAgentReply(AgentReply r) {
        persist.execute(() -> {
            long now = r.at().toEpochMilli();
            Log.Interaction in = hub.log().logInteraction(id, r.turn().participantId(), r.turn().speaker(),
                    r.turn().question(), r.text(), r.latency().toMillis(), r.interrupted(), now);
            Log.Message m = r.text().isEmpty() ? null
                    : hub.log().append(id, Log.Message.AGENT, "agent", "Agent", r.text(), false, now);
            broadcast(Json.write(Json.obj("type", "agent_text", "data", Json.obj("text", in.answer(),
                    "seq", m == null ? null : m.seq(), "interaction_id", in.id(), "in_reply_to", r.turn().speaker(),
                    "asker_id", r.turn().participantId(), "latency_ms", r.latency().toMillis(),
                    "interrupted", r.interrupted(), "timestamp", r.at().toString()))));
            broadcast(Json.write(Json.obj("type", "state", "data", Json.obj("agent", "idle"))));
        });
    }

    @Override
    public void onAgentEnabled(boolean enabled) {
        persist.execute(() -> {
            hub.store().setAgentEnabled(id, enabled);
            broadcast(Json.write(Json.obj("type", "agent", "data", Json.obj("enabled", enabled))));
        });
    }

    @Override
    public void onError(SessionException e) {
        LOG.warn("session {}: {} {}", id, e.code(), e.getMessage());
        broadcastLater(Json.write(Json.obj("type", "error", "data", Json.obj("code", e.code().name().toLowerCase(
                java.util.Locale.ROOT), "message", e.getMessage()))));
    }

    // ---- chat commands ----

    private boolean command(GroupTurn turn) {
        String name = Commands.parse(turn.text(), turn.question(), turn.spoken());
        if (name == null) {
            return false;
        }
        persist.execute(() -> runCommand(name, turn));
        return true;
    }

    private void runCommand(String name, GroupTurn turn) {
        Client asker = clients.get(turn.participantId());
        switch (name) {
            case "history" -> {
                if (asker != null) {
                    List<Map<String, Object>> h = hub.log().messages(id).stream().map(m -> Hub.message(m, null)).toList();
                    asker.send(Json.write(Json.obj("type", "history", "data", h)));
                }
            }
            case "export" -> {
                if (asker != null) {
                    asker.send(Json.write(Json.obj("type", "export", "data", Json.obj("url",
                            "/api/voice-sessions/" + id + "/export?format=md", "formats", Commands.EXPORT_FORMATS))));
                }
            }
            case "share" -> {
                String token = hub.store().shareToken(id);
                Log.Message m = hub.log().append(id, Log.Message.SYSTEM, "system", "system",
                        turn.speaker() + " shared a read-only link to this session", false, System.currentTimeMillis());
                broadcast(Json.write(Json.obj("type", "message", "data", Hub.message(m, null))));
                broadcast(Json.write(Json.obj("type", "share", "data", Json.obj("url", "/api/shared/" + token))));
            }
            case "end" -> {
                if (turn.participantId().equals(creatorId)) {
                    hub.end(id, "ended_by_command");
                } else if (asker != null) {
                    asker.send(Json.write(Json.obj("type", "error", "data", Json.obj("code", "forbidden",
                            "message", "only the session's creator can end it"))));
                }
            }
            default -> {
                if (asker != null) {
                    asker.send(Json.write(Json.obj("type", "error", "data", Json.obj("code", "unknown_command",
                            "message", "unknown command '" + name + "'; use " + String.join(", ", Commands.NAMES)))));
                }
            }
        }
    }

    /** A voice participant hears the agent: PCM16LE 16 kHz mono, base64 in JSON like the input. */
    private static final class Sink implements AgentAudioSink {
        private final Client client;

        Sink(Client client) {
            this.client = client;
        }

        @Override
        public void onAgentAudio(AudioFrame frame) {
            String b64 = Base64.getEncoder().encodeToString(frame.toPcm16le());
            client.send("{\"type\":\"agent_audio\",\"data\":\"" + b64 + "\"}");
        }

        @Override
        public void onAgentAudioEnd(long turnId, boolean interrupted) {
            client.send(Json.write(Json.obj("type", "agent_audio_end", "data", Json.obj("turn_id", turnId,
                    "interrupted", interrupted))));
        }
    }
}
