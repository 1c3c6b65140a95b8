package io.parley.recording;

import io.parley.audio.AudioFrame;
import io.parley.recording.RecordingException.Problem;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

    private final RecordingStore store;
    private final Clock clock;
    private final String userId;
    private final String userName;
    private final String agentId;
    private final String agentName;
    private final String model;
    private final String dataClass;
    private final String sessionId;
    private final Redactor redactor;
    private final boolean captureAudio;
    private final int sampleRate;
    private final Duration holdback;
    private final ConsentGate consent;
    private final ListenerDispatch dispatch;
    private final SessionEvents events;
    private final DailySchedule daily;

    private RecorderState state = RecorderState.IDLE;
    private OpenRecording rec;

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
        this.redactor = b.redactor;
        this.captureAudio = b.captureAudio;
        this.sampleRate = b.sampleRate;
        this.holdback = b.holdback;
        this.dispatch = new ListenerDispatch(b.listeners, b.listenerExecutor);
        this.events = new SessionEvents(clock, userId, userName, agentId, agentName, model, b.recordInterims,
                b.recordStates, this::write);
        this.daily = new DailySchedule(b.autoZone, b.autoPrefix);
        this.consent = new ConsentGate(b.consents, userId, captureAudio, this::consentWithdrawn);
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
        consent.check();
        open(store.create(fresh(name)), "recording started");
        return rec.metadata();
    }

    /**
     * Reopens an old recording and appends to it from now on ("resume" in the command set).
     *
     * @throws RecordingException NOT_FOUND, NO_CONSENT, or WRONG_STATE if a recording is open
     */
    public synchronized RecordingMetadata appendTo(String name) {
        requireIdle();
        consent.check();
        if (!store.exists(name)) {
            throw new RecordingException(Problem.NOT_FOUND, "no recording named '" + name + "'");
        }
        RecordingWriter w = store.append(name);
        open(w, "recording resumed");
        return rec.metadata();
    }

    /**
     * Records automatically, one recording per calendar day in the configured zone named
     * {@code <prefix>_YYYY-MM-DD}: starts (or continues) today's now and switches at midnight.
     *
     * @throws RecordingException NO_CONSENT, WRONG_STATE if a recording is open
     */
    public synchronized RecordingMetadata startAuto() {
        requireIdle();
        consent.check();
        daily.on(true);
        try {
            return openDay(daily.dayOf(clock.now()));
        } catch (RuntimeException e) {
            daily.on(false);
            throw e;
        }
    }

    /** Pauses capture; events and audio until {@link #resume()} are not recorded. */
    public synchronized void pause() {
        requireState(RecorderState.RECORDING, "pause");
        rec.endSegment();
        rec.note("recording paused", "paused");
        state = RecorderState.PAUSED;
        rec.markPaused();
    }

    /**
     * Resumes capture after {@link #pause()}.
     *
     * @throws RecordingException WRONG_STATE unless paused, NO_CONSENT if consent was lost meanwhile
     */
    public synchronized void resume() {
        requireState(RecorderState.PAUSED, "resume");
        consent.check();
        state = RecorderState.RECORDING;
        rec.beginSegment();
        rec.note("recording resumed", "resumed");
    }

    /** Places a tag (bookmark) at the current moment. */
    public synchronized RecordingEvent tag(String label) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("tag label must not be blank");
        }
        requireState(RecorderState.RECORDING, "tag");
        return events.tag(label.strip(), clock.now());
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
        return events.message(type, text, clock.now());
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
        rec.rename(store, newName, state == RecorderState.RECORDING);
        return rec.metadata();
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
        daily.on(false);
        return close("recording stopped", "stopped");
    }

    /** What the recorder is doing. */
    public synchronized RecorderState state() {
        return state;
    }

    /** The open recording's metadata, if one is open. */
    public synchronized Optional<RecordingMetadata> current() {
        return state == RecorderState.IDLE ? Optional.empty() : Optional.of(rec.metadata());
    }

    /** Stops listening to consent withdrawals (call when discarding the recorder). */
    public void dispose() {
        consent.dispose();
    }

    // ---------------------------------------------------------------- session events

    @Override
    public synchronized void onStateChanged(StateChange change) {
        if (capturing(change.at())) {
            events.stateChanged(change);
        }
    }

    @Override
    public synchronized void onUserTranscript(UserTranscript t) {
        if (capturing(t.at())) {
            events.userTranscript(t);
        }
    }

    @Override
    public synchronized void onUserSpeech(UserSpeech speech) {
        if (capturing(speech.at())) {
            events.userSpeech(speech);
        }
    }

    /**
     * Records the committed turn. A spoken turn is stamped with when the user began speaking, so
     * the message lines up with its audio; a typed one with when it arrived.
     */
    @Override
    public synchronized void onUserTurn(long turnId, String text) {
        Instant now = clock.now();
        if (capturing(now)) {
            events.userTurn(turnId, text, now);
        }
    }

    @Override
    public synchronized void onAgentText(AgentText text) {
        if (capturing(text.at())) {
            events.agentText(text);
        }
    }

    @Override
    public synchronized void onPlayback(PlaybackEvent e) {
        if (capturing(e.at())) {
            events.playback(e);
        }
    }

    @Override
    public synchronized void onTurnMetrics(TurnMetrics m) {
        Instant now = clock.now();
        if (capturing(now)) {
            events.turnMetrics(m, now);
        }
    }

    @Override
    public synchronized void onError(SessionException error) {
        Instant now = clock.now();
        if (capturing(now)) {
            events.error(error, now);
        }
    }

    @Override
    public synchronized void onUserAudio(AudioFrame frame) {
        if (captureAudio && audioCapturing(frame.timestampNanos()) && rec.audio() != null) {
            rec.audio().user(frame);
        }
    }

    @Override
    public synchronized void onAgentAudio(AudioFrame frame) {
        if (captureAudio && audioCapturing(frame.timestampNanos()) && rec.audio() != null) {
            rec.audio().agent(frame);
        }
    }

    @Override
    public synchronized void onAgentAudioCleared(long atNanos) {
        if (captureAudio && state == RecorderState.RECORDING && rec.audio() != null) {
            rec.audio().clearAgent(atNanos);
        }
    }

    // ---------------------------------------------------------------- internals

    /** Whether an event at {@code at} is recorded, switching to a new day's recording first if due. */
    private boolean capturing(Instant at) {
        if (daily.on() && state != RecorderState.IDLE) {
            LocalDate day = daily.dayOf(at);
            if (daily.isLater(day)) {
                rollOver(day);
            }
        }
        return state == RecorderState.RECORDING;
    }

    private boolean audioCapturing(long nanos) {
        if (daily.on() && state != RecorderState.IDLE && daily.pastMidnight(nanos)) {
            rollOver(daily.dayOf(clock.now()));
        }
        return state == RecorderState.RECORDING;
    }

    private void rollOver(LocalDate day) {
        if (!daily.isLater(day)) {
            return;
        }
        close("day ended; recording continues in " + daily.name(day), "rollover");
        openDay(day);
    }

    private RecordingMetadata openDay(LocalDate day) {
        String name = daily.name(day);
        if (store.exists(name)) {
            open(store.append(name), "recording resumed (auto)");
        } else {
            open(store.create(fresh(name)), "recording started (auto)");
        }
        daily.opened(day, clock);
        return rec.metadata();
    }

    /** Metadata for a new recording named {@code name}, begun now. */
    private RecordingMetadata fresh(String name) {
        Instant now = clock.now();
        return new RecordingMetadata(name, sessionId, userId, userName, agentId, agentName, model,
                dataClass, now, now, RecordingStatus.RECORDING, captureAudio ? sampleRate : 0, List.of(), false, null, 0);
    }

    private void open(RecordingWriter w, String why) {
        rec = new OpenRecording(w, clock, redactor, dispatch, captureAudio, sampleRate, holdback);
        state = RecorderState.RECORDING;
        rec.begin(why);
    }

    private RecordingMetadata close(String why, String code) {
        if (state == RecorderState.RECORDING) {
            rec.endSegment();
        }
        events.flushUnspoken(true);
        rec.note(why, code);
        RecordingMetadata m = rec.finish();
        rec = null;
        state = RecorderState.IDLE;
        events.clear();
        daily.closed();
        return m;
    }

    private RecordingEvent write(RecordingEvent e) {
        return rec.write(e);
    }

    private synchronized void consentWithdrawn(ConsentType type) {
        if (state == RecorderState.IDLE) {
            return;
        }
        daily.on(false);
        close("recording stopped: " + type.name().toLowerCase(Locale.ROOT) + " consent withdrawn", "consent_withdrawn");
    }

    private void requireIdle() {
        if (state != RecorderState.IDLE) {
            throw new RecordingException(Problem.WRONG_STATE, "recording '" + rec.metadata().name() + "' is already open; stop it first");
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
