package io.parley.group;

import io.parley.audio.AudioFormat;
import io.parley.session.AgentCallback;
import io.parley.session.ErrorCode;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.StreamingAgent;
import io.parley.spi.ConversationTurn;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.Transcript;
import io.parley.spi.TtsProvider;
import io.parley.spi.VadProvider;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several people and one agent. Each voice participant has their own voice activity detection
 * and recognition, so every transcript names its speaker; typed and spoken turns mix freely.
 * A {@link FloorPolicy} decides which addressed turn the agent answers; with a
 * {@link WakePhrase} only turns that begin with it are addressed (a turn that is only the
 * phrase addresses the same speaker's next turn within {@link Builder#armWindow}). The
 * agent's reply goes to every participant as text and, synthesized once, to every voice
 * participant's {@link AgentAudioSink}.
 *
 * <pre>{@code
 * GroupSession group = GroupSession.builder()
 *         .stt(stt).tts(tts).vad(vad)
 *         .agent((ctx, question) -> "You asked: " + question)
 *         .wakePhrase("hey agent")
 *         .build();
 * Participant ann = group.join("ann", "Ann", ParticipantKind.VOICE, frame -> speaker.play(frame));
 * Participant bob = group.join("bob", "Bob", ParticipantKind.TEXT, null);
 * bob.sendText("hey agent, what is on the agenda?");
 * }</pre>
 *
 * <p>The session runs on one serialized event loop on the {@link Clock}'s pool; listeners are
 * called there, in order. The session is running once built; {@link #stop()} ends it.
 */
public final class GroupSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupSession.class);

    private final String id;
    private final SttProvider stt;
    private final TtsProvider tts;
    private final VadProvider vad;
    private final StreamingAgent agent;
    private final WakePhrase wake;
    private final Clock clock;
    private final AudioFormat inputFormat;
    private final AudioFormat outputFormat;
    private final String voice;
    private final SessionConfig config;
    private final AtomicLong turnIds = new AtomicLong();
    private final SerialExecutor loop;
    private final List<GroupListener> listeners = new CopyOnWriteArrayList<>();

    // Present participants: written on the loop and at join (under the lock), read anywhere.
    private final Map<String, Participant> present = new LinkedHashMap<>();
    private volatile AgentAudioSink[] sinks = new AgentAudioSink[0];
    private volatile boolean agentEnabled;
    private volatile boolean stopped;

    /** Who the agent answers; loop-confined. */
    private final Floor floor;

    private GroupSession(Builder b) {
        this.id = b.id;
        this.stt = b.stt;
        this.tts = b.tts;
        this.vad = b.vad;
        this.agent = b.agent;
        this.wake = b.wake;
        this.clock = b.clock;
        this.inputFormat = b.inputFormat;
        this.outputFormat = b.outputFormat;
        this.voice = b.voice;
        this.config = b.config;
        this.floor = new Floor(this, new Addressing(b.wake, b.armWindow.toNanos()), b.policy, b.handler);
        this.agentEnabled = b.agentEnabled;
        this.listeners.addAll(b.listeners);
        this.loop = new SerialExecutor(clock::execute, t -> error(SessionException.wrap(ErrorCode.INTERNAL_ERROR, t)));
    }

    /** A builder for a new group session. */
    public static Builder builder() {
        return new Builder();
    }

    /** The session id. */
    public String id() {
        return id;
    }

    /** The wake phrase, if turns must be addressed to the agent. */
    public Optional<WakePhrase> wakePhrase() {
        return Optional.ofNullable(wake);
    }

    /** Whether the agent answers addressed turns now. */
    public boolean agentEnabled() {
        return agentEnabled;
    }

    /** False once stopped. */
    public boolean running() {
        return !stopped;
    }

    /**
     * Adds a participant. A voice participant gets their own recognition stream (opened on
     * the calling thread) and hears the agent through {@code sink}.
     *
     * @param sink where a voice participant hears the agent; may be null (text only, or muted)
     * @throws IllegalArgumentException if {@code id} or {@code name} is blank or over 100
     *                                  characters, or {@code id} is already present
     * @throws SessionException         {@link ErrorCode#SESSION_NOT_ACTIVE} after {@link #stop()},
     *                                  or the recognizer's error if its stream cannot be opened
     */
    public Participant join(String id, String name, ParticipantKind kind, AgentAudioSink sink) {
        checkName("id", id);
        checkName("name", name);
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (stopped) {
            throw new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "group session " + this.id + " has stopped");
        }
        if (kind == ParticipantKind.VOICE && stt == null) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "group session " + this.id
                    + " has no speech-to-text provider, so only text participants can join");
        }
        Participant p = new Participant(this, id, name, kind, kind == ParticipantKind.VOICE ? sink : null);
        Ear ear = null;
        if (kind == ParticipantKind.VOICE) {
            ear = new Ear(this, p, inputFormat, vad == null ? null : vad.create(inputFormat), config, turnIds::incrementAndGet);
            p.ear(ear);
        }
        synchronized (present) {
            if (present.containsKey(id)) {
                throw new IllegalArgumentException("participant '" + id + "' is already in session " + this.id);
            }
            present.put(id, p);
        }
        if (ear != null) {
            try {
                ear.stream(stt.open(new SttRequest(this.id + "/" + id, inputFormat, config.keepAliveInterval(),
                        config.language()), ear));
            } catch (RuntimeException e) {
                release(p);
                throw e;
            }
        }
        refreshSinks();
        loop.execute(() -> emit(l -> l.onParticipantJoined(p)));
        return p;
    }

    /** The participants present now, in join order. */
    public List<Participant> participants() {
        synchronized (present) {
            return List.copyOf(present.values());
        }
    }

    /** Switches the agent on or off; switching off cuts off its current answer and drops queued turns. */
    public void setAgentEnabled(boolean enabled) {
        loop.execute(() -> {
            if (agentEnabled == enabled || stopped) {
                return;
            }
            agentEnabled = enabled;
            if (!enabled) {
                floor.clear();
            }
            emit(l -> l.onAgentEnabled(enabled));
        });
    }

    /** The conversation so far, oldest first; user turns read "Speaker: text". */
    public List<ConversationTurn> history() {
        return onLoop(floor::history);
    }

    /** Registers a listener. */
    public void addListener(GroupListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Unregisters a listener. */
    public void removeListener(GroupListener listener) {
        listeners.remove(listener);
    }

    /**
     * Ends the session: cuts off the agent, closes every participant's recognition, and tells
     * listeners. Blocks until done (at most 5 s). Idempotent.
     */
    public void stop() {
        onLoop(() -> {
            if (stopped) {
                return null;
            }
            stopped = true;
            floor.clear();
            for (Participant p : participants()) {
                if (release(p)) {
                    depart(p);
                }
            }
            emit(GroupListener::onStopped);
            return null;
        });
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    // ---- called by participants and ears ----

    void leave(Participant p) {
        if (release(p)) {
            loop.execute(() -> depart(p));
        }
    }

    /** Frees the participant's id at once, so the same person can rejoin before the loop catches up. */
    private boolean release(Participant p) {
        synchronized (present) {
            if (!p.present()) {
                return false;
            }
            present.remove(p.id(), p);
            p.markGone();
        }
        refreshSinks();
        return true;
    }

    private void depart(Participant p) {
        if (p.ear() != null) {
            p.ear().close();
        }
        emit(l -> l.onParticipantLeft(p));
    }

    void typed(Participant p, String text) {
        loop.execute(() -> floor.turn(p, turnIds.incrementAndGet(), text, false));
    }

    /** Loop: a recognition result of a voice participant. */
    void transcript(Participant p, Transcript t) {
        if (stopped || t.text().isBlank()) {
            return;
        }
        GroupTranscript gt = new GroupTranscript(p.id(), p.name(), t.text().trim(), t.isFinal(), t.confidence(), clock.now());
        emit(l -> l.onTranscript(gt));
    }

    /** Loop: a voice participant's turn was committed by their {@link io.parley.session.UserTurn}. */
    void spoken(Participant p, long turnId, String text) {
        if (!text.isBlank()) {
            floor.turn(p, turnId, text.trim(), true);
        }
    }

    void error(SessionException e) {
        loop.execute(() -> emit(l -> l.onError(e)));
    }

    /** Called by an answer when its text and speech are done or it was cut off. */
    void finished(Answer a, AgentReply reply) {
        floor.finished(a, reply);
    }

    // ---- plumbing ----

    String sessionId() {
        return id;
    }

    StreamingAgent agent() {
        return agent;
    }

    TtsProvider tts() {
        return tts;
    }

    AudioFormat outputFormat() {
        return outputFormat;
    }

    String voice() {
        return voice;
    }

    Clock clock() {
        return clock;
    }

    SerialExecutor loop() {
        return loop;
    }

    AgentAudioSink[] sinks() {
        return sinks;
    }

    void emit(java.util.function.Consumer<GroupListener> event) {
        for (GroupListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                // A faulty listener must not starve the others.
                LOG.error("group session {}: listener {} failed", id, l, e);
            }
        }
    }

    private void refreshSinks() {
        synchronized (present) {
            List<AgentAudioSink> s = new ArrayList<>();
            for (Participant p : present.values()) {
                if (p.sink() != null) {
                    s.add(p.sink());
                }
            }
            sinks = s.toArray(AgentAudioSink[]::new);
        }
    }

    private <T> T onLoop(java.util.function.Supplier<T> task) {
        if (loop.inExecutor()) {
            return task.get();
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for group session " + id, e);
        } catch (ExecutionException e) {
            throw SessionException.wrap(ErrorCode.INTERNAL_ERROR, e.getCause());
        } catch (TimeoutException e) {
            throw new SessionException(ErrorCode.TIMEOUT, "group session " + id + " did not answer within 5 s", e);
        }
    }

    private static void checkName(String what, String value) {
        if (value == null || value.isBlank() || value.length() > 100) {
            throw new IllegalArgumentException("participant " + what + " must be 1-100 characters and not blank, was '"
                    + value + "'");
        }
    }

    /**
     * Configures a {@link GroupSession}. An agent is required; without recognition only text
     * participants can join, and without synthesis the agent answers in text only.
     */
    public static final class Builder {
        String id = java.util.UUID.randomUUID().toString();
        SttProvider stt;
        TtsProvider tts;
        VadProvider vad;
        StreamingAgent agent;
        WakePhrase wake;
        FloorPolicy policy = FloorPolicy.QUEUE;
        TurnHandler handler;
        Clock clock = Clock.system();
        AudioFormat inputFormat = AudioFormat.PCM_16K_MONO;
        AudioFormat outputFormat = AudioFormat.PCM_16K_MONO;
        String voice = "";
        SessionConfig config = SessionConfig.defaults();
        Duration armWindow = Duration.ofSeconds(10);
        boolean agentEnabled = true;
        final List<GroupListener> listeners = new ArrayList<>();

        Builder() {
        }

        /** The session id [a random UUID]. */
        public Builder id(String id) {
            arg(id, "id");
            checkName("session id", id);
            this.id = id;
            return this;
        }

        /** Recognition; one stream is opened per voice participant. */
        public Builder stt(SttProvider stt) {
            this.stt = arg(stt, "stt");
            return this;
        }

        /** Synthesis of the agent's replies, once per reply for all voice participants. */
        public Builder tts(TtsProvider tts) {
            this.tts = arg(tts, "tts");
            return this;
        }

        /** Voice activity detection, one instance per voice participant; without it utterances end
         *  on the recognizer's endpointing or {@link Participant#endOfSpeech()}. */
        public Builder vad(VadProvider vad) {
            this.vad = arg(vad, "vad");
            return this;
        }

        /** A whole-reply agent; it is asked the turn's text without the wake phrase. */
        public Builder agent(AgentCallback callback) {
            arg(callback, "agent");
            this.agent = (ctx, text, sink) -> {
                String reply = callback.respond(ctx, text);
                if (reply != null && !reply.isEmpty()) {
                    sink.write(reply);
                }
                sink.complete();
            };
            return this;
        }

        /** A streaming agent. */
        public Builder streamingAgent(StreamingAgent agent) {
            this.agent = arg(agent, "streamingAgent");
            return this;
        }

        /** Only turns beginning with this phrase are for the agent [none: every turn is]. */
        public Builder wakePhrase(String phrase) {
            this.wake = WakePhrase.of(arg(phrase, "phrase"));
            return this;
        }

        /** Who gets the floor when the agent is busy [{@link FloorPolicy#QUEUE}]. */
        public Builder floorPolicy(FloorPolicy policy) {
            this.policy = arg(policy, "policy");
            return this;
        }

        /** Sees each turn before the agent and may take it (chat commands). */
        public Builder turnHandler(TurnHandler handler) {
            this.handler = arg(handler, "handler");
            return this;
        }

        /** Time and threads [{@link Clock#system()}]. */
        public Builder clock(Clock clock) {
            this.clock = arg(clock, "clock");
            return this;
        }

        /** Format of participants' audio [16 kHz mono]. */
        public Builder inputFormat(AudioFormat format) {
            this.inputFormat = arg(format, "inputFormat");
            return this;
        }

        /** Format of the agent's audio [16 kHz mono]. */
        public Builder outputFormat(AudioFormat format) {
            this.outputFormat = arg(format, "outputFormat");
            return this;
        }

        /** Voice id for the synthesizer, empty for its default. */
        public Builder voice(String voice) {
            this.voice = arg(voice, "voice");
            return this;
        }

        /**
         * Turn-taking settings of every participant's {@link io.parley.session.UserTurn}:
         * endpointing delays, the final-transcript timeout, keep-alive and language
         * [{@link SessionConfig#defaults()}].
         */
        public Builder config(SessionConfig config) {
            this.config = arg(config, "config");
            return this;
        }

        /** How long a bare wake phrase addresses its speaker's next turn [10 s]. */
        public Builder armWindow(Duration d) {
            this.armWindow = positive(d, "armWindow");
            return this;
        }

        /** Whether the agent answers from the start [true]. */
        public Builder agentEnabled(boolean enabled) {
            this.agentEnabled = enabled;
            return this;
        }

        /** Registers a listener before anything happens. */
        public Builder listener(GroupListener listener) {
            listeners.add(arg(listener, "listener"));
            return this;
        }

        /**
         * Builds the running session.
         *
         * @throws SessionException {@link ErrorCode#INVALID_CONFIG} naming what is missing
         */
        public GroupSession build() {
            if (agent == null) {
                throw new SessionException(ErrorCode.INVALID_CONFIG, "agent or streamingAgent is required");
            }
            return new GroupSession(this);
        }

        private static <T> T arg(T value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static Duration positive(Duration d, String what) {
            arg(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
