package io.parley.recording;

import io.parley.session.AgentText;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionException;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.TurnMetrics;
import io.parley.session.UserSpeech;
import io.parley.session.UserTranscript;
import io.parley.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The event side of a {@link SessionRecorder}: turns session callbacks into log events. It keeps
 * what a recording needs across callbacks (agent text waiting for its playback, the user's speech
 * onset, transcript confidences) and hands every finished event to the recorder's writer. The
 * recorder decides whether an event is captured at all and serializes every call.
 */
final class SessionEvents {

    private final Clock clock;
    private final String userId;
    private final String userName;
    private final String agentId;
    private final String agentName;
    private final String model;
    private final boolean recordInterims;
    private final boolean recordStates;
    private final UnaryOperator<RecordingEvent> write;

    private final Map<Long, PendingSpeech> speeches = new LinkedHashMap<>();
    private final Map<Long, double[]> turnConfidence = new LinkedHashMap<>();
    private Instant speechOnset;

    /** Agent text of one speech, waiting for its playback to finish or be interrupted. */
    private static final class PendingSpeech {
        final long turnId;
        final StringBuilder text = new StringBuilder();
        Instant startedAt;

        PendingSpeech(long turnId) {
            this.turnId = turnId;
        }
    }

    SessionEvents(Clock clock, String userId, String userName, String agentId, String agentName, String model,
                  boolean recordInterims, boolean recordStates, UnaryOperator<RecordingEvent> write) {
        this.clock = clock;
        this.userId = userId;
        this.userName = userName;
        this.agentId = agentId;
        this.agentName = agentName;
        this.model = model;
        this.recordInterims = recordInterims;
        this.recordStates = recordStates;
        this.write = write;
    }

    RecordingEvent tag(String label, Instant now) {
        return write.apply(RecordingEvent.of(EventType.TAG, now, userName, userId, label).withCode(label));
    }

    RecordingEvent message(EventType type, String text, Instant now) {
        return switch (type) {
            case USER_MESSAGE -> write.apply(RecordingEvent.of(type, now, userName, userId, text));
            case BOT_RESPONSE -> write.apply(RecordingEvent.of(type, now, agentName, agentId, text).withModel(model, null));
            default -> write.apply(RecordingEvent.of(type, now, "system", "system", text));
        };
    }

    void stateChanged(StateChange change) {
        if (recordStates) {
            write.apply(RecordingEvent.of(EventType.STATE, change.at(), "system", "system", change.from() + " -> " + change.to())
                    .withCode(change.reason()));
        }
        if (change.to() == SessionState.LISTENING || change.to() == SessionState.ENDED) {
            flushUnspoken(change.to() == SessionState.ENDED);
        }
    }

    void userTranscript(UserTranscript t) {
        double conf = t.transcript().confidence();
        if (t.transcript().isFinal() && !Double.isNaN(conf)) {
            double[] acc = turnConfidence.computeIfAbsent(t.turnId(), k -> new double[2]);
            acc[0] += conf;
            acc[1]++;
        }
        if (recordInterims && !t.transcript().text().isBlank()) {
            write.apply(RecordingEvent.of(EventType.USER_INTERIM, t.at(), userName, userId, t.transcript().text())
                    .withIds(t.turnId(), null)
                    .withTranscript(t.transcript().isFinal(), Double.isNaN(conf) ? null : conf));
        }
    }

    void userSpeech(UserSpeech speech) {
        if (speech.speaking() && speechOnset == null) {
            speechOnset = speech.at();
        }
    }

    /** See {@link SessionRecorder#onUserTurn(long, String)} for the timestamp chosen. */
    void userTurn(long turnId, String text, Instant now) {
        Instant at = speechOnset != null && !speechOnset.isAfter(now) ? speechOnset : now;
        speechOnset = null;
        double[] acc = turnConfidence.remove(turnId);
        Double conf = acc == null || acc[1] == 0 ? null : acc[0] / acc[1];
        write.apply(RecordingEvent.of(EventType.USER_MESSAGE, at, userName, userId, text).withIds(turnId, null)
                .withTranscript(true, conf));
    }

    void agentText(AgentText text) {
        speeches.computeIfAbsent(text.speechId(), k -> new PendingSpeech(text.turnId())).text.append(text.chunk());
    }

    void playback(PlaybackEvent e) {
        switch (e.kind()) {
            case STARTED -> speeches.computeIfAbsent(e.speechId(), k -> new PendingSpeech(e.turnId())).startedAt = e.at();
            case PAUSED, RESUMED -> {
                if (recordStates) {
                    write.apply(RecordingEvent.of(EventType.STATE, e.at(), "system", "system",
                            "playback " + e.kind().name().toLowerCase(Locale.ROOT))
                            .withIds(e.turnId(), e.speechId()).withCode("playback_" + e.kind().name().toLowerCase(Locale.ROOT)));
                }
            }
            case FINISHED -> {
                PendingSpeech p = speeches.remove(e.speechId());
                Instant at = p != null && p.startedAt != null ? p.startedAt : e.at();
                write.apply(bot(at, e.text(), e.turnId(), e.speechId()).withInterrupted(false, null));
            }
            case INTERRUPTED -> {
                PendingSpeech p = speeches.remove(e.speechId());
                Instant at = p != null && p.startedAt != null ? p.startedAt : e.at();
                String heard = e.playedText() == null ? "" : e.playedText();
                write.apply(bot(at, heard, e.turnId(), e.speechId()).withInterrupted(true, e.text()));
                write.apply(RecordingEvent.of(EventType.INTERRUPTION, e.at(), userName, userId,
                                "agent interrupted after " + e.played().toMillis() + " ms")
                        .withIds(e.turnId(), e.speechId()).withLatencies(Map.of("played", e.played().toMillis()))
                        .withCode("barge_in"));
            }
            default -> throw new IllegalStateException("unknown playback kind " + e.kind());
        }
    }

    void turnMetrics(TurnMetrics m, Instant now) {
        Map<String, Long> lat = new LinkedHashMap<>();
        put(lat, "end_of_turn", m.endOfTurnDelay());
        put(lat, "stt_final", m.sttFinalDelay());
        put(lat, "agent_first_text", m.agentFirstText());
        put(lat, "tts_first_audio", m.ttsFirstAudio());
        put(lat, "user_to_agent_audio", m.userToAgentAudio());
        write.apply(RecordingEvent.of(EventType.TURN, now, "system", "system", "turn " + m.turnId() + " latencies")
                .withIds(m.turnId(), null).withLatencies(lat).withCode(m.preemptiveUsed() ? "preemptive" : null));
    }

    void error(SessionException error, Instant now) {
        write.apply(RecordingEvent.of(EventType.ERROR, now, "system", "system", String.valueOf(error.getMessage()))
                .withCode(error.code().name()));
    }

    /**
     * Writes agent text that was never spoken ({@code all}: also speech whose playback began but
     * did not end), so no reply is lost when the turn or the recording ends.
     */
    void flushUnspoken(boolean all) {
        var it = speeches.entrySet().iterator();
        while (it.hasNext()) {
            var en = it.next();
            PendingSpeech p = en.getValue();
            if ((all || p.startedAt == null) && p.text.length() > 0) {
                it.remove();
                write.apply(bot(p.startedAt == null ? clock.now() : p.startedAt, p.text.toString(), p.turnId, en.getKey())
                        .withCode(p.startedAt == null ? "not_spoken" : "unfinished"));
            }
        }
    }

    /** Forgets what belonged to the recording just closed. */
    void clear() {
        speeches.clear();
        turnConfidence.clear();
        speechOnset = null;
    }

    private RecordingEvent bot(Instant at, String text, long turnId, long speechId) {
        return RecordingEvent.of(EventType.BOT_RESPONSE, at, agentName, agentId, text)
                .withModel(model, null).withIds(turnId == 0 ? null : turnId, speechId);
    }

    private static void put(Map<String, Long> lat, String name, Duration d) {
        if (d != null) {
            lat.put(name, d.toMillis());
        }
    }
}
