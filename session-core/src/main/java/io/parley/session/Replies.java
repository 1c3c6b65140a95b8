package io.parley.session;

import io.opentelemetry.api.trace.Span;
import io.parley.audio.AudioClip;
import io.parley.spi.ConversationTurn;
import io.parley.spi.ExpectedAnswer;
import java.time.Duration;

/**
 * The agent's side of a session: one generation per answered turn (and at most one
 * preemptive one on an interim transcript), its text streamed into a speech, and the turn's
 * timing and trace span. Loop-confined; {@link Generation} posts the agent's output here.
 */
final class Replies implements Generation.Handler {

    private final DefaultVoiceSession s;
    private Generation generation;
    /**
     * The reply whose text is complete and whose speech has yet to finish playing, and the user
     * turn it answers: that turn can still be taken back while the reply is unheard.
     */
    private Generation voicing;
    private Generation preemptive;
    private TurnTiming timing;
    private Span turnSpan = Span.getInvalid();

    Replies(DefaultVoiceSession session) {
        this.s = session;
    }

    /** The reply being generated, or null. */
    Generation current() {
        return generation;
    }

    boolean busy() {
        return generation != null;
    }

    Span turnSpan() {
        return turnSpan;
    }

    // ---------------------------------------------------------------- user turns

    /** A typed turn from any thread: its reply's handle. */
    SpeechHandle respond(String text) {
        ReplyHandle h = newHandle(0);
        s.loop.execute(() -> {
            if (!activeFor(h)) {
                return;
            }
            s.touch();
            s.cutAgent("user_text", false);
            long tid = s.nextTurnId();
            h.turnId = tid;
            typed(tid, text, s.config.speakTextReplies(), h);
            s.settleState("user_text");
        });
        return h;
    }

    /** A reply without a user turn, from any thread: its handle. */
    SpeechHandle generate(String instructions) {
        ReplyHandle h = newHandle(0);
        s.loop.execute(() -> {
            if (!activeFor(h)) {
                return;
            }
            s.touch();
            s.cutAgent("generate_reply", false);
            long tid = s.nextTurnId();
            h.turnId = tid;
            instructed(tid, instructions, h);
            s.settleState("generate_reply");
        });
        return h;
    }

    private boolean activeFor(ReplyHandle h) {
        if (s.running) {
            return true;
        }
        SessionException e = new SessionException(ErrorCode.SESSION_NOT_ACTIVE, "session " + s.id + " is " + s.state);
        h.text.completeExceptionally(e);
        h.playout.completeExceptionally(e);
        return false;
    }

    /** A handle whose {@code cancel()} stops its reply's generation and speech. */
    ReplyHandle newHandle(long turnId) {
        return new ReplyHandle(s.output.reserveId(), turnId, h -> s.loop.execute(() -> {
            Generation g = generation;
            if (g != null && g.handle == h) {
                cancel();
            }
            h.abandoned();
            if (g != null && g.handle == h && g.speech != null) {
                s.output.cut(g.speech);
            }
            s.settleState("cancelled");
        }));
    }

    /** A spoken turn ended and its transcript is awaited. */
    void turnEnded(long turnId, long speechEndNanos, long eotNanos) {
        timing = new TurnTiming(turnId, speechEndNanos, eotNanos);
        endTurnSpan();
        turnSpan = s.telemetry.turnSpan(s.sessionSpan, s.id, turnId, s.clock.now());
    }

    /** A spoken turn is complete: answer it, with the preemptive reply if it fits. */
    void answer(long turnId, String text, UserTurn.Timing t) {
        voicing = null;
        if (timing != null && timing.turnId == turnId) {
            timing.finalNanos = t.transcriptNanos();
        }
        ConversationTurn entry = new ConversationTurn(ConversationTurn.Role.USER, text, false);
        s.history.add(entry);
        s.events.emit(l -> l.onUserTurn(turnId, text));
        TurnCommit commit = new TurnCommit(turnId, text, t.interimFallback(), false,
                nanosBetween(t.speechEndNanos(), t.endOfTurnNanos()), nanosBetween(t.endOfTurnNanos(), t.transcriptNanos()),
                s.clock.now());
        s.events.emit(l -> l.onTurnCommitted(commit));
        s.output.dropUnheardReplies();
        Generation g = takePreemptive(text, turnId);
        if (g == null) {
            g = start(turnId, text, "", true, null);
        }
        g.userEntry = entry;
    }

    /**
     * Takes the user turn whose reply is being generated back out of the history, its reply
     * being cut before anyone heard any of it: wherever it is, since agent speech that ended
     * after it was committed (an announcement) comes later in the history.
     *
     * @param onsetNanos when the speech that cut the reply began: a reply that started playing
     *                   less than {@link TurnTaking#UNHEARD_NANOS} before it was not heard
     * @return its words, or null if no user turn is being answered or its reply was heard
     */
    String takeBackUserTurn(long onsetNanos) {
        Generation g = generation != null ? generation : voicing;
        ConversationTurn entry = g == null ? null : g.userEntry;
        boolean heard = g != null && g.speech != null && g.speech.started
                && onsetNanos - g.speech.startedNanos >= TurnTaking.UNHEARD_NANOS;
        if (entry == null || heard) {
            return null;
        }
        g.userEntry = null;
        for (int i = s.history.size() - 1; i >= 0; i--) {
            if (s.history.get(i) == entry) {
                s.history.remove(i);
                return entry.text();
            }
        }
        return null;
    }

    /** An ended turn produced no words, or its words moved back into the open turn. */
    void turnDropped(boolean resumed) {
        if (!resumed) {
            endTurnSpan();
            timing = null;
            cancelPreemptive();
        }
    }

    /** A typed turn: answered like a spoken one, spoken if {@code speak}. */
    Generation typed(long turnId, String text, boolean speak, ReplyHandle handle) {
        ConversationTurn entry = new ConversationTurn(ConversationTurn.Role.USER, text, false);
        s.history.add(entry);
        s.events.emit(l -> l.onUserTurn(turnId, text));
        TurnCommit commit = new TurnCommit(turnId, text, false, true, null, null, s.clock.now());
        s.events.emit(l -> l.onTurnCommitted(commit));
        timing = new TurnTiming(turnId, -1, s.clock.nanoTime());
        Generation g = start(turnId, text, "", speak, handle);
        g.userEntry = entry;
        return g;
    }

    /** A reply with no user turn, steered by {@code instructions} (the agent speaks first or on demand). */
    Generation instructed(long turnId, String instructions, ReplyHandle handle) {
        timing = new TurnTiming(turnId, -1, s.clock.nanoTime());
        return start(turnId, "", instructions, true, handle);
    }

    // ---------------------------------------------------------------- preemptive generation

    /** The user fell silent: start answering the interim transcript before the turn ends. */
    void maybePreempt(long turnId, String text, boolean committing) {
        if (!s.config.preemptiveGeneration() || committing || generation != null || text.isEmpty()) {
            return;
        }
        if (preemptive != null) {
            if (preemptive.input.equals(text)) {
                return;
            }
            preemptive.cancel();
        }
        preemptive = newGeneration(turnId, text, "", true, null);
        run(preemptive);
    }

    void cancelPreemptive() {
        if (preemptive != null) {
            preemptive.cancel();
            preemptive = null;
        }
    }

    private Generation takePreemptive(String finalText, long tid) {
        Generation g = preemptive;
        if (g == null) {
            return null;
        }
        preemptive = null;
        boolean keep = switch (s.config.preemptiveStrategy()) {
            case DISCARD -> false;
            case ALWAYS_USE -> true;
            case USE_IF_SIMILAR -> TextSimilarity.wordOverlap(g.input, finalText) >= s.config.similarityThreshold();
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
        adopt(g, true);
        if (g.text.length() > 0) {
            String sofar = g.text.toString();
            AgentText ev = new AgentText(tid, g.speech == null ? 0 : g.speech.id, sofar, s.clock.now());
            s.events.emit(l -> l.onAgentText(ev));
            if (g.speech != null) {
                s.output.append(g.speech, sofar);
            }
        }
        if (g.complete) {
            finish(g);
        }
        return g;
    }

    // ---------------------------------------------------------------- generations

    private Generation newGeneration(long tid, String input, String instructions, boolean isPreemptive, ReplyHandle h) {
        ReplyHandle handle = h != null ? h : newHandle(tid);
        return new Generation(s.id, tid, input, instructions, isPreemptive, s.history, s.clock.nanoTime(), handle, s.loop,
                s.clock, this);
    }

    private Generation start(long tid, String input, String instructions, boolean speak, ReplyHandle handle) {
        Generation g = newGeneration(tid, input, instructions, false, handle);
        if (timing != null && timing.turnId == tid) {
            timing.agentStartNanos = g.startNanos;
        }
        adopt(g, speak);
        run(g);
        return g;
    }

    private void adopt(Generation g, boolean speak) {
        // A newer reply replaces one still being generated: its speech, which would otherwise
        // wait for text that never comes, is cut with it.
        cancel();
        generation = g;
        g.speak = speak;
        if (speak) {
            Speech sp = s.output.newSpeech(g.handle.id, g.turnId(), SayOptions.DEFAULT, true);
            g.attach(sp);
            s.output.enqueue(sp);
        } else {
            g.attach(null);
        }
        ReplyHandle h = g.handle;
        s.events.emit(l -> l.onReply(h));
    }

    private void run(Generation g) {
        s.blocking(() -> {
            if (g.cancelled()) {
                return;
            }
            try {
                s.agent.respond(g, g.input, g);
            } catch (Exception | Error e) {
                g.fail(e);
            }
        });
    }

    @Override
    public void agentText(Generation g, String chunk) {
        if (g.cancelled() || !s.running) {
            return;
        }
        if (g.firstTextNanos < 0) {
            g.firstTextNanos = s.clock.nanoTime();
        }
        g.text.append(chunk);
        if (g != generation) {
            return;
        }
        s.touch();
        if (timing != null && timing.turnId == g.turnId() && timing.firstTextNanos < 0) {
            timing.firstTextNanos = g.firstTextNanos;
        }
        AgentText ev = new AgentText(g.turnId(), g.speech == null ? 0 : g.speech.id, chunk, s.clock.now());
        s.events.emit(l -> l.onAgentText(ev));
        if (g.speech != null) {
            s.output.append(g.speech, chunk);
        }
    }

    @Override
    public BackgroundHandle background(AudioClip clip, BackgroundOptions options) {
        return s.playBackground(clip, options);
    }

    @Override
    public void agentExpects(Generation g, ExpectedAnswer answer) {
        if (!g.cancelled() && s.running) {
            s.turnTaking.expect(answer);
        }
    }

    @Override
    public void agentUsage(Generation g, int inputTokens, int outputTokens) {
        g.inputTokens += inputTokens;
        g.outputTokens += outputTokens;
        s.telemetry.tokens(inputTokens, outputTokens);
        if (g == generation) {
            turnSpan.setAttribute(Telemetry.INPUT_TOKENS, g.inputTokens);
            turnSpan.setAttribute(Telemetry.OUTPUT_TOKENS, g.outputTokens);
        }
    }

    @Override
    public void agentComplete(Generation g) {
        if (g.cancelled() || !s.running) {
            return;
        }
        g.complete = true;
        if (g == generation) {
            finish(g);
        }
    }

    @Override
    public void agentFailed(Generation g, Throwable error) {
        if (g.cancelled() || !s.running) {
            return;
        }
        SessionException se = SessionException.wrap(ErrorCode.AGENT_ERROR, error);
        if (g == preemptive) {
            preemptive = null;
            return;
        }
        s.reportError(se);
        if (g != generation) {
            return;
        }
        generation = null;
        g.failed(se);
        if (g.speech != null) {
            // Speak what was generated before the failure, if anything.
            s.output.endText(g.speech);
        }
        s.settleState("agent_failed");
    }

    private void finish(Generation g) {
        generation = null;
        String reply = g.text.toString();
        g.reply.complete(reply);
        if (g.speech != null) {
            voicing = g;
            s.output.endText(g.speech);
        } else {
            if (!reply.isBlank()) {
                s.history.add(new ConversationTurn(ConversationTurn.Role.AGENT, reply.trim(), false));
            }
            g.unspoken();
        }
        if (timing != null && timing.turnId == g.turnId() && g.speech == null) {
            emitMetrics();
        }
        s.settleState("reply_complete");
    }

    /** A reply that can no longer be spoken needs no more text. */
    void dropGenerationOf(Speech sp) {
        if (generation != null && generation.speech == sp) {
            generation.cancel();
            generation = null;
        }
    }

    /** Cancels the reply being generated and cuts its speech. */
    void cancel() {
        if (generation != null) {
            Generation g = generation;
            generation = null;
            g.cancel();
            if (g.speech != null) {
                s.output.cut(g.speech);
            }
        }
    }

    // ---------------------------------------------------------------- speech milestones and metrics

    void speechStarted(Speech sp) {
        if (sp.fromAgent && timing != null && timing.turnId == sp.turnId) {
            timing.firstAudioSentNanos = s.clock.nanoTime();
            timing.ttsFirstTextNanos = sp.firstTextNanos;
            timing.ttsFirstAudioNanos = sp.firstAudioNanos;
            emitMetrics();
        }
    }

    void speechEnded(Speech sp, boolean interrupted) {
        dropGenerationOf(sp);
        if (voicing != null && voicing.speech == sp) {
            voicing = null;
        }
        if (sp.fromAgent && timing != null && timing.turnId == sp.turnId) {
            emitMetrics();
            turnSpan.setAttribute(Telemetry.INTERRUPTED, interrupted);
            endTurnSpan();
        }
    }

    void endTurnSpan() {
        turnSpan.end(s.clock.now());
        turnSpan = Span.getInvalid();
    }

    /** Stops everything (the session is stopping or restarting). */
    void reset() {
        voicing = null;
        cancel();
        cancelPreemptive();
        endTurnSpan();
        timing = null;
    }

    private void emitMetrics() {
        TurnTiming t = timing;
        if (t == null || t.metricsEmitted) {
            return;
        }
        t.metricsEmitted = true;
        TurnMetrics m = t.toMetrics();
        s.telemetry.turn(m);
        s.events.emit(l -> l.onTurnMetrics(m));
    }

    private static Duration nanosBetween(long a, long b) {
        return a < 0 || b < 0 ? null : Duration.ofNanos(Math.max(0, b - a));
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
                    nanosBetween(speechEndNanos, eotNanos),
                    nanosBetween(eotNanos, finalNanos),
                    nanosBetween(agentStartNanos, firstTextNanos),
                    nanosBetween(ttsFirstTextNanos, ttsFirstAudioNanos),
                    nanosBetween(speechEndNanos, firstAudioSentNanos),
                    preemptiveUsed);
        }
    }
}
