package io.parley.testing;

import io.parley.session.AgentText;
import io.parley.session.ErrorCode;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import io.parley.session.TurnMetrics;
import io.parley.session.UserSpeech;
import io.parley.session.UserTranscript;
import io.parley.session.SessionState;
import io.parley.session.SpeechHandle;
import io.parley.session.TurnCommit;
import io.parley.spi.ConversationTurn;
import io.parley.testing.Violation.Invariant;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything one chaos session's fakes and listener observe, and the invariants checked on
 * it. Fakes report opens, blocking calls and resources here; the session's events arrive
 * through the {@link SessionListener} methods.
 */
final class SessionProbe implements SessionListener {

    /** A committed user turn and how it was resolved. */
    private static final class Turn {
        final long id;
        final String text;
        final Set<Long> answeredBy = new HashSet<>();
        int agentCalls;
        String excuse;

        Turn(long id, String text) {
            this.id = id;
            this.text = text;
        }

        boolean outstanding() {
            return answeredBy.isEmpty() && excuse == null;
        }
    }

    private record Resource(String what, int n) {
    }

    /** Wall time after a start() returned in which a callback after ENDED is taken for its restart. */
    private static final long RESTART_GRACE_WALL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * How many of the latest trace entries a violation shows: callbacks, API calls, agent
     * calls and injected faults, enough to follow a turn from its words to its loss.
     */
    private static final int RECENT = 160;
    private static final long INTERRUPT_WINDOW_WALL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The reason of the state change {@code interrupt()} makes when it cuts a reply (and only it). */
    private static final String API_INTERRUPT = "interrupted";

    final int index;
    final String sessionId;
    private final ScaledClock clock;
    final TrackingClock sessionClock;
    private final List<Violation> violations = new ArrayList<>();
    private final Set<String> reported = new HashSet<>();
    private final Set<Resource> resources = ConcurrentHashMap.newKeySet();
    private final AtomicInteger resourceSeq = new AtomicInteger();
    private final AtomicInteger wordCount = new AtomicInteger();
    /** The word invariants: the recognizer's streams record in it what they heard. */
    final WordLedger words;
    private final AtomicInteger startsInFlight = new AtomicInteger();
    /**
     * start() calls that may bring one state change out of ENDED each: every call but one refused
     * as already active. Not only calls made while the session read ENDED: one made while it was
     * ending on its own (an error, the inactivity timeout) runs on its loop after the end and
     * restarts it.
     */
    private final AtomicInteger restartPermits = new AtomicInteger();
    /** State changes out of ENDED delivered so far (under this probe's lock). */
    private int restartsSeen;
    private final Map<Long, Turn> turns = new LinkedHashMap<>();
    private final Map<Long, Long> earlyAgentCalls = new LinkedHashMap<>();
    /** The history the latest agent calls (not preemptive) saw, by the turn they answered. */
    private final Map<Long, List<ConversationTurn>> answeredHistories = new LinkedHashMap<>();
    /** The history each turn's latest preemptive agent call saw. */
    private final Map<Long, List<ConversationTurn>> preemptiveHistory = new java.util.HashMap<>();
    private final Set<Long> startedSpeeches = new HashSet<>();
    private final Map<String, String> settledTexts = new java.util.HashMap<>();
    private volatile long lastStartDoneWall = Long.MIN_VALUE / 2;
    private final long restartGraceWallNanos;
    private volatile boolean finalStopped;
    private long interruptRequestedWall = Long.MIN_VALUE / 2;
    private java.util.function.Consumer<SpeechHandle> replyObserver;
    /** The latest callbacks (their event objects, formatted only for a violation) and their clock readings. */
    private final Object[] recent = new Object[RECENT];
    private final long[] recentNanos = new long[RECENT];
    private final List<String> notes = new ArrayList<>();
    private boolean ended;
    /** Whether the session's latest word on the user's speech was "started" (while it runs). */
    private boolean userSpeaking;
    private int callbacks;
    private int traced;

    SessionProbe(int index, String sessionId, ScaledClock clock) {
        this(index, sessionId, clock, RESTART_GRACE_WALL_NANOS);
    }

    /** @param restartGraceWallNanos see {@link #RESTART_GRACE_WALL_NANOS}; tests shorten it */
    SessionProbe(int index, String sessionId, ScaledClock clock, long restartGraceWallNanos) {
        this.restartGraceWallNanos = restartGraceWallNanos;
        this.index = index;
        this.sessionId = sessionId;
        this.clock = clock;
        this.words = new WordLedger(clock, new WordLedger.Findings() {
            @Override
            public void violation(Invariant invariant, String detail) {
                SessionProbe.this.violation(invariant, detail);
            }

            @Override
            public String context() {
                return recentEvents() + " " + notes();
            }
        });
        this.sessionClock = new TrackingClock(clock, (where, t) ->
                violation(Invariant.EXCEPTION_ONLY_LOGGED, "exception escaped a " + where + " into the clock's pool: " + t + frames(t)));
    }

    private static String frames(Throwable t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            sb.append(" | at ").append(st[i]);
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ for the fakes

    ScaledClock providerClock() {
        return clock;
    }

    void sleep(long sessionNanos) {
        try {
            clock.sleep(java.time.Duration.ofNanos(sessionNanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void blockingCall(String what) {
        if (ScaledClock.onLoopThread()) {
            violationOnce(Invariant.BLOCKING_ON_LOOP, what + " ran on event-loop thread " + Thread.currentThread().getName());
        }
    }

    void opened(String what) {
        if (finalStopped) {
            violationOnce(Invariant.OPENED_AFTER_STOP, what + " called after stop() returned");
        }
    }

    Object acquire(String what) {
        Resource r = new Resource(what, resourceSeq.incrementAndGet());
        resources.add(r);
        return r;
    }

    void release(Object resource) {
        resources.remove(resource);
    }

    /** Calls into the session from a fake's thread; the session must not throw back. */
    void callEngine(String what, Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            violationOnce(Invariant.EXCEPTION_ONLY_LOGGED, what + " threw into the provider's thread: " + t + frames(t));
        }
    }

    String nextWord() {
        return WordLedger.WORD + wordCount.incrementAndGet();
    }

    /**
     * The agent was asked to answer {@code turnId}; earlier outstanding turns it sees in its
     * history are answered together with it (the agent replies to the conversation, not only
     * to the last words).
     */
    synchronized void agentCalled(long turnId, boolean preemptive, List<ConversationTurn> history) {
        trace(new AgentCall(turnId, preemptive, history.isEmpty() ? null : history.get(history.size() - 1)));
        if (preemptive) {
            // Adopted when the turn commits, it answers the conversation it saw then.
            preemptiveHistory.put(turnId, List.copyOf(history));
            return;
        }
        excuseAnsweredTogether(turnId, history);
        // Turns committed before this call but reported to the listener after it are checked then.
        answeredHistories.put(turnId, List.copyOf(history));
        if (answeredHistories.size() > 8) {
            answeredHistories.remove(answeredHistories.keySet().iterator().next());
        }
        Turn t = turns.get(turnId);
        if (t != null) {
            t.agentCalls++;
        } else {
            earlyAgentCalls.merge(turnId, 1L, Long::sum);
        }
    }

    /** Earlier outstanding turns in the history the agent answers {@code turnId} with are answered with it. */
    private void excuseAnsweredTogether(long turnId, List<ConversationTurn> history) {
        for (Turn t : turns.values()) {
            if (t.id < turnId && t.outstanding()) {
                for (ConversationTurn h : history) {
                    if (h.role() == ConversationTurn.Role.USER && h.text().contains(t.text)) {
                        t.excuse = "answered together with turn " + turnId;
                        break;
                    }
                }
            }
        }
    }

    /** An agent call in the trace: its turn and the newest history entry it saw. */
    private record AgentCall(long turnId, boolean preemptive, ConversationTurn last) {
        @Override
        public String toString() {
            return "agent(turn " + turnId + (preemptive ? ", preemptive" : "") + ", last "
                    + (last == null ? "none" : last.role() + " \"" + abbreviate(last.text()) + "\"") + ")";
        }
    }

    /**
     * The feeder delivered this session's audio {@code gapNanos} (session time) after the
     * previous delivery, up to the audio captured at {@code upToNanos}.
     */
    synchronized void lateAudio(long gapNanos, long upToNanos) {
        trace(new Burst(gapNanos, upToNanos));
        words.lateAudio(gapNanos, upToNanos);
    }

    /** The VAD's decision changed on the frame captured at {@code audioNanos}. */
    synchronized void vad(boolean speech, long audioNanos) {
        trace(new VadChange(speech, audioNanos));
    }

    /** Trace entries made on the audio path, formatted only if a violation shows them. */
    private record Burst(long gapNanos, long upToNanos) {
        @Override
        public String toString() {
            return String.format("audio burst after %d ms, up to %.2fs", gapNanos / 1_000_000, upToNanos / 1e9 % 10_000);
        }
    }

    private record VadChange(boolean speech, long audioNanos) {
        @Override
        public String toString() {
            return String.format("vad %s at %.2fs", speech ? "on" : "off", audioNanos / 1e9 % 10_000);
        }
    }

    /** A public API call the driver is about to make, in the trace. */
    synchronized void apiCall(String name) {
        trace(name);
    }

    // ------------------------------------------------------------------ for the driver

    void startBegins() {
        startsInFlight.incrementAndGet();
        restartPermits.incrementAndGet();
    }

    /** A start() completed with {@code failure} (null: it started); one refused as already active restarts nothing. */
    void startFailed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SessionException e && e.code() == ErrorCode.SESSION_ALREADY_ACTIVE) {
            restartPermits.decrementAndGet();
        }
    }

    /** Whether a {@code start()} or {@code startAsync()} call has not completed yet. */
    boolean startInFlight() {
        return startsInFlight.get() > 0;
    }

    void startEnds() {
        lastStartDoneWall = System.nanoTime();
        startsInFlight.decrementAndGet();
    }

    /** An API call that cuts or ends what is outstanding: interrupt(), stop() or sendText(). */
    synchronized void excuseOutstanding(String why) {
        for (Turn t : turns.values()) {
            if (t.outstanding()) {
                t.excuse = why;
            }
        }
    }

    /**
     * {@code interrupt()} is about to be called. It takes effect later, on the session's loop,
     * and may cut the reply of a turn committed in between: a reply cut within
     * {@link #INTERRUPT_WINDOW_WALL_NANOS} (wall time) is taken as cut by the API.
     */
    synchronized void interruptRequested() {
        excuseOutstanding("interrupt()");
        interruptRequestedWall = System.nanoTime();
    }

    /** A sendText future completed; its turn may be reported before or after this. */
    synchronized void sendTextSettled(String text, String outcome) {
        settledTexts.put(text, outcome);
        for (Turn t : turns.values()) {
            if (t.text.equals(text) && t.excuse == null) {
                t.excuse = outcome;
            }
        }
    }

    /** Also hands every reply handle to {@code observer} (to check that its futures complete). */
    synchronized void observeReplies(java.util.function.Consumer<SpeechHandle> observer) {
        this.replyObserver = observer;
    }

    void finalStopReturned() {
        finalStopped = true;
    }

    /** The latest callbacks, oldest first (repeats folded), for violation details. */
    synchronized String recentEvents() {
        StringBuilder sb = new StringBuilder();
        String previous = null;
        int repeats = 0;
        for (int i = Math.max(0, traced - RECENT); i <= traced; i++) {
            String e = i < traced ? String.format("%.2fs %s", recentNanos[i % RECENT] / 1e9 % 10_000, describe(recent[i % RECENT])) : null;
            if (e != null && previous != null && e.substring(e.indexOf(' ')).equals(previous.substring(previous.indexOf(' ')))) {
                repeats++;
                continue;
            }
            if (previous != null) {
                sb.append(sb.length() == 0 ? "" : "; ").append(previous).append(repeats > 0 ? " (x" + (repeats + 1) + ")" : "");
            }
            previous = e;
            repeats = 0;
        }
        return "[recent events: " + sb + "]";
    }

    private static String describe(Object event) {
        if (event instanceof StateChange c) {
            return "onStateChanged(" + c.from() + " -> " + c.to() + ", " + c.reason() + ")";
        } else if (event instanceof UserSpeech u) {
            return "onUserSpeech(" + (u.speaking() ? "started" : "ended") + ")";
        } else if (event instanceof UserTranscript u) {
            return "onUserTranscript(turn " + u.turnId() + (u.transcript().speechFinal() ? ", speech-final" : u.transcript().isFinal() ? ", final" : ", interim")
                    + " \"" + abbreviate(u.transcript().text()) + "\")";
        } else if (event instanceof TurnCommit c) {
            return "onTurnCommitted(turn " + c.turnId() + (c.typed() ? ", typed" : "") + " \"" + abbreviate(c.text()) + "\")";
        } else if (event instanceof PlaybackEvent p) {
            return "onPlayback(" + p.kind() + ", speech " + p.speechId() + ", turn " + p.turnId() + ")";
        } else if (event instanceof SpeechHandle h) {
            return "onReply(id " + h.id() + ", turn " + h.turnId() + ")";
        } else if (event instanceof AgentText a) {
            return "onAgentText(turn " + a.turnId() + ")";
        } else if (event instanceof SessionException e) {
            return "onError(" + e.code() + ": " + abbreviate(e.getMessage()) + ")";
        } else if (event instanceof TurnMetrics) {
            return "onTurnMetrics";
        }
        return String.valueOf(event);
    }

    /** Remembers an injected fault, for violation details. */
    void note(String fault) {
        synchronized (this) {
            trace("fault: " + fault);
        }
        synchronized (notes) {
            if (notes.size() < 20) {
                notes.add(String.format("%.2fs %s", clock.nanoTime() / 1e9 % 10_000, fault));
            }
        }
    }

    /** Injected faults so far. */
    String notes() {
        synchronized (notes) {
            return "[faults: " + String.join("; ", notes) + "]";
        }
    }

    synchronized int callbacks() {
        return callbacks;
    }

    /** Whether the session says the user is speaking: after the input stopped, nobody is. */
    synchronized boolean userSpeaking() {
        return userSpeaking;
    }

    /**
     * How many turns have been committed, if none is outstanding; -1 if one is. The session looks
     * calm only while none is, and {@link #checkTurns(String, int)} judges only the turns this
     * counted: one committed after it is one the session is still answering.
     */
    synchronized int answeredMark() {
        for (Turn t : turns.values()) {
            if (t.outstanding()) {
                return -1;
            }
        }
        return turns.size();
    }

    /**
     * Checks the words of every committed turn ({@link WordLedger#check}). Under this probe's
     * lock, as every call into the ledger that may report: the ledger reads this probe's recent
     * events for a violation's detail, so the locks are always taken in this order.
     */
    synchronized void checkWords(String input) {
        words.check(input);
    }

    /** Checks every committed turn: answered exactly once, or excused. */
    synchronized void checkTurns(String input) {
        checkTurns(input, Integer.MAX_VALUE);
    }

    /**
     * Checks the committed turns: none answered twice, and the first {@code judged} (in the order
     * committed) answered or excused. The driver judges a calm session on the turns it counted
     * when it found none outstanding ({@link #answeredMark()}); a turn committed after that, while
     * the driver made up its mind, is being answered when the final stop() cuts it. Reading the
     * turns afresh here judged such a turn unanswered: a soak starved of CPU found a session calm
     * (it had heard a burst of late audio and not yet ended that turn), then judged it 4.8 s of
     * session time later, 5 ms after the turn was committed and its agent called.
     */
    synchronized void checkTurns(String input, int judged) {
        int n = 0;
        for (Turn t : turns.values()) {
            boolean inFlight = n++ >= judged;
            if (t.answeredBy.size() > 1) {
                violation(Invariant.TURN_ANSWERED_TWICE, "turn " + t.id + " \"" + abbreviate(t.text) + "\" was answered by speeches " + t.answeredBy);
            }
            if (t.agentCalls > 1) {
                violation(Invariant.TURN_ANSWERED_TWICE, "turn " + t.id + " \"" + abbreviate(t.text) + "\" was sent to the agent " + t.agentCalls + " times");
            }
            if (t.outstanding() && !inFlight) {
                violation(Invariant.TURN_UNANSWERED, "turn " + t.id + " \"" + abbreviate(t.text)
                        + "\" was committed but never answered, reported by an error, cut by the API or carried into a later turn "
                        + recentEvents() + " " + notes() + " " + input + String.format(" [judged at %.2fs]", clock.nanoTime() / 1e9 % 10_000));
            }
        }
    }

    List<String> resourcesLeft() {
        List<String> out = new ArrayList<>();
        for (Resource r : resources) {
            out.add(r.what());
        }
        return out;
    }

    void violation(Invariant invariant, String detail) {
        synchronized (violations) {
            violations.add(new Violation(invariant, index, sessionId, detail));
        }
    }

    /** Reports a finding once per session and kind of detail (the first 60 characters). */
    void violationOnce(Invariant invariant, String detail) {
        String key = invariant + detail.substring(0, Math.min(60, detail.length()));
        synchronized (violations) {
            if (!reported.add(key)) {
                return;
            }
        }
        violation(invariant, detail);
    }

    List<Violation> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    // ------------------------------------------------------------------ SessionListener

    /** Records a trace entry (formatted only if a violation shows it); under this probe's lock. */
    private void trace(Object entry) {
        if (traced > 0 && entry instanceof UserTranscript u && !u.transcript().isFinal()
                && recent[(traced - 1) % RECENT] instanceof UserTranscript p && !p.transcript().isFinal() && p.turnId() == u.turnId()) {
            // A run of interims of one turn shows as its latest: the words only grow.
            traced--;
        }
        recent[traced % RECENT] = entry;
        recentNanos[traced % RECENT] = clock.nanoTime();
        traced++;
    }

    private void callback(Object event) {
        trace(event);
        callbacks++;
        if (!ended) {
            return;
        }
        // A restart's own state change may be delivered long after its start() returned when the
        // listener threads are starved: it is legitimate as long as there was a start() from
        // ENDED for it, whatever the delay. Other callbacks get the wall-time grace.
        boolean restart = event instanceof StateChange c && c.from() == SessionState.ENDED && c.to() != SessionState.ENDED;
        boolean restarting = !finalStopped
                && (startsInFlight.get() > 0 || System.nanoTime() - lastStartDoneWall < restartGraceWallNanos
                    || restart && restartsSeen < restartPermits.get());
        if (!restarting) {
            violationOnce(Invariant.CALLBACK_AFTER_ENDED, describe(event) + " delivered after the session ENDED"
                    + (finalStopped ? " and stop() returned" : " with no start() under way"));
        }
    }

    @Override
    public synchronized void onStateChanged(StateChange change) {
        callback(change);
        if (change.from() == SessionState.ENDED && change.to() != SessionState.ENDED) {
            restartsSeen++;
        }
        if (change.to() == SessionState.ENDED) {
            words.sessionEnded(wordCount.get());
            ended = true;
            userSpeaking = false;
            excuseOutstanding("session ended (" + change.reason() + ")");
        } else {
            ended = false;
        }
        if (API_INTERRUPT.equals(change.reason())) {
            // interrupt() took effect here, on the session's loop, however late: it cut what the
            // turns committed before it had (a soak whose timers ran 158 s late committed a turn
            // 3.2 s of wall time after the call, the call's task then cut its reply, and the
            // wall-time window below had long passed: TURN_UNANSWERED).
            excuseOutstanding("cut by interrupt()");
        }
    }

    @Override
    public synchronized void onUserSpeech(UserSpeech speech) {
        callback(speech);
        userSpeaking = speech.speaking();
    }

    @Override
    public synchronized void onUserTranscript(UserTranscript transcript) {
        callback(transcript);
        if (transcript.transcript().isFinal() && transcript.turnId() != 0) {
            words.finalReported(transcript.turnId(), transcript.transcript().text());
        }
    }

    @Override
    public synchronized void onUserTurn(long turnId, String text) {
        callback("onUserTurn(" + turnId + ")");
        for (Turn t : turns.values()) {
            if (t.outstanding() && !t.text.isBlank() && text.contains(t.text)) {
                t.excuse = "carried into turn " + turnId;
            }
        }
        Turn turn = new Turn(turnId, text);
        turn.excuse = settledTexts.get(text);
        answeredHistories.forEach((answered, history) -> {
            if (turn.excuse == null && answered > turnId && history.stream()
                    .anyMatch(h -> h.role() == ConversationTurn.Role.USER && h.text().contains(text))) {
                turn.excuse = "answered together with turn " + answered;
            }
        });
        Long early = earlyAgentCalls.remove(turnId);
        if (early != null) {
            turn.agentCalls += early.intValue();
        }
        if (turns.put(turnId, turn) != null) {
            violation(Invariant.TURN_ANSWERED_TWICE, "turn id " + turnId + " was committed twice");
        }
        words.committed(turnId, text);
    }

    @Override
    public synchronized void onTurnCommitted(TurnCommit turn) {
        callback(turn);
        words.turnCommitted(turn);
    }

    @Override
    public synchronized void onReply(SpeechHandle reply) {
        callback(reply);
        List<ConversationTurn> seen = preemptiveHistory.remove(reply.turnId());
        if (seen != null) {
            // The reply may be the preemptive generation, adopted without another agent call.
            excuseAnsweredTogether(reply.turnId(), seen);
        }
        if (replyObserver != null) {
            replyObserver.accept(reply);
        }
        long turnId = reply.turnId();
        reply.text().whenComplete((text, e) -> {
            if (e == null) {
                synchronized (SessionProbe.this) {
                    Turn t = turns.get(turnId);
                    if (t != null && t.excuse == null) {
                        t.excuse = "reply text complete";
                    }
                }
            }
        });
    }

    @Override
    public synchronized void onAgentText(AgentText text) {
        callback(text);
    }

    @Override
    public synchronized void onPlayback(PlaybackEvent event) {
        callback(event);
        if (event.turnId() == 0) {
            return;
        }
        switch (event.kind()) {
            case STARTED -> startedSpeeches.add(event.speechId());
            case FINISHED, INTERRUPTED -> {
                Turn t = turns.get(event.turnId());
                if (t != null && t.excuse == null && event.kind() == PlaybackEvent.Kind.INTERRUPTED
                        && System.nanoTime() - interruptRequestedWall < INTERRUPT_WINDOW_WALL_NANOS) {
                    t.excuse = "cut by interrupt()";
                }
                if (t != null && startedSpeeches.contains(event.speechId())) {
                    t.answeredBy.add(event.speechId());
                }
            }
            default -> {
            }
        }
    }

    @Override
    public synchronized void onTurnMetrics(TurnMetrics metrics) {
        callback(metrics);
    }

    @Override
    public synchronized void onError(SessionException error) {
        callback(error);
        words.error(error);
        excuseOutstanding("error " + error.code());
    }
}
