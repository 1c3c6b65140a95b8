package io.parley.recording;

import io.parley.audio.AudioFrame;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.audio.StereoAligner;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.ConsentType;
import io.parley.recording.privacy.Redactor;
import io.parley.recording.store.RecordingStore;
import io.parley.recording.store.RecordingWriter;
import io.parley.session.AgentText;
import io.parley.session.AudioListener;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.TurnMetrics;
import io.parley.session.UserSpeech;
import io.parley.session.UserTranscript;
import io.parley.session.VoiceSession;
import io.parley.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Records a voice session: every event to a JSONL log as it happens and both sides of the audio
 * to a stereo track (user left, agent right). Register it on a session as both listener kinds:
 *
 * <pre>{@code
 * SessionRecorder recorder = SessionRecorder.builder(FileRecordingStore.open(dir))
 *         .clock(clock).user("u-42", "Ada").agent("bot", "Parley").consents(consents).build();
 * VoiceSession session = VoiceSession.builder()...build();
 * recorder.attach(session);
 * recorder.start("support-call-1");
 * ...
 * recorder.tag("found-solution");
 * recorder.stop();
 * }</pre>
 *
 * <p>Text is redacted before it is written. With a {@link ConsentRegistry}, starting requires the
 * user's {@link ConsentType#TRANSCRIPT} consent (and {@link ConsentType#RECORDING} when capturing
 * audio); a missing consent fails with {@link Problem#NO_CONSENT} before anything is created, and a
 * withdrawal stops the recording at once. Events arriving while idle or paused are not recorded,
 * by the host's choice. All methods are thread-safe.
 */
public final class SessionRecorder implements SessionListener, AudioListener {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE;

    private final RecordingStore store;
    private final Clock clock;
    private final String userId;
    private final String userName;
    private final String agentId;
    private final String agentName;
    private final String model;
    private final String dataClass;
    private final String sessionId;
    private final ConsentRegistry consents;
    private final Redactor redactor;
    private final boolean captureAudio;
    private final int sampleRate;
    private final Duration holdback;
    private final boolean recordInterims;
    private final boolean recordStates;
    private final ZoneId autoZone;
    private final String autoPrefix;
    private final BiConsumer<String, ConsentType> withdrawalListener = this::consentWithdrawn;
    private final ListenerDispatch dispatch;
    private long chunkFrames;

    private RecorderState state = RecorderState.IDLE;
    private RecordingWriter writer;
    private StereoAligner aligner;
    private long seq;
    private boolean auto;
    private LocalDate autoDay;
    private long rolloverNanos = Long.MAX_VALUE;
    private final Map<Long, PendingSpeech> speeches = new LinkedHashMap<>();
    private final Map<Long, double[]> turnConfidence = new LinkedHashMap<>();
    private Instant speechOnset;

    private static final class PendingSpeech {
        final long turnId;
        final StringBuilder text = new StringBuilder();
        Instant startedAt;

        PendingSpeech(long turnId) {
            this.turnId = turnId;
        }
    }

    private SessionRecorder(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.userId = b.userId;
        this.userName = b.userName;
        this.agentId = b.agentId;
        this.agentName = b.agentName;
        this.model = b.model;
        this.dataClass = b.dataClass;
        this.sessionId = b.sessionId;
        this.consents = b.consents;
        this.redactor = b.redactor;
        this.captureAudio = b.captureAudio;
        this.sampleRate = b.sampleRate;
        this.holdback = b.holdback;
        this.recordInterims = b.recordInterims;
        this.recordStates = b.recordStates;
        this.autoZone = b.autoZone;
        this.autoPrefix = b.autoPrefix;
        this.dispatch = new ListenerDispatch(b.listeners, b.listenerExecutor);
        if (consents != null) {
            consents.onWithdrawal(withdrawalListener);
        }
    }

    /** Options for a recorder writing to {@code store}. */
    public static Builder builder(RecordingStore store) {
        return new Builder(store);
    }

    /**
     * Registers this recorder on {@code session} as event and audio listener (same as passing it to
     * the session builder's {@code listener(..)} and {@code audioListener(..)}).
     */
    public SessionRecorder attach(VoiceSession session) {
        session.addListener(this);
        if (captureAudio) {
            session.addAudioListener(this);
        }
        return this;
    }

    /** Unregisters this recorder from {@code session}. */
    public void detach(VoiceSession session) {
        session.removeListener(this);
        session.removeAudioListener(this);
    }

    // ---------------------------------------------------------------- controls

    /**
     * Starts a new recording.
     *
     * @throws RecordingException ALREADY_EXISTS for a taken name, NO_CONSENT without consent,
     *                            WRONG_STATE if a recording is already open
     * @throws IllegalArgumentException for a name that is not acceptable
     */
    public synchronized RecordingMetadata start(String name) {
        RecordingMetadata.checkName(name);
        requireIdle();
        checkConsent();
        Instant now = clock.now();
        RecordingMetadata m = new RecordingMetadata(name, sessionId, userId, userName, agentId, agentName, model,
                dataClass, now, now, RecordingStatus.RECORDING, captureAudio ? sampleRate : 0, List.of(), false, null, 0);
        open(store.create(m), "recording started");
        return writer.metadata();
    }

    /**
     * Reopens an old recording and appends to it from now on ("resume" in the command set).
     *
     * @throws RecordingException NOT_FOUND, NO_CONSENT, or WRONG_STATE if a recording is open
     */
    public synchronized RecordingMetadata appendTo(String name) {
        requireIdle();
        checkConsent();
        if (!store.exists(name)) {
            throw new RecordingException(Problem.NOT_FOUND, "no recording named '" + name + "'");
        }
        RecordingWriter w = store.append(name);
        open(w, "recording resumed");
        return writer.metadata();
    }

    /**
     * Records automatically, one recording per calendar day in the configured zone named
     * {@code <prefix>_YYYY-MM-DD}: starts (or continues) today's now and switches at midnight.
     *
     * @throws RecordingException NO_CONSENT, WRONG_STATE if a recording is open
     */
    public synchronized RecordingMetadata startAuto() {
        requireIdle();
        checkConsent();
        auto = true;
        try {
            return openDay(LocalDate.ofInstant(clock.now(), autoZone));
        } catch (RuntimeException e) {
            auto = false;
            throw e;
        }
    }

    /** Pauses capture; events and audio until {@link #resume()} are not recorded. */
    public synchronized void pause() {
        requireState(RecorderState.RECORDING, "pause");
        if (aligner != null) {
            aligner.endSegment();
        }
        note("recording paused", "paused");
        state = RecorderState.PAUSED;
        writer.updateMetadata(writer.metadata().withStatus(RecordingStatus.PAUSED, clock.now()));
    }

    /**
     * Resumes capture after {@link #pause()}.
     *
     * @throws RecordingException WRONG_STATE unless paused, NO_CONSENT if consent was lost meanwhile
     */
    public synchronized void resume() {
        requireState(RecorderState.PAUSED, "resume");
        checkConsent();
        state = RecorderState.RECORDING;
        beginSegment();
        note("recording resumed", "resumed");
    }

    /** Places a tag (bookmark) at the current moment. */
    public synchronized RecordingEvent tag(String label) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("tag label must not be blank");
        }
        requireState(RecorderState.RECORDING, "tag");
        return write(RecordingEvent.of(EventType.TAG, clock.now(), userName, userId, label.strip()).withCode(label.strip()));
    }

    /** Records a message typed or posted outside the voice channel (user, bot or system). */
    public synchronized RecordingEvent message(EventType type, String text) {
        if (type != EventType.USER_MESSAGE && type != EventType.BOT_RESPONSE && type != EventType.SYSTEM_MESSAGE) {
            throw new IllegalArgumentException("message type must be user_message, bot_response or system_message, was " + type);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("message text must not be blank");
        }
        requireState(RecorderState.RECORDING, "record a message");
        Instant now = clock.now();
        return switch (type) {
            case USER_MESSAGE -> write(RecordingEvent.of(type, now, userName, userId, text));
            case BOT_RESPONSE -> write(RecordingEvent.of(type, now, agentName, agentId, text).withModel(model, null));
            default -> write(RecordingEvent.of(type, now, "system", "system", text));
        };
    }

    /**
     * Renames the open recording (or, when idle, nothing: use the store's rename) and keeps recording under the new name.
     *
     * @throws RecordingException WRONG_STATE when idle, ALREADY_EXISTS for a taken name
     */
    public synchronized RecordingMetadata saveAs(String newName) {
        RecordingMetadata.checkName(newName);
        if (state == RecorderState.IDLE) {
            throw new RecordingException(Problem.WRONG_STATE, "no recording is open to save under a new name");
        }
        if (store.exists(newName)) {
            throw new RecordingException(Problem.ALREADY_EXISTS, "a recording named '" + newName + "' already exists");
        }
        RecorderState was = state;
        String old = writer.metadata().name();
        if (was == RecorderState.RECORDING && aligner != null) {
            aligner.endSegment();
        }
        writer.updateMetadata(writer.metadata().withStatus(RecordingStatus.PAUSED, clock.now()));
        writer.close();
        try {
            store.rename(old, newName);
        } catch (RuntimeException e) {
            // Keep recording under the old name rather than losing the session.
            writer = store.append(old);
            if (was == RecorderState.RECORDING) {
                beginSegment();
            }
            note("rename to " + newName + " failed: " + e.getMessage(), "rename_failed");
            throw e;
        }
        writer = store.append(newName);
        note("recording renamed from " + old + " to " + newName, "renamed");
        if (was == RecorderState.RECORDING) {
            beginSegment();
        } else {
            writer.updateMetadata(writer.metadata().withStatus(RecordingStatus.PAUSED, clock.now()));
        }
        return writer.metadata();
    }

    /**
     * Stops and closes the recording.
     *
     * @return its final metadata
     * @throws RecordingException WRONG_STATE when idle
     */
    public synchronized RecordingMetadata stop() {
        if (state == RecorderState.IDLE) {
            throw new RecordingException(Problem.WRONG_STATE, "no recording to stop");
        }
        auto = false;
        return close("recording stopped", "stopped");
    }

    /** What the recorder is doing. */
    public synchronized RecorderState state() {
        return state;
    }

    /** The open recording's metadata, if one is open. */
    public synchronized Optional<RecordingMetadata> current() {
        return state == RecorderState.IDLE ? Optional.empty() : Optional.of(writer.metadata());
    }

    /** Stops listening to consent withdrawals (call when discarding the recorder). */
    public void dispose() {
        if (consents != null) {
            consents.removeWithdrawalListener(withdrawalListener);
        }
    }

    // ---------------------------------------------------------------- session events

    @Override
    public synchronized void onStateChanged(StateChange change) {
        if (!capturing(change.at())) {
            return;
        }
        if (recordStates) {
            write(RecordingEvent.of(EventType.STATE, change.at(), "system", "system", change.from() + " -> " + change.to())
                    .withCode(change.reason()));
        }
        if (change.to() == SessionState.LISTENING || change.to() == SessionState.ENDED) {
            flushUnspokenSpeeches(change.to() == SessionState.ENDED);
        }
    }

    @Override
    public synchronized void onUserTranscript(UserTranscript t) {
        if (!capturing(t.at())) {
            return;
        }
        double conf = t.transcript().confidence();
        if (t.transcript().isFinal() && !Double.isNaN(conf)) {
            double[] acc = turnConfidence.computeIfAbsent(t.turnId(), k -> new double[2]);
            acc[0] += conf;
            acc[1]++;
        }
        if (recordInterims && !t.transcript().text().isBlank()) {
            write(RecordingEvent.of(EventType.USER_INTERIM, t.at(), userName, userId, t.transcript().text())
                    .withIds(t.turnId(), null)
                    .withTranscript(t.transcript().isFinal(), Double.isNaN(conf) ? null : conf));
        }
    }

    @Override
    public synchronized void onUserSpeech(UserSpeech speech) {
        if (capturing(speech.at()) && speech.speaking() && speechOnset == null) {
            speechOnset = speech.at();
        }
    }

    /**
     * Records the committed turn. A spoken turn is stamped with when the user began speaking, so
     * the message lines up with its audio; a typed one with when it arrived.
     */
    @Override
    public synchronized void onUserTurn(long turnId, String text) {
        Instant now = clock.now();
        if (!capturing(now)) {
            return;
        }
        Instant at = speechOnset != null && !speechOnset.isAfter(now) ? speechOnset : now;
        speechOnset = null;
        double[] acc = turnConfidence.remove(turnId);
        Double conf = acc == null || acc[1] == 0 ? null : acc[0] / acc[1];
        write(RecordingEvent.of(EventType.USER_MESSAGE, at, userName, userId, text).withIds(turnId, null)
                .withTranscript(true, conf));
    }

    @Override
    public synchronized void onAgentText(AgentText text) {
        if (!capturing(text.at())) {
            return;
        }
        speeches.computeIfAbsent(text.speechId(), k -> new PendingSpeech(text.turnId())).text.append(text.chunk());
    }

    @Override
    public synchronized void onPlayback(PlaybackEvent e) {
        if (!capturing(e.at())) {
            return;
        }
        switch (e.kind()) {
            case STARTED -> speeches.computeIfAbsent(e.speechId(), k -> new PendingSpeech(e.turnId())).startedAt = e.at();
            case PAUSED, RESUMED -> {
                if (recordStates) {
                    write(RecordingEvent.of(EventType.STATE, e.at(), "system", "system",
                            "playback " + e.kind().name().toLowerCase(Locale.ROOT))
                            .withIds(e.turnId(), e.speechId()).withCode("playback_" + e.kind().name().toLowerCase(Locale.ROOT)));
                }
            }
            case FINISHED -> {
                PendingSpeech p = speeches.remove(e.speechId());
                Instant at = p != null && p.startedAt != null ? p.startedAt : e.at();
                write(bot(at, e.text(), e.turnId(), e.speechId()).withInterrupted(false, null));
            }
            case INTERRUPTED -> {
                PendingSpeech p = speeches.remove(e.speechId());
                Instant at = p != null && p.startedAt != null ? p.startedAt : e.at();
                String heard = e.playedText() == null ? "" : e.playedText();
                write(bot(at, heard, e.turnId(), e.speechId()).withInterrupted(true, e.text()));
                write(RecordingEvent.of(EventType.INTERRUPTION, e.at(), userName, userId,
                                "agent interrupted after " + e.played().toMillis() + " ms")
                        .withIds(e.turnId(), e.speechId()).withLatencies(Map.of("played", e.played().toMillis()))
                        .withCode("barge_in"));
            }
            default -> throw new IllegalStateException("unknown playback kind " + e.kind());
        }
    }

    @Override
    public synchronized void onTurnMetrics(TurnMetrics m) {
        Instant now = clock.now();
        if (!capturing(now)) {
            return;
        }
        Map<String, Long> lat = new LinkedHashMap<>();
        put(lat, "end_of_turn", m.endOfTurnDelay());
        put(lat, "stt_final", m.sttFinalDelay());
        put(lat, "agent_first_text", m.agentFirstText());
        put(lat, "tts_first_audio", m.ttsFirstAudio());
        put(lat, "user_to_agent_audio", m.userToAgentAudio());
        write(RecordingEvent.of(EventType.TURN, now, "system", "system", "turn " + m.turnId() + " latencies")
                .withIds(m.turnId(), null).withLatencies(lat).withCode(m.preemptiveUsed() ? "preemptive" : null));
    }

    @Override
    public synchronized void onError(SessionException error) {
        Instant now = clock.now();
        if (!capturing(now)) {
            return;
        }
        write(RecordingEvent.of(EventType.ERROR, now, "system", "system", String.valueOf(error.getMessage()))
                .withCode(error.code().name()));
    }

    @Override
    public synchronized void onUserAudio(AudioFrame frame) {
        if (captureAudio && audioCapturing(frame.timestampNanos()) && aligner != null) {
            aligner.user(frame);
        }
    }

    @Override
    public synchronized void onAgentAudio(AudioFrame frame) {
        if (captureAudio && audioCapturing(frame.timestampNanos()) && aligner != null) {
            aligner.agent(frame);
        }
    }

    @Override
    public synchronized void onAgentAudioCleared(long atNanos) {
        if (captureAudio && state == RecorderState.RECORDING && aligner != null) {
            aligner.clearAgent(atNanos);
        }
    }

    // ---------------------------------------------------------------- internals

    private RecordingEvent bot(Instant at, String text, long turnId, long speechId) {
        return RecordingEvent.of(EventType.BOT_RESPONSE, at, agentName, agentId, text)
                .withModel(model, null).withIds(turnId == 0 ? null : turnId, speechId);
    }

    private static void put(Map<String, Long> lat, String name, Duration d) {
        if (d != null) {
            lat.put(name, d.toMillis());
        }
    }

    private void flushUnspokenSpeeches(boolean all) {
        var it = speeches.entrySet().iterator();
        while (it.hasNext()) {
            var en = it.next();
            PendingSpeech p = en.getValue();
            if ((all || p.startedAt == null) && p.text.length() > 0) {
                it.remove();
                write(bot(p.startedAt == null ? clock.now() : p.startedAt, p.text.toString(), p.turnId, en.getKey())
                        .withCode(p.startedAt == null ? "not_spoken" : "unfinished"));
            }
        }
    }

    private boolean capturing(Instant at) {
        if (auto && state != RecorderState.IDLE) {
            LocalDate day = LocalDate.ofInstant(at, autoZone);
            if (day.isAfter(autoDay)) {
                rollOver(day);
            }
        }
        return state == RecorderState.RECORDING;
    }

    private boolean audioCapturing(long nanos) {
        if (auto && state != RecorderState.IDLE && nanos >= rolloverNanos) {
            rollOver(LocalDate.ofInstant(clock.now(), autoZone));
        }
        return state == RecorderState.RECORDING;
    }

    private void rollOver(LocalDate day) {
        if (!day.isAfter(autoDay)) {
            return;
        }
        String next = autoPrefix + "_" + DAY.format(day);
        close("day ended; recording continues in " + next, "rollover");
        openDay(day);
    }

    private RecordingMetadata openDay(LocalDate day) {
        String name = autoPrefix + "_" + DAY.format(day);
        if (store.exists(name)) {
            open(store.append(name), "recording resumed (auto)");
        } else {
            Instant now = clock.now();
            open(store.create(new RecordingMetadata(name, sessionId, userId, userName, agentId, agentName, model,
                    dataClass, now, now, RecordingStatus.RECORDING, captureAudio ? sampleRate : 0, List.of(), false,
                    null, 0)), "recording started (auto)");
        }
        autoDay = day;
        Instant midnight = day.plusDays(1).atStartOfDay(autoZone).toInstant();
        rolloverNanos = clock.nanoTime() + Duration.between(clock.now(), midnight).toNanos();
        return writer.metadata();
    }

    private void open(RecordingWriter w, String why) {
        writer = w;
        seq = w.lastSeq();
        int rate = w.metadata().sampleRate();
        if (rate == 0 && captureAudio && w.audioFrames() == 0 && w.lastSeq() == 0) {
            rate = sampleRate;
        }
        aligner = rate == 0 ? null
                : new StereoAligner(rate, (int) (holdback.toMillis() * rate / 1000), this::appendAudio);
        chunkFrames = w.audioFrames();
        state = RecorderState.RECORDING;
        String name = w.metadata().name();
        for (String repair : w.repairs()) {
            note("recovered after a crash: " + repair, "recovered");
            dispatch.fire(l -> l.onProblem(name, "recovered after a crash: " + repair));
        }
        beginSegment();
        boolean started = why.startsWith("recording started");
        note(why, started ? "started" : "resumed");
        RecordingMetadata m = w.metadata();
        dispatch.fire(l -> l.onStarted(m, !started));
    }

    private void appendAudio(short[] samples, int off, int len) {
        writer.appendAudio(samples, off, len);
        long frames = writer.audioFrames();
        int rate = writer.metadata().sampleRate();
        if (dispatch.active() && frames - chunkFrames >= rate) {
            chunkFrames = frames;
            String name = writer.metadata().name();
            dispatch.fire(l -> l.onChunkWritten(name, frames));
        }
    }

    private void beginSegment() {
        Instant now = clock.now();
        RecordingMetadata m = writer.metadata().withStatus(RecordingStatus.RECORDING, now);
        if (aligner != null) {
            aligner.startSegment(clock.nanoTime(), writer.audioFrames());
            m = m.withSegment(new Segment(now, writer.audioFrames()));
        }
        writer.updateMetadata(m);
    }

    private RecordingMetadata close(String why, String code) {
        if (state == RecorderState.RECORDING && aligner != null) {
            aligner.endSegment();
        }
        flushUnspokenSpeeches(true);
        note(why, code);
        RecordingMetadata m = writer.metadata();
        long lateMs = aligner == null ? m.lateAudioMs() : m.lateAudioMs() + aligner.lateFrames() * 1000 / aligner.sampleRate();
        m = m.withStatus(RecordingStatus.STOPPED, clock.now()).withStorage(m.sampleRate(), m.compressed(), m.keyId(), lateMs);
        writer.updateMetadata(m);
        writer.close();
        RecordingMetadata done = m;
        if (lateMs > 0) {
            long late = lateMs;
            dispatch.fire(l -> l.onProblem(done.name(), late + " ms of audio arrived too late to be placed in the track"));
        }
        dispatch.fire(l -> l.onStopped(done));
        writer = null;
        aligner = null;
        state = RecorderState.IDLE;
        speeches.clear();
        turnConfidence.clear();
        speechOnset = null;
        rolloverNanos = Long.MAX_VALUE;
        return m;
    }

    private void note(String text, String code) {
        write(RecordingEvent.of(EventType.SYSTEM_MESSAGE, clock.now(), "system", "system", text).withCode(code));
    }

    private RecordingEvent write(RecordingEvent e) {
        try {
            return RecordingAppender.write(writer, redactor, ++seq, e);
        } catch (RuntimeException x) {
            String name = writer.metadata().name();
            dispatch.fire(l -> l.onProblem(name, "could not write a " + e.type().wireName() + " event: " + x.getMessage()));
            throw x;
        }
    }

    private void consentWithdrawn(String user, ConsentType type) {
        synchronized (this) {
            if (!user.equals(userId) || state == RecorderState.IDLE) {
                return;
            }
            if (type == ConsentType.TRANSCRIPT || (type == ConsentType.RECORDING && captureAudio)) {
                auto = false;
                close("recording stopped: " + type.name().toLowerCase(Locale.ROOT) + " consent withdrawn",
                        "consent_withdrawn");
            }
        }
    }

    private void checkConsent() {
        if (consents == null) {
            return;
        }
        if (!consents.has(userId, ConsentType.TRANSCRIPT)) {
            throw new RecordingException(Problem.NO_CONSENT, "user '" + userId + "' has not consented to a transcript; nothing was recorded");
        }
        if (captureAudio && !consents.has(userId, ConsentType.RECORDING)) {
            throw new RecordingException(Problem.NO_CONSENT, "user '" + userId
                    + "' has not consented to audio recording; nothing was recorded (build the recorder with captureAudio(false) for text only)");
        }
    }

    private void requireIdle() {
        if (state != RecorderState.IDLE) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + writer.metadata().name() + "' is already open; stop it first");
        }
    }

    private void requireState(RecorderState wanted, String action) {
        if (state != wanted) {
            throw new RecordingException(Problem.WRONG_STATE, "cannot " + action + " while " + state.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Options for a {@link SessionRecorder}. */
    public static final class Builder {
        /** Refuses null with an IllegalArgumentException naming the parameter, as every Parley builder does. */
        private static <T> T arg(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private final RecordingStore store;
        private Clock clock = Clock.system();
        private String userId = "user";
        private String userName = "User";
        private String agentId = "agent";
        private String agentName = "Agent";
        private String model;
        private String dataClass = "default";
        private String sessionId;
        private ConsentRegistry consents;
        private Redactor redactor = Redactor.defaults();
        private boolean captureAudio = true;
        private int sampleRate = 16_000;
        private Duration holdback = Duration.ofSeconds(2);
        private boolean recordInterims = true;
        private boolean recordStates = true;
        private ZoneId autoZone = ZoneId.of("UTC");
        private String autoPrefix = "auto";
        private final List<RecordingListener> listeners = new java.util.ArrayList<>();
        private java.util.concurrent.Executor listenerExecutor = java.util.concurrent.ForkJoinPool.commonPool();

        private Builder(RecordingStore store) {
            this.store = arg(store, "store");
        }

        /** The session's clock, so audio timestamps and event times line up [Clock.system()]. */
        public Builder clock(Clock v) {
            clock = arg(v, "clock");
            return this;
        }

        /** The recorded user [("user", "User")]. */
        public Builder user(String id, String name) {
            userId = nonBlank("user id", id);
            userName = nonBlank("user name", name);
            return this;
        }

        /** The agent [("agent", "Agent")]. */
        public Builder agent(String id, String name) {
            agentId = nonBlank("agent id", id);
            agentName = nonBlank("agent name", name);
            return this;
        }

        /** The model behind the agent, written on bot responses [none]. */
        public Builder model(String v) {
            model = arg(v, "model");
            return this;
        }

        /** The retention class of recordings ["default"]. */
        public Builder dataClass(String v) {
            dataClass = nonBlank("data class", v);
            return this;
        }

        /** The voice session's id, kept in the metadata [none]. */
        public Builder sessionId(String v) {
            sessionId = arg(v, "sessionId");
            return this;
        }

        /** Require and follow consent from this registry [no checks: the host is responsible]. */
        public Builder consents(ConsentRegistry v) {
            consents = arg(v, "consents");
            return this;
        }

        /** How text is redacted before it is written [{@link Redactor#defaults()}]. */
        public Builder redactor(Redactor v) {
            redactor = arg(v, "redactor");
            return this;
        }

        /** Whether to record audio [true]. */
        public Builder captureAudio(boolean v) {
            captureAudio = v;
            return this;
        }

        /** Audio track sample rate; both sides are resampled to it [16000]. */
        public Builder sampleRate(int v) {
            if (v < 8_000 || v > 192_000) {
                throw new IllegalArgumentException("sampleRate must be within 8000..192000, was " + v);
            }
            sampleRate = v;
            return this;
        }

        /**
         * How long audio is held before it is written, so a barge-in can still cut agent audio
         * that was queued but not heard; must exceed the session's playout lead [2 s].
         */
        public Builder holdback(Duration v) {
            if (v == null || v.isNegative() || v.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("holdback must be within 0..30 s, was " + v);
            }
            holdback = v;
            return this;
        }

        /** Whether interim (and segment-final) transcripts are logged besides the committed turns [true]. */
        public Builder recordInterims(boolean v) {
            recordInterims = v;
            return this;
        }

        /** Whether state changes are logged [true]. */
        public Builder recordStates(boolean v) {
            recordStates = v;
            return this;
        }

        /** Day boundaries for {@link SessionRecorder#startAuto()} and the name prefix [UTC, "auto"]. */
        public Builder autoDaily(ZoneId zone, String prefix) {
            autoZone = arg(zone, "zone");
            RecordingMetadata.checkName(prefix + "_2000-01-01");
            autoPrefix = prefix;
            return this;
        }

        /** Adds a listener for recording events (started, stopped, chunk written, problem found). */
        public Builder listener(RecordingListener v) {
            listeners.add(arg(v, "listener"));
            return this;
        }

        /** Where listener callbacks run, one at a time and in order [the common fork-join pool]. */
        public Builder listenerExecutor(java.util.concurrent.Executor v) {
            listenerExecutor = arg(v, "listenerExecutor");
            return this;
        }

        public SessionRecorder build() {
            return new SessionRecorder(this);
        }

        private static String nonBlank(String what, String v) {
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return v;
        }
    }
}
