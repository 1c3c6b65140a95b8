package io.parley.session;

import io.opentelemetry.api.trace.Span;
import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.ConversationTurn;
import io.parley.spi.ExpectedAnswer;
import io.parley.spi.NoiseCanceller;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.Transport;
import io.parley.spi.TtsProvider;
import io.parley.spi.Vad;
import io.parley.spi.VadProvider;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The voice session engine: lifecycle, state and the public API. All conversation state is
 * confined to one serialized event loop ({@link #loop}); public methods post to it, and every
 * task on it runs inside one guard ({@link #loopFailed}). The user's turns are a
 * {@link UserTurn} with {@link TurnTaking}'s barge-in policy, the agent's side is
 * {@link Replies}, its voice is {@link SpeechOutput}, inbound audio is {@link InboundAudio}
 * on the delivering thread, and {@link SessionStart} and {@link SessionStop} are the start and
 * stop sequences. Provider and
 * transport opens, starts and closes run on the clock's blocking pool ({@link #blocking}),
 * never on the loop.
 */
final class DefaultVoiceSession implements VoiceSession {

    static final String MDC_KEY = "parley.session";
    private static final Logger log = LoggerFactory.getLogger(DefaultVoiceSession.class);
    private static final Duration BLOCKING_CALL_LIMIT = Duration.ofSeconds(60);

    final SessionConfig config;
    final String id;
    final Clock clock;
    final SerialExecutor loop;
    final EventBus events;
    final Telemetry telemetry;
    final ProviderChain<SttProvider> sttChain;
    final ProviderChain<TtsProvider> ttsChain;
    private final VadProvider vadProvider;
    private final NoiseCanceller noiseCanceller;
    private final FarEnd farEnd;
    /** Whether the turn detector reads prosody, so the inbound path must track the caller's pitch. */
    private final boolean trackProsody;
    final Transport transport;
    final StreamingAgent agent;
    private final AudioFormat inputFormat;
    final List<ConversationTurn> history = new CopyOnWriteArrayList<>();

    volatile SessionState state = SessionState.INITIAL;
    private volatile InboundAudio inbound;
    /** What the user's audio has delivered, kept across runs' inbound paths, for the end-of-turn wait. */
    private final HeardAudio heardAudio = new HeardAudio();
    volatile boolean running;
    final SessionStart start = new SessionStart(this);
    final SessionStop stopping = new SessionStop(this);

    long startedNanos;
    Span sessionSpan = Span.getInvalid();
    final RecognizerLink recognizer;
    final UserTurn turn;
    final TurnTaking turnTaking;
    final Replies replies;
    final SpeechOutput output;
    private final Idle idle;
    private final BlockingTasks blockingTasks;
    long awayAnchorNanos;
    private long turnSeq;
    private AudioFrame hostFrame;

    DefaultVoiceSession(VoiceSession.Builder b) {
        this.config = b.config;
        this.id = config.sessionId();
        this.clock = b.clock;
        this.blockingTasks = new BlockingTasks(clock::executeBlocking);
        // Listener deliveries wait for the end of each loop batch (see EventBus).
        this.loop = new SerialExecutor(clock::execute, this::loopFailed, () -> MDC.put(MDC_KEY, id), this::loopBatchEnded);
        this.events = new EventBus(id, clock, this::tapChanged, loop::inExecutor);
        b.listeners.forEach(events::add);
        b.audioListeners.forEach(events::addAudio);
        this.telemetry = new Telemetry(b.openTelemetry);
        this.sttChain = new ProviderChain<>("stt", b.stt, SttProvider::name, config, clock, telemetry, this::blocking);
        this.ttsChain = new ProviderChain<>("tts", b.tts, TtsProvider::name, config, clock, telemetry, this::blocking);
        this.vadProvider = b.vad;
        this.noiseCanceller = b.noiseCanceller;
        this.trackProsody = b.turnDetector != null && b.turnDetector.usesProsody();
        this.agent = b.agent;
        this.transport = b.transport != null ? b.transport : new ListenerTransport(b.inputFormat, b.outputFormat, clock);
        this.inputFormat = transport.inputFormat();
        this.farEnd = b.echoCanceller == null && b.echoSuppressor == null ? null
                : new FarEnd(b.echoCanceller, b.echoSuppressor, transport.outputFormat(), clock);
        this.replies = new Replies(this);
        this.output = new SpeechOutput(id, b.voice, config, clock, loop, transport, events, ttsChain, new OutputEvents(this),
                this::blocking, b.speechText, farEnd);
        SttRequest sttRequest = new SttRequest(id, inputFormat,
                config.keepAlive() ? config.keepAliveInterval() : Duration.ZERO, config.language());
        this.recognizer = new RecognizerLink(sttChain, sttRequest, loop, clock, config, new SessionInputs.Recognition(this),
                this::blocking);
        this.turnTaking = new TurnTaking(this);
        UserTurn.Builder tb = UserTurn.builder(clock, loop, turnTaking)
                .config(config)
                .recognizer(recognizer)
                .gate(seq -> {
                    InboundAudio in = inbound;
                    if (in != null) {
                        in.closeGate(seq);
                    }
                })
                .history(() -> history)
                .turnIds(() -> ++turnSeq)
                .vadDriven(vadProvider != null)
                .heardAudio(heardAudio);
        if (b.turnDetector != null) {
            tb.turnDetector(b.turnDetector);
        }
        this.turn = tb.build();
        this.idle = new Idle(this);
    }

    // ---------------------------------------------------------------- public API

    @Override
    public String id() {
        return id;
    }

    @Override
    public SessionState state() {
        return state;
    }

    @Override
    public SessionConfig config() {
        return config;
    }

    @Override
    public void start() {
        await(startAsync(), "start");
    }

    @Override
    public CompletableFuture<Void> startAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> doStart(done));
        return done;
    }

    @Override
    public void stop() {
        await(stopAsync(), "stop");
    }

    @Override
    public CompletableFuture<Void> stopAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            stopping.stop("stopped", null);
            stopping.closed().whenComplete((v, e) -> done.complete(null));
        });
        return done;
    }

    @Override
    public void processAudio(AudioFrame frame) {
        if (frame == null) {
            throw new IllegalArgumentException("frame must not be null");
        }
        InboundAudio in = inbound;
        if (!running || in == null) {
            throw new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "session " + id + " is " + state + "; start it before sending audio");
        }
        in.process(frame);
    }

    @Override
    public void processAudio(byte[] pcm16le) {
        if (pcm16le == null) {
            throw new IllegalArgumentException("pcm16le must not be null");
        }
        if ((pcm16le.length & 1) != 0) {
            throw new IllegalArgumentException("PCM16LE byte count must be even, was " + pcm16le.length);
        }
        if ((pcm16le.length / 2) % inputFormat.channels() != 0) {
            throw new IllegalArgumentException("PCM16LE data of " + pcm16le.length + " bytes is not a whole number of "
                    + inputFormat.channels() + "-channel samples");
        }
        // Hosts feed one thread at a time (InboundAudio enforces it), so one frame is reused.
        AudioFrame f = hostFrame;
        if (f == null || f.capacity() < pcm16le.length / 2) {
            f = AudioFrame.allocate(inputFormat, pcm16le.length / 2);
            hostFrame = f;
        }
        processAudio(f.readPcm16le(pcm16le, 0, pcm16le.length, clock.nanoTime()));
    }

    @Override
    public CompletableFuture<String> sendText(String text) {
        return respond(text).text();
    }

    @Override
    public SpeechHandle respond(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must not be null or blank");
        }
        return replies.respond(text);
    }

    @Override
    public SpeechHandle generateReply(String instructions) {
        if (instructions == null) {
            throw new IllegalArgumentException("instructions must not be null (use \"\" for none)");
        }
        return replies.generate(instructions);
    }

    /** A turn id for a turn that did not come from the user's speech. */
    long nextTurnId() {
        return ++turnSeq;
    }

    @Override
    public PlaybackHandle say(String text, SayOptions options) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        if (!running) {
            throw new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "session " + id + " is " + state + "; start it before say()");
        }
        Speech s = output.newSpeech(0, options, false);
        output.wholeText(s, text);
        loop.execute(() -> {
            if (s.done) {
                // Cancelled before it was queued; its handle is complete.
                return;
            }
            if (!running) {
                s.done = true;
                s.result.completeExceptionally(new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "session " + id + " stopped"));
                return;
            }
            touch();
            AgentText ev = new AgentText(0, s.id, text, clock.now());
            events.emit(l -> l.onAgentText(ev));
            output.enqueue(s);
        });
        return s;
    }

    @Override
    public BackgroundHandle playBackground(AudioClip clip, BackgroundOptions options) {
        BackgroundMix.Track track = output.prepareBackground(clip, options);
        if (!running) {
            throw new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "session " + id + " is " + state + "; start it before playBackground()");
        }
        loop.execute(() -> {
            if (running) {
                output.playBackground(track);
            } else {
                track.stop();
            }
        });
        return track;
    }

    @Override
    public void expect(ExpectedAnswer answer) {
        if (answer == null) {
            throw new IllegalArgumentException("answer must not be null (ExpectedAnswer.ANY for nothing in particular)");
        }
        loop.execute(() -> turnTaking.expect(answer));
    }

    @Override
    public void interrupt() {
        loop.execute(() -> {
            if (running) {
                cutAgent("interrupted", true);
                settleState("interrupted");
            }
        });
    }

    @Override
    public List<ConversationTurn> history() {
        return List.copyOf(history);
    }

    @Override
    public void addListener(SessionListener listener) {
        events.add(requireListener(listener));
    }

    @Override
    public void removeListener(SessionListener listener) {
        events.remove(listener);
    }

    @Override
    public void addAudioListener(AudioListener listener) {
        events.addAudio(requireListener(listener));
    }

    @Override
    public void removeAudioListener(AudioListener listener) {
        events.removeAudio(listener);
    }

    private static <T> T requireListener(T l) {
        if (l == null) {
            throw new IllegalArgumentException("listener must not be null");
        }
        return l;
    }

    private void tapChanged() {
        InboundAudio in = inbound;
        if (in != null) {
            in.setTap(events.hasAudioListeners());
        }
    }

    private <T> void await(CompletableFuture<T> f, String what) {
        if (loop.inExecutor()) {
            throw new SessionException(ErrorCode.INVALID_STATE, what + "() would block the session's own event loop");
        }
        try {
            f.get(BLOCKING_CALL_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw SessionException.wrap(ErrorCode.INTERNAL_ERROR, e.getCause());
        } catch (TimeoutException e) {
            throw new SessionException(ErrorCode.TIMEOUT, what + "() did not complete within " + BLOCKING_CALL_LIMIT
                    + "; on a virtual clock use " + what + "Async() and advance time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.INTERNAL_ERROR, "interrupted during " + what + "()", e);
        }
    }

    // ---------------------------------------------------------------- threads

    /**
     * Runs code that may block (provider and transport opens, starts and closes, the agent)
     * on the clock's blocking pool with the session id in the logging MDC, shared out among the
     * pool threads it wakes ({@link BlockingTasks}).
     */
    void blocking(Runnable task) {
        blockingTasks.execute(() -> {
            MDC.put(MDC_KEY, id);
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                loop.execute(() -> reportError(SessionException.wrap(ErrorCode.INTERNAL_ERROR, e)));
            } finally {
                MDC.remove(MDC_KEY);
            }
        });
    }

    /**
     * The guard around every loop task: a task that throws is reported with a code, and the
     * conversation settles (the agent is cut rather than left half-way), so no session stays
     * SPEAKING or PROCESSING with nothing happening.
     */
    private void loopFailed(Throwable t) {
        log.error("session {}: event loop task failed", id, t);
        try {
            SessionException se = t instanceof SessionException x ? x
                    : new SessionException(ErrorCode.INTERNAL_ERROR, "event loop task failed: " + t, t);
            reportError(se);
            if (running && state != SessionState.LISTENING && state != SessionState.AWAY) {
                cutAgent("internal_error", false);
                settleState("internal_error");
            }
        } catch (RuntimeException | Error again) {
            log.error("session {}: recovering from a failed task failed", id, again);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private void doStart(CompletableFuture<Void> done) {
        if (running || start.active()) {
            done.completeExceptionally(new SessionException(ErrorCode.SESSION_ALREADY_ACTIVE, "session " + id + " is already " + state));
            return;
        }
        sttChain.activate();
        ttsChain.activate();
        start.begin(stopping.closed(), done);
    }

    /** The inbound audio path of a new run, with a new VAD; on the blocking pool. */
    InboundAudio newInbound() {
        Vad vad = vadProvider == null ? null : vadProvider.create(inputFormat);
        return new InboundAudio(inputFormat, vad, noiseCanceller, farEnd, config, trackProsody, heardAudio, clock,
                new SessionInputs.Inbound(this));
    }

    /** The start sequence is done: recognizer open, transport started. */
    void started(InboundAudio in) {
        in.setTap(events.hasAudioListeners());
        inbound = in;
        in.setStream(recognizer.stream());
        running = true;
        in.attach();
        turn.reset();
        output.reset();
        startedNanos = clock.nanoTime();
        awayAnchorNanos = startedNanos;
        sessionSpan = telemetry.sessionSpan(id, recognizer.provider(), ttsChain.name(0), clock.now());
        telemetry.sessionStarted();
        transition(SessionState.LISTENING, "started");
        idle.start();
    }

    /** Ends the session from inside (inactivity, a transport that did not come back). */
    void end(String reason, SessionException cause) {
        if (running) {
            stopping.stop(reason, cause);
        }
    }

    /** Detaches the run's inbound audio path (the session stops): audio is refused from now on. */
    InboundAudio detachInbound() {
        InboundAudio in = inbound;
        inbound = null;
        if (in != null) {
            in.detach();
        }
        return in;
    }

    void transition(SessionState to, String reason) {
        SessionState from = state;
        if (from == to) {
            return;
        }
        if (from == SessionState.AWAY && to != SessionState.LISTENING && to != SessionState.ENDED) {
            transition(SessionState.LISTENING, reason);
            from = state;
        }
        from.checkTransitionTo(to);
        state = to;
        Instant at = clock.now();
        sessionSpan.addEvent("state." + to.name().toLowerCase(Locale.ROOT));
        replies.turnSpan().setAttribute(Telemetry.STATE, to.name());
        StateChange change = new StateChange(id, from, to, at, reason);
        log.debug("session {}: {} -> {} ({})", id, from, to, reason);
        events.emit(l -> l.onStateChanged(change));
        if (to == SessionState.LISTENING) {
            awayAnchorNanos = clock.nanoTime();
            idle.armAway();
        }
    }

    /** Moves to the state the conversation is in: speaking, processing or listening. */
    void settleState(String reason) {
        if (!running) {
            return;
        }
        SessionState target;
        Speech active = output.active();
        if (active != null && active.started) {
            target = SessionState.SPEAKING;
        } else if (turn.committing() || replies.busy() || (active != null && active.fromAgent)) {
            target = SessionState.PROCESSING;
        } else if (active != null && state == SessionState.SPEAKING) {
            target = SessionState.SPEAKING;
        } else if (state == SessionState.AWAY) {
            target = SessionState.AWAY;
        } else {
            target = SessionState.LISTENING;
        }
        transition(target, reason);
    }

    /** Whether nothing is going on: no speech, no reply, no turn. */
    boolean quiet() {
        return !turn.speaking() && output.active() == null && !replies.busy() && !turn.committing() && turn.turnId() == 0;
    }

    // ---------------------------------------------------------------- agent speech

    /**
     * Stops agent output and generation: current and queued speech, the pending reply. With
     * {@code keepUninterruptible}, speech said with {@code allowInterruptions=false} plays on.
     */
    void cutAgent(String reason, boolean keepUninterruptible) {
        turnTaking.cancelTimers();
        // Speech first: cutting a reply's speech on its own would start (and pay for) the next one.
        output.cutAll(keepUninterruptible);
        replies.cancel();
        log.debug("session {}: agent cut ({})", id, reason);
    }

    // ---------------------------------------------------------------- small helpers

    void touch() {
        idle.touch();
    }

    private void loopBatchEnded() {
        try {
            events.releaseHeld();
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    void reportError(SessionException e) {
        telemetry.error(e);
        Telemetry.recordError(sessionSpan, e);
        log.warn("session {}: {}", id, e.getMessage());
        events.emit(l -> l.onError(e));
    }

    Instant instantAt(long nanos) {
        return clock.now().minusNanos(clock.nanoTime() - nanos);
    }

    InboundAudio inbound() {
        return inbound;
    }

    Idle idleTimers() {
        return idle;
    }

    boolean starting() {
        return start.active();
    }
}
