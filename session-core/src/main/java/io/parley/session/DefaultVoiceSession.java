package io.parley.session;

import io.opentelemetry.api.trace.Span;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.ConversationTurn;
import io.parley.spi.NoiseCanceller;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnDetector;
import io.parley.spi.TurnPrediction;
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
 * The voice session engine. All conversation state is confined to one serialized event loop
 * ({@link #loop}); public methods post to it. Inbound audio is handled on the delivering
 * thread by {@link InboundAudio}, which posts only speech onsets and offsets.
 */
final class DefaultVoiceSession implements VoiceSession, Generation.Handler {

    static final String MDC_KEY = "parley.session";
    private static final Logger log = LoggerFactory.getLogger(DefaultVoiceSession.class);
    private static final Duration BLOCKING_CALL_LIMIT = Duration.ofSeconds(60);
    private static final int HISTORY_FOR_TURN_DETECTION = 6;

    private final SessionConfig config;
    private final String id;
    private final Clock clock;
    private final SerialExecutor loop;
    private final EventBus events;
    private final Telemetry telemetry;
    private final ProviderChain<SttProvider> sttChain;
    private final ProviderChain<TtsProvider> ttsChain;
    private final VadProvider vadProvider;
    private final TurnDetector turnDetector;
    private final NoiseCanceller noiseCanceller;
    private final Transport transport;
    private final StreamingAgent agent;
    private final String voice;
    private final AudioFormat inputFormat;
    private final AudioFormat outputFormat;
    private final List<ConversationTurn> history = new CopyOnWriteArrayList<>();

    private volatile SessionState state = SessionState.INITIAL;
    private volatile InboundAudio inbound;
    private volatile boolean running;
    private boolean starting;

    // Lifecycle and providers (loop-confined from here on).
    private long startedNanos;
    private Span sessionSpan = Span.getInvalid();
    private final RecognizerLink recognizer;

    // The user's open turn.
    private long turnSeq;
    private long turnId;
    private final StringBuilder finals = new StringBuilder();
    private String interim = "";
    private boolean userSpeaking;
    private long speechOnsetNanos;
    private long lastSpeechEndNanos = -1;
    private boolean ignoreTranscripts;
    private Clock.Cancellable eotTimer;

    // A committed turn waiting for its final transcript.
    private boolean committing;
    private boolean commitAbandoned;
    private long committedTurnId;
    private final StringBuilder committedText = new StringBuilder();
    private String committedInterim = "";
    private Clock.Cancellable finalTimer;
    private int unansweredFinalizes;
    private TurnTiming timing;
    private Span turnSpan = Span.getInvalid();

    // The agent.
    private Generation generation;
    private Generation preemptive;

    // Agent speech and pacing.
    private final SpeechOutput output;
    private AudioFrame hostFrame;

    // Barge-in.
    private Clock.Cancellable interruptCheckTimer;
    private Clock.Cancellable falseInterruptTimer;

    // Inactivity.
    private long lastActivityNanos;
    private long awayAnchorNanos;
    private Clock.Cancellable awayTimer;
    private Clock.Cancellable inactivityTimer;
    private Clock.Cancellable disconnectTimer;

    DefaultVoiceSession(VoiceSession.Builder b) {
        this.config = b.config;
        this.id = config.sessionId();
        this.clock = b.clock;
        this.loop = new SerialExecutor(clock::execute,
                t -> log.error("session {}: event loop task failed", id, t),
                () -> MDC.put(MDC_KEY, id), () -> MDC.remove(MDC_KEY));
        this.events = new EventBus(id, clock, this::tapChanged);
        b.listeners.forEach(events::add);
        b.audioListeners.forEach(events::addAudio);
        this.telemetry = new Telemetry(b.openTelemetry);
        this.sttChain = new ProviderChain<>("stt", b.stt, SttProvider::name, config, clock, telemetry);
        this.ttsChain = new ProviderChain<>("tts", b.tts, TtsProvider::name, config, clock, telemetry);
        this.vadProvider = b.vad;
        this.turnDetector = b.turnDetector;
        this.noiseCanceller = b.noiseCanceller;
        this.agent = b.agent;
        this.voice = b.voice;
        this.transport = b.transport != null ? b.transport : new ListenerTransport(b.inputFormat, b.outputFormat, clock);
        this.inputFormat = transport.inputFormat();
        this.outputFormat = transport.outputFormat();
        this.output = new SpeechOutput(id, voice, config, clock, loop, transport, events, ttsChain, new OutputHost());
        SttRequest sttRequest = new SttRequest(id, inputFormat,
                config.keepAlive() ? config.keepAliveInterval() : Duration.ZERO, config.language());
        this.recognizer = new RecognizerLink(sttChain, sttRequest, loop, new RecognizerHost());
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
            stopInternal("stopped", null);
            done.complete(null);
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
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must not be null or blank");
        }
        CompletableFuture<String> reply = new CompletableFuture<>();
        loop.execute(() -> userText(text, reply));
        return reply;
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
        s.text.append(text);
        s.textDone = true;
        loop.execute(() -> {
            if (!running) {
                s.done = true;
                s.result.completeExceptionally(new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "session " + id + " stopped"));
                return;
            }
            touch();
            output.enqueue(s);
        });
        return s;
    }

    @Override
    public void interrupt() {
        loop.execute(() -> {
            if (running) {
                cutAgent("interrupted");
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

    // ---------------------------------------------------------------- lifecycle

    private void doStart(CompletableFuture<Void> done) {
        if (running || starting) {
            done.completeExceptionally(new SessionException(ErrorCode.SESSION_ALREADY_ACTIVE, "session " + id + " is already " + state));
            return;
        }
        starting = true;
        InboundAudio in;
        try {
            Vad vad = vadProvider == null ? null : vadProvider.create(inputFormat);
            in = new InboundAudio(inputFormat, vad, noiseCanceller, config, inboundEvents());
        } catch (RuntimeException e) {
            starting = false;
            SessionException se = SessionException.wrap(ErrorCode.INVALID_CONFIG, e);
            done.completeExceptionally(se);
            return;
        }
        recognizer.open(opened -> {
            if (!opened) {
                starting = false;
                done.completeExceptionally(recognizer.lastError());
                return;
            }
            try {
                transport.start(transportListener(in));
            } catch (RuntimeException e) {
                starting = false;
                recognizer.close();
                done.completeExceptionally(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
                return;
            }
            in.setTap(events.hasAudioListeners());
            inbound = in;
            in.setStream(recognizer.stream());
            starting = false;
            running = true;
            resetConversationState();
            startedNanos = clock.nanoTime();
            lastActivityNanos = startedNanos;
            awayAnchorNanos = startedNanos;
            sessionSpan = telemetry.sessionSpan(id, recognizer.provider(), ttsChain.name(0), clock.now());
            telemetry.sessionStarted();
            transition(SessionState.LISTENING, "started");
            armInactivity(config.timeout().toNanos());
            armAway(config.awayTimeout().toNanos());
            done.complete(null);
        });
    }

    private void resetConversationState() {
        turnId = 0;
        finals.setLength(0);
        interim = "";
        userSpeaking = false;
        lastSpeechEndNanos = -1;
        ignoreTranscripts = false;
        committing = false;
        unansweredFinalizes = 0;
        output.reset();
    }

    private void stopInternal(String reason, SessionException cause) {
        if (!running) {
            if (state == SessionState.INITIAL && !starting) {
                transition(SessionState.ENDED, reason);
            }
            return;
        }
        running = false;
        InboundAudio in = inbound;
        inbound = null;
        if (in != null) {
            in.setStream(null);
        }
        cancel(eotTimer);
        cancel(finalTimer);
        cancel(interruptCheckTimer);
        cancel(falseInterruptTimer);
        cancel(awayTimer);
        cancel(inactivityTimer);
        output.stopTimers();
        cancel(disconnectTimer);
        eotTimer = finalTimer = interruptCheckTimer = falseInterruptTimer = awayTimer = inactivityTimer = null;
        disconnectTimer = null;
        committing = false;
        if (cause != null) {
            reportError(cause);
        }
        cutAgent(reason);
        if (preemptive != null) {
            preemptive.cancel();
            preemptive = null;
        }
        recognizer.close();
        try {
            transport.close();
        } catch (RuntimeException e) {
            reportError(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
        }
        if (turnDetector != null) {
            turnDetector.reset();
        }
        endTurnSpan();
        transition(SessionState.ENDED, reason);
        telemetry.sessionStopped(Duration.ofNanos(clock.nanoTime() - startedNanos));
        sessionSpan.end(clock.now());
    }

    private static void cancel(Clock.Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    private void transition(SessionState to, String reason) {
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
        turnSpan.setAttribute(Telemetry.STATE, to.name());
        StateChange change = new StateChange(id, from, to, at, reason);
        log.debug("session {}: {} -> {} ({})", id, from, to, reason);
        events.emit(l -> l.onStateChanged(change));
        if (to == SessionState.LISTENING) {
            awayAnchorNanos = clock.nanoTime();
            armAway(config.awayTimeout().toNanos());
        }
    }

    /** Moves to the state the conversation is in: speaking, processing or listening. */
    private void settleState(String reason) {
        if (!running) {
            return;
        }
        SessionState target;
        Speech active = output.active();
        if (active != null && active.started) {
            target = SessionState.SPEAKING;
        } else if (committing || generation != null || (active != null && active.fromAgent)) {
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

    // ---------------------------------------------------------------- speech-to-text

    /** The session's side of the recognition stream. */
    private final class RecognizerHost implements RecognizerLink.Host {
        @Override
        public boolean wanted() {
            return running || starting;
        }

        @Override
        public void transcript(Transcript transcript) {
            onTranscriptEvent(transcript);
        }

        @Override
        public void adopted(SttStream stream, String provider) {
            sessionSpan.setAttribute(Telemetry.STT, provider);
            InboundAudio in = inbound;
            if (in != null) {
                in.setStream(stream);
            }
            // A new stream owes no answers to finalizes sent to the old one, and one sent to
            // the old one may be lost with it.
            unansweredFinalizes = 0;
            if (committing) {
                stream.finalizeUtterance();
                unansweredFinalizes = 1;
            }
        }

        @Override
        public void lost() {
            InboundAudio in = inbound;
            if (in != null) {
                in.setStream(null);
            }
        }

        @Override
        public void error(SessionException error) {
            reportError(error);
        }
    }

    // ---------------------------------------------------------------- inbound audio events

    private InboundAudio.Events inboundEvents() {
        return new InboundAudio.Events() {
            @Override
            public void speechStarted(long onsetNanos) {
                loop.execute(() -> onSpeechStart(onsetNanos));
            }

            @Override
            public void speechEnded(long offsetNanos) {
                loop.execute(() -> onSpeechEnd(offsetNanos));
            }

            @Override
            public void maxUtteranceReached() {
                loop.execute(() -> {
                    SttStream stream = recognizer.stream();
                    if (running && stream != null && !committing) {
                        stream.finalizeUtterance();
                    }
                });
            }

            @Override
            public void audioDropped(long samples, String why) {
                reportError(new SessionException(ErrorCode.STT_ERROR, "dropped " + inputFormat.nanosFor(samples) / 1_000_000
                        + " ms of user audio: " + why));
            }

            @Override
            public void error(SessionException error) {
                reportError(error);
            }

            @Override
            public void userAudio(AudioFrame frame) {
                events.userAudio(frame);
            }
        };
    }

    private TransportListener transportListener(InboundAudio in) {
        return new TransportListener() {
            @Override
            public void onAudio(AudioFrame frame) {
                if (running && inbound == in) {
                    in.process(frame);
                }
            }

            @Override
            public void onConnected() {
                loop.execute(() -> {
                    if (disconnectTimer != null) {
                        log.info("session {}: transport reconnected", id);
                        disconnectTimer.cancel();
                        disconnectTimer = null;
                    }
                });
            }

            @Override
            public void onDisconnected(String reason) {
                loop.execute(() -> onTransportDisconnected(reason));
            }

            @Override
            public void onError(SessionException error) {
                reportError(error);
            }
        };
    }

    /** Networks blip: the session waits {@code disconnectGrace} for the transport to come back. */
    private void onTransportDisconnected(String reason) {
        if (!running || disconnectTimer != null) {
            return;
        }
        Duration grace = config.disconnectGrace();
        Runnable end = () -> {
            disconnectTimer = null;
            if (running) {
                stopInternal("transport_closed", new SessionException(ErrorCode.TRANSPORT_CLOSED,
                        "transport disconnected (" + reason + ") and did not reconnect within " + grace));
            }
        };
        if (grace.isZero()) {
            end.run();
            return;
        }
        log.warn("session {}: transport disconnected ({}); waiting {} for it to reconnect", id, reason, grace);
        disconnectTimer = clock.schedule(() -> loop.execute(end), grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onSpeechStart(long onsetNanos) {
        if (!running) {
            return;
        }
        touch();
        userSpeaking = true;
        speechOnsetNanos = onsetNanos;
        ignoreTranscripts = false;
        if (state == SessionState.AWAY) {
            transition(SessionState.LISTENING, "user_returned");
        }
        if (eotTimer != null) {
            eotTimer.cancel();
            eotTimer = null;
            if (turnDetector != null && lastSpeechEndNanos >= 0) {
                turnDetector.observePause(Duration.ofNanos(Math.max(0, onsetNanos - lastSpeechEndNanos)), false);
            }
        }
        if (preemptive != null) {
            preemptive.cancel();
            preemptive = null;
        }
        if (turnId == 0) {
            openTurn();
        }
        if (recognizer.stream() == null) {
            recognizer.reopen();
        }
        UserSpeech ev = new UserSpeech(true, instantAt(onsetNanos));
        events.emit(l -> l.onUserSpeech(ev));
        if (interruptible()) {
            long due = onsetNanos + config.interruptionMinDuration().toNanos() - clock.nanoTime();
            cancel(interruptCheckTimer);
            interruptCheckTimer = clock.schedule(() -> loop.execute(() -> {
                interruptCheckTimer = null;
                evaluateInterruption();
            }), Math.max(0, due), TimeUnit.NANOSECONDS);
        }
    }

    private void onSpeechEnd(long offsetNanos) {
        if (!running || !userSpeaking) {
            return;
        }
        touch();
        userSpeaking = false;
        lastSpeechEndNanos = offsetNanos;
        awayAnchorNanos = clock.nanoTime();
        UserSpeech ev = new UserSpeech(false, instantAt(offsetNanos));
        events.emit(l -> l.onUserSpeech(ev));
        if (interruptCheckTimer != null && offsetNanos - speechOnsetNanos < config.interruptionMinDuration().toNanos()) {
            interruptCheckTimer.cancel();
            interruptCheckTimer = null;
        }
        if (output.paused()) {
            // Possible barge-in: the false-interruption timer decides.
            return;
        }
        if (interruptCheckTimer == null && interruptible()) {
            // The agent kept the floor: this speech was a backchannel or noise, not a turn.
            discardOpenTurn();
            return;
        }
        if (interruptCheckTimer != null) {
            // Long enough but still waiting for words; the transcript decides.
            return;
        }
        if (turnId != 0) {
            scheduleEndOfTurn();
            maybeStartPreemptive();
        }
    }

    private boolean interruptible() {
        if (!config.interruptions()) {
            return false;
        }
        Speech active = output.active();
        if (active != null && active.started && !active.options.allowInterruptions()) {
            return false;
        }
        return state == SessionState.SPEAKING || state == SessionState.PROCESSING;
    }

    private void openTurn() {
        turnId = ++turnSeq;
        finals.setLength(0);
        interim = "";
    }

    private void discardOpenTurn() {
        turnId = 0;
        finals.setLength(0);
        interim = "";
        ignoreTranscripts = true;
        closeGate();
    }

    /** Stops streaming to the recognizer until the next speech onset. */
    private void closeGate() {
        InboundAudio in = inbound;
        if (in != null) {
            in.closeGate();
        }
    }

    private String openTurnText() {
        if (interim.isEmpty()) {
            return finals.toString().trim();
        }
        return (finals.length() == 0 ? interim : finals + " " + interim).trim();
    }

    private void onTranscriptEvent(Transcript t) {
        touch();
        awayAnchorNanos = clock.nanoTime();
        long forTurn = committing ? committedTurnId : turnId;
        UserTranscript ev = new UserTranscript(forTurn, t, clock.now());
        events.emit(l -> l.onUserTranscript(ev));
        if (committing) {
            if (t.isFinal()) {
                append(committedText, t.text());
            } else {
                committedInterim = t.text();
            }
            if (t.speechFinal()) {
                unansweredFinalizes = Math.max(0, unansweredFinalizes - 1);
                finalArrived();
            }
            return;
        }
        if (unansweredFinalizes > 0) {
            // Results for a turn already answered from its interim after sttFinalTimeout: the
            // recognizer is catching up, and this is not new speech.
            if (t.speechFinal()) {
                unansweredFinalizes--;
            }
            return;
        }
        boolean hasText = !t.text().isBlank();
        if (inbound != null && vadProvider == null) {
            // No VAD: the recognizer's results are the only sign of speech.
            if (!userSpeaking && hasText) {
                onSpeechStart(clock.nanoTime());
            }
        }
        if (ignoreTranscripts) {
            return;
        }
        if (turnId == 0) {
            if (!hasText) {
                return;
            }
            openTurn();
        }
        if (t.isFinal()) {
            append(finals, t.text());
            interim = "";
        } else {
            interim = t.text();
        }
        if (vadProvider == null && t.speechFinal() && userSpeaking) {
            onSpeechEnd(clock.nanoTime());
            return;
        }
        if (output.paused() || interruptCheckTimer == null && (state == SessionState.SPEAKING || state == SessionState.PROCESSING)) {
            evaluateInterruption();
        }
        if (!userSpeaking && eotTimer != null) {
            scheduleEndOfTurn();
        }
    }

    private static void append(StringBuilder sb, String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(' ');
        }
        sb.append(t);
    }

    // ---------------------------------------------------------------- end of turn

    private void scheduleEndOfTurn() {
        long now = clock.nanoTime();
        Duration min = config.endpointingMinDelay();
        Duration max = config.endpointingMaxDelay();
        Duration delay = min;
        if (turnDetector != null) {
            try {
                TurnPrediction p = turnDetector.predict(new TurnContext(Duration.ofNanos(Math.max(0, now - lastSpeechEndNanos)),
                        openTurnText(), recentHistory(), min, max));
                delay = p.delay();
            } catch (RuntimeException e) {
                reportError(new SessionException(ErrorCode.INTERNAL_ERROR, "turn detector failed; using the minimum delay", e));
            }
        }
        if (delay.compareTo(min) < 0) {
            delay = min;
        } else if (delay.compareTo(max) > 0) {
            delay = max;
        }
        long wait = Math.max(0, lastSpeechEndNanos + delay.toNanos() - now);
        cancel(eotTimer);
        eotTimer = clock.schedule(() -> loop.execute(this::endOfTurn), wait, TimeUnit.NANOSECONDS);
    }

    private List<ConversationTurn> recentHistory() {
        int n = history.size();
        return history.subList(Math.max(0, n - HISTORY_FOR_TURN_DETECTION), n);
    }

    private void endOfTurn() {
        eotTimer = null;
        if (!running || userSpeaking || turnId == 0) {
            return;
        }
        long now = clock.nanoTime();
        if (turnDetector != null) {
            turnDetector.observePause(Duration.ofNanos(now - lastSpeechEndNanos), true);
        }
        if (committing) {
            // Still waiting for the previous turn's transcript: fold this speech into it.
            return;
        }
        committing = true;
        commitAbandoned = false;
        committedTurnId = turnId;
        committedText.setLength(0);
        committedText.append(finals);
        committedInterim = interim;
        turnId = 0;
        finals.setLength(0);
        interim = "";
        timing = new TurnTiming(committedTurnId, lastSpeechEndNanos, now);
        endTurnSpan();
        turnSpan = telemetry.turnSpan(sessionSpan, id, committedTurnId, clock.now());
        closeGate();
        if (state != SessionState.SPEAKING) {
            transition(SessionState.PROCESSING, "end_of_turn");
        }
        SttStream stream = recognizer.stream();
        if (stream != null) {
            stream.finalizeUtterance();
            unansweredFinalizes++;
        }
        finalTimer = clock.schedule(() -> loop.execute(() -> {
            if (finalTimer != null && committing) {
                reportError(new SessionException(ErrorCode.TIMEOUT, "no final transcript within " + config.sttFinalTimeout()
                        + " of finalizing turn " + committedTurnId + "; using the latest interim result"));
                finalArrived();
            }
        }), config.sttFinalTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void finalArrived() {
        committing = false;
        cancel(finalTimer);
        finalTimer = null;
        String text = committedText.toString().trim();
        if (text.isEmpty()) {
            text = committedInterim.trim();
        }
        if (timing != null) {
            timing.finalNanos = clock.nanoTime();
        }
        if (commitAbandoned) {
            // The user barged in before this turn was answered: it continues in the open turn.
            commitAbandoned = false;
            if (!text.isEmpty()) {
                String rest = finals.toString();
                finals.setLength(0);
                finals.append(text);
                append(finals, rest);
            }
            settleState("barge_in");
            return;
        }
        recognizer.preferBetter();
        if (text.isEmpty()) {
            endTurnSpan();
            timing = null;
            if (preemptive != null) {
                preemptive.cancel();
                preemptive = null;
            }
            settleState("empty_turn");
            return;
        }
        long tid = committedTurnId;
        history.add(new ConversationTurn(ConversationTurn.Role.USER, text, false));
        String userText = text;
        events.emit(l -> l.onUserTurn(tid, userText));
        Generation g = takePreemptive(text, tid);
        if (g == null) {
            startGeneration(tid, text, true);
        }
        settleState("end_of_turn");
    }

    // ---------------------------------------------------------------- agent

    private void maybeStartPreemptive() {
        if (!config.preemptiveGeneration() || committing || generation != null) {
            return;
        }
        String text = openTurnText();
        if (text.isEmpty()) {
            return;
        }
        if (preemptive != null) {
            if (preemptive.input.equals(text)) {
                return;
            }
            preemptive.cancel();
        }
        preemptive = newGeneration(turnId, text, true);
        runAgent(preemptive);
    }

    private Generation takePreemptive(String finalText, long tid) {
        Generation g = preemptive;
        if (g == null) {
            return null;
        }
        preemptive = null;
        boolean keep = switch (config.preemptiveStrategy()) {
            case DISCARD -> false;
            case ALWAYS_USE -> true;
            case USE_IF_SIMILAR -> TextSimilarity.wordOverlap(g.input, finalText) >= config.similarityThreshold();
        };
        if (!keep || g.cancelled()) {
            g.cancel();
            return null;
        }
        g.confirm(tid);
        if (timing != null) {
            timing.preemptiveUsed = true;
            timing.agentStartNanos = g.startNanos;
        }
        adoptGeneration(g, true);
        if (g.text.length() > 0) {
            String sofar = g.text.toString();
            AgentText ev = new AgentText(tid, g.speech == null ? 0 : g.speech.id, sofar, clock.now());
            events.emit(l -> l.onAgentText(ev));
            if (g.speech != null) {
                output.append(g.speech, sofar);
            }
        }
        if (g.complete) {
            finishGeneration(g);
        }
        return g;
    }

    private Generation newGeneration(long tid, String input, boolean isPreemptive) {
        return new Generation(id, tid, input, isPreemptive, history, clock.nanoTime(), loop, clock, this);
    }

    private void startGeneration(long tid, String input, boolean speak) {
        Generation g = newGeneration(tid, input, false);
        if (timing != null && timing.turnId == tid) {
            timing.agentStartNanos = g.startNanos;
        }
        adoptGeneration(g, speak);
        runAgent(g);
    }

    private void adoptGeneration(Generation g, boolean speak) {
        if (generation != null) {
            generation.cancel();
        }
        generation = g;
        g.speak = speak;
        if (speak) {
            Speech s = output.newSpeech(g.turnId(), SayOptions.DEFAULT, true);
            g.speech = s;
            output.enqueue(s);
        }
    }

    private void runAgent(Generation g) {
        clock.executeBlocking(() -> {
            if (g.cancelled()) {
                return;
            }
            try {
                agent.respond(g, g.input, g);
            } catch (Exception | Error e) {
                g.fail(e);
            }
        });
    }

    @Override
    public void agentText(Generation g, String chunk) {
        if (g.cancelled() || !running) {
            return;
        }
        if (g.firstTextNanos < 0) {
            g.firstTextNanos = clock.nanoTime();
        }
        g.text.append(chunk);
        if (g != generation) {
            return;
        }
        touch();
        if (timing != null && timing.turnId == g.turnId() && timing.firstTextNanos < 0) {
            timing.firstTextNanos = g.firstTextNanos;
        }
        AgentText ev = new AgentText(g.turnId(), g.speech == null ? 0 : g.speech.id, chunk, clock.now());
        events.emit(l -> l.onAgentText(ev));
        if (g.speech != null) {
            output.append(g.speech, chunk);
        }
    }

    @Override
    public void agentComplete(Generation g) {
        if (g.cancelled() || !running) {
            return;
        }
        g.complete = true;
        if (g == generation) {
            finishGeneration(g);
        }
    }

    @Override
    public void agentFailed(Generation g, Throwable error) {
        if (g.cancelled() || !running) {
            return;
        }
        SessionException se = SessionException.wrap(ErrorCode.AGENT_ERROR, error);
        if (g == preemptive) {
            preemptive = null;
            return;
        }
        reportError(se);
        if (g != generation) {
            return;
        }
        generation = null;
        g.reply.completeExceptionally(se);
        if (g.speech != null) {
            // Speak what was generated before the failure, if anything.
            output.endText(g.speech);
        }
        settleState("agent_failed");
    }

    private void finishGeneration(Generation g) {
        generation = null;
        String reply = g.text.toString();
        g.reply.complete(reply);
        if (g.speech != null) {
            output.endText(g.speech);
        } else if (!reply.isBlank()) {
            history.add(new ConversationTurn(ConversationTurn.Role.AGENT, reply.trim(), false));
        }
        if (timing != null && timing.turnId == g.turnId() && g.speech == null) {
            emitTurnMetrics();
        }
        settleState("reply_complete");
    }

    private void userText(String text, CompletableFuture<String> reply) {
        if (!running) {
            reply.completeExceptionally(new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "session " + id + " is " + state));
            return;
        }
        touch();
        cutAgent("user_text");
        long tid = ++turnSeq;
        history.add(new ConversationTurn(ConversationTurn.Role.USER, text, false));
        events.emit(l -> l.onUserTurn(tid, text));
        timing = new TurnTiming(tid, -1, clock.nanoTime());
        startGeneration(tid, text, config.speakTextReplies());
        generation.reply.whenComplete((r, e) -> {
            if (e != null) {
                reply.completeExceptionally(e);
            } else {
                reply.complete(r);
            }
        });
        settleState("user_text");
    }

    // ---------------------------------------------------------------- agent speech

    /** The session's side of speech milestones: states, history, the agent, metrics. */
    private final class OutputHost implements SpeechOutput.Host {
        @Override
        public boolean running() {
            return running;
        }

        @Override
        public void started(Speech s) {
            touch();
            if (state == SessionState.AWAY) {
                transition(SessionState.LISTENING, "agent_speaking");
            }
            transition(SessionState.SPEAKING, "agent_speaking");
            PlaybackEvent ev = output.event(PlaybackEvent.Kind.STARTED, s);
            events.emit(l -> l.onPlayback(ev));
            if (s.fromAgent && timing != null && timing.turnId == s.turnId) {
                timing.firstAudioSentNanos = clock.nanoTime();
                timing.ttsFirstTextNanos = s.firstTextNanos;
                timing.ttsFirstAudioNanos = s.firstAudioNanos;
                emitTurnMetrics();
            }
        }

        @Override
        public void ended(Speech s, boolean interrupted, String heard) {
            if (s.options.addToHistory() && !heard.isBlank()) {
                history.add(new ConversationTurn(ConversationTurn.Role.AGENT, heard.trim(), interrupted));
            }
            dropGenerationOf(s);
            if (s.fromAgent && timing != null && timing.turnId == s.turnId) {
                if (!timing.metricsEmitted) {
                    emitTurnMetrics();
                }
                turnSpan.setAttribute(Telemetry.INTERRUPTED, interrupted);
                endTurnSpan();
            }
            touch();
        }

        @Override
        public void failed(Speech s) {
            dropGenerationOf(s);
        }

        @Override
        public void settle(String reason) {
            settleState(reason);
        }

        @Override
        public void error(SessionException error) {
            reportError(error);
        }
    }

    /** A reply that can no longer be spoken needs no more text. */
    private void dropGenerationOf(Speech s) {
        if (generation != null && generation.speech == s) {
            generation.cancel();
            generation = null;
        }
    }

    /** Stops all agent output and generation: current and queued speech, pending replies. */
    private void cutAgent(String reason) {
        cancel(falseInterruptTimer);
        falseInterruptTimer = null;
        cancel(interruptCheckTimer);
        interruptCheckTimer = null;
        if (generation != null) {
            Generation g = generation;
            generation = null;
            g.cancel();
        }
        output.cutAll();
        log.debug("session {}: agent cut ({})", id, reason);
    }

    // ---------------------------------------------------------------- barge-in

    private void evaluateInterruption() {
        if (!running || !interruptible()) {
            return;
        }
        long end = userSpeaking ? clock.nanoTime() : lastSpeechEndNanos;
        long spoke = end - speechOnsetNanos;
        boolean paused = output.paused();
        if (spoke < config.interruptionMinDuration().toNanos() && !paused) {
            return;
        }
        int words = TextSimilarity.words(openTurnText()).length;
        if (words < config.interruptionMinWords()) {
            return;
        }
        boolean canPause = state == SessionState.SPEAKING && transport.canPause()
                && !config.falseInterruptionTimeout().isZero();
        if (words == 0 && canPause) {
            if (!paused) {
                pausePlayback();
            }
            return;
        }
        if (paused && words == 0) {
            return;
        }
        bargeIn();
    }

    private void pausePlayback() {
        if (!output.pause()) {
            bargeIn();
            return;
        }
        cancel(falseInterruptTimer);
        falseInterruptTimer = clock.schedule(() -> loop.execute(this::falseInterruptionExpired),
                config.falseInterruptionTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void falseInterruptionExpired() {
        falseInterruptTimer = null;
        if (!output.paused() || !running) {
            return;
        }
        output.resume();
        if (!userSpeaking) {
            discardOpenTurn();
        }
    }

    private void bargeIn() {
        boolean wasProcessing = state == SessionState.PROCESSING;
        if (wasProcessing && committing) {
            commitAbandoned = true;
        } else if (wasProcessing && generation != null) {
            // The answered turn was not heard yet: it continues in the open turn.
            carryBackUserTurn();
        }
        if (preemptive != null) {
            preemptive.cancel();
            preemptive = null;
        }
        cutAgent("barge_in");
        endTurnSpan();
        settleState("barge_in");
        if (!userSpeaking && turnId != 0) {
            scheduleEndOfTurn();
        }
    }

    private void carryBackUserTurn() {
        int last = history.size() - 1;
        if (last >= 0 && history.get(last).role() == ConversationTurn.Role.USER) {
            String earlier = history.remove(last).text();
            String rest = finals.toString();
            finals.setLength(0);
            finals.append(earlier);
            append(finals, rest);
        }
    }

    // ---------------------------------------------------------------- timers, metrics, errors

    private void touch() {
        lastActivityNanos = clock.nanoTime();
    }

    private void armInactivity(long delayNanos) {
        inactivityTimer = clock.schedule(() -> loop.execute(() -> {
            inactivityTimer = null;
            if (!running) {
                return;
            }
            long idle = clock.nanoTime() - lastActivityNanos;
            long timeout = config.timeout().toNanos();
            if (idle >= timeout && !userSpeaking && output.active() == null) {
                stopInternal("timeout", new SessionException(ErrorCode.SESSION_EXPIRED,
                        "no activity for " + config.timeout() + "; session ended"));
            } else {
                armInactivity(Math.max(timeout - idle, 1_000_000L));
            }
        }), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void armAway(long delayNanos) {
        if (awayTimer != null || !running) {
            return;
        }
        awayTimer = clock.schedule(() -> loop.execute(() -> {
            awayTimer = null;
            if (!running || state != SessionState.LISTENING) {
                return;
            }
            long silent = clock.nanoTime() - awayAnchorNanos;
            long limit = config.awayTimeout().toNanos();
            boolean idle = !userSpeaking && output.active() == null && generation == null && !committing && turnId == 0;
            if (idle && silent >= limit) {
                transition(SessionState.AWAY, "away_timeout");
            } else if (idle) {
                armAway(limit - silent);
            }
        }), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void emitTurnMetrics() {
        TurnTiming t = timing;
        if (t == null || t.metricsEmitted) {
            return;
        }
        t.metricsEmitted = true;
        TurnMetrics m = t.toMetrics();
        telemetry.turn(m);
        events.emit(l -> l.onTurnMetrics(m));
    }

    private void endTurnSpan() {
        turnSpan.end(clock.now());
        turnSpan = Span.getInvalid();
    }

    private void reportError(SessionException e) {
        telemetry.error(e);
        Telemetry.recordError(sessionSpan, e);
        log.warn("session {}: {}", id, e.getMessage());
        events.emit(l -> l.onError(e));
    }

    private Instant instantAt(long nanos) {
        return clock.now().minusNanos(clock.nanoTime() - nanos);
    }

    /** Clock readings of one turn's milestones; -1 where it did not happen. */
    private static final class TurnTiming {
        final long turnId;
        final long speechEndNanos;
        final long eotNanos;
        long finalNanos = -1;
        long agentStartNanos = -1;
        long firstTextNanos = -1;
        long ttsFirstTextNanos = -1;
        long ttsFirstAudioNanos = -1;
        long firstAudioSentNanos = -1;
        boolean preemptiveUsed;
        boolean metricsEmitted;

        TurnTiming(long turnId, long speechEndNanos, long eotNanos) {
            this.turnId = turnId;
            this.speechEndNanos = speechEndNanos;
            this.eotNanos = eotNanos;
        }

        TurnMetrics toMetrics() {
            return new TurnMetrics(turnId,
                    between(speechEndNanos, eotNanos),
                    between(eotNanos, finalNanos),
                    between(agentStartNanos, firstTextNanos),
                    between(ttsFirstTextNanos, ttsFirstAudioNanos),
                    between(speechEndNanos, firstAudioSentNanos),
                    preemptiveUsed);
        }

        private static Duration between(long a, long b) {
            return a < 0 || b < 0 ? null : Duration.ofNanos(Math.max(0, b - a));
        }
    }
}
