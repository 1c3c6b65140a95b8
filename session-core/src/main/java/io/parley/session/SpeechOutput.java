package io.parley.session;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Transport;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsStream;
import io.parley.text.speech.SpeechText;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's voice: a queue of speeches, each synthesized through the provider chain,
 * buffered, and handed to the transport at real-time pace a short lead ahead of playout, with
 * pause, resume and cut for barge-in, and an account of what was actually heard.
 *
 * <p>Loop-confined like the session that owns it, except {@link #newSpeech}, which the
 * session's callers use from any thread, and the synthesizers' audio callbacks, which only
 * copy into the speech's own buffer.
 */
final class SpeechOutput {

    /** What the session does when speech milestones pass. Called on the event loop. */
    interface Host {
        boolean running();

        /** The first audio of {@code s} was handed to the transport. */
        void started(Speech s);

        /** {@code s} ended; its playback event was emitted, its handle is not yet completed. */
        void ended(Speech s, boolean interrupted, String heard);

        /** {@code s} could not be synthesized at all. */
        void failed(Speech s);

        void settle(String reason);

        void error(SessionException error);
    }

    private final Clock clock;
    private final SerialExecutor loop;
    private final Transport transport;
    private final EventBus events;
    private final AudioFormat format;
    private final Host host;
    private final Executor blocking;
    private final AudioFrame outFrame;
    private final long leadSamples;
    private final Runnable pumpOnLoop;
    private final Runnable pumpSignal;
    private final long tickNanos;
    private final AtomicLong speechSeq = new AtomicLong();
    private final SpeechBuffer buffer;
    private final ArrayDeque<Speech> queue = new ArrayDeque<>();
    private Speech active;
    private long sentTotal;
    private boolean paused;
    /** Paces a speech every 20 ms while it streams; one timer for the whole speech. */
    private Clock.Cancellable ticker;
    /** Wakes once when everything handed over should have been played. */
    private Clock.Cancellable drainTimer;
    private final SpeechText speechText;
    private final Synthesis synthesis;
    private final BackgroundMix background;
    /** The far-end reference for echo suppression, or null without it. */
    private final FarEnd farEnd;

    SpeechOutput(String sessionId, String voice, SessionConfig config, Clock clock, SerialExecutor loop, Transport transport,
                 EventBus events, ProviderChain<TtsProvider> ttsChain, Host host, Executor blocking,
                 SpeechText speechText, FarEnd farEnd) {
        this.blocking = blocking;
        this.farEnd = farEnd;
        this.speechText = speechText;
        this.clock = clock;
        this.loop = loop;
        this.transport = transport;
        this.events = events;
        this.format = transport.outputFormat();
        this.host = host;
        this.outFrame = AudioFrame.allocate(format, format.samplesFor(20));
        this.leadSamples = format.samplesFor(config.playoutLead().toMillis());
        this.buffer = new SpeechBuffer(format.samplesFor(200));
        Runnable pumpTask = this::pump;
        this.pumpOnLoop = () -> loop.execute(pumpTask);
        this.pumpSignal = loop.signal(pumpTask);
        this.tickNanos = format.nanosFor(outFrame.capacity());
        this.background = new BackgroundMix(format, loop);
        this.synthesis = new Synthesis(this, sessionId, voice, config, clock, loop, transport, ttsChain, host, blocking);
    }

    /** Starts a fresh conversation: playout is counted from where the transport is now. */
    void reset() {
        sentTotal = transport.playedSamples();
        paused = false;
        if (farEnd != null) {
            farEnd.reset(sentTotal);
        }
    }

    /** The speech playing or being synthesized, or null. */
    Speech active() {
        return active;
    }

    boolean paused() {
        return paused;
    }

    /** A fresh speech id; safe from any thread. */
    long reserveId() {
        return speechSeq.incrementAndGet();
    }

    /** A new speech; safe from any thread. */
    Speech newSpeech(long turnId, SayOptions options, boolean fromAgent) {
        return newSpeech(reserveId(), turnId, options, fromAgent);
    }

    /** A new speech with an id from {@link #reserveId()}; safe from any thread. */
    Speech newSpeech(long id, long turnId, SayOptions options, boolean fromAgent) {
        Speech speech = new Speech(id, turnId, options, fromAgent, buffer,
                s -> loop.execute(() -> {
                    if (!s.done) {
                        cut(s);
                        host.settle("cancelled");
                    }
                }));
        if (!speechText.isEmpty()) {
            speech.spokenForm = speechText.stream();
        }
        return speech;
    }

    /** Plays {@code s} after everything already queued. */
    void enqueue(Speech s) {
        if (s.done) {
            // Cancelled before it reached the queue: its handle is already complete.
            return;
        }
        if (active == null) {
            activate(s);
        } else {
            queue.add(s);
        }
    }

    /** Gives a new speech its whole text at once; safe from any thread before it is enqueued. */
    void wholeText(Speech s, String text) {
        s.written.append(text);
        s.text.append(s.spokenForm == null ? text : s.spokenForm.push(text) + s.spokenForm.flush());
        s.textDone = true;
    }

    /** Appends text to {@code s} and sends it to the synthesizer if it is open. */
    void append(Speech s, String text) {
        if (s.done) {
            return;
        }
        s.written.append(text);
        s.text.append(s.spokenForm == null ? text : s.spokenForm.push(text));
        synthesis.pushText(s);
    }

    /** No more text will come for {@code s}: synthesize the rest, or end it now if there is none. */
    void endText(Speech s) {
        s.textDone = true;
        if (s.spokenForm != null) {
            s.text.append(s.spokenForm.flush());
        }
        if (s.text.toString().isBlank()) {
            finish(s, false);
        } else {
            synthesis.flushIfOpen(s);
        }
    }

    /**
     * Cuts every speech, playing and queued, and drops the audio the transport still holds.
     * With {@code keepUninterruptible}, an active speech that does not allow interruptions
     * plays on (queued ones are cut all the same).
     */
    void cutAll(boolean keepUninterruptible) {
        List<Speech> queued = new ArrayList<>(queue);
        // Cleared first, so finishing the active speech does not start (and pay for) the next.
        queue.clear();
        for (Speech s : queued) {
            finish(s, true);
        }
        Speech s = active;
        if (s != null && !(keepUninterruptible && !s.options.allowInterruptions())) {
            cut(s);
        }
    }

    /**
     * A newer user turn is being answered: replies to earlier turns that nobody has heard yet
     * (queued, or still being synthesized) are dropped rather than spoken after the fact.
     */
    void dropUnheardReplies() {
        List<Speech> stale = null;
        for (Speech q : queue) {
            if (q.fromAgent) {
                if (stale == null) {
                    stale = new ArrayList<>();
                }
                stale.add(q);
            }
        }
        if (stale != null) {
            for (Speech q : stale) {
                finish(q, true);
            }
        }
        Speech s = active;
        if (s != null && s.fromAgent && !s.started) {
            cut(s);
        }
    }

    /** Cuts one speech: the active one stops where the listener is, a queued one never plays. */
    void cut(Speech s) {
        if (s.done) {
            return;
        }
        if (s != active) {
            finish(s, true);
            return;
        }
        if (s.started) {
            // What was played is measured before the queue is dropped.
            s.sent = Math.min(s.sent, Math.max(0, transport.playedSamples() - s.startPos));
            try {
                transport.clearPlayback();
            } catch (RuntimeException e) {
                host.error(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
            }
            events.agentAudioCleared(clock.nanoTime());
        }
        if (paused) {
            paused = false;
            if (transport.canPause()) {
                try {
                    transport.resumePlayback();
                } catch (RuntimeException e) {
                    host.error(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
                }
            }
        }
        sentTotal = transport.playedSamples();
        if (farEnd != null) {
            farEnd.rewind(sentTotal, true);
        }
        finish(s, true);
    }

    /**
     * Pauses playout on a possible barge-in.
     *
     * @return false if the transport could not pause (the failure was reported)
     */
    boolean pause() {
        try {
            transport.pausePlayback();
        } catch (RuntimeException e) {
            host.error(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
            return false;
        }
        paused = true;
        if (farEnd != null) {
            farEnd.playout(transport.playedSamples(), false);
        }
        emit(PlaybackEvent.Kind.PAUSED);
        return true;
    }

    /** Resumes playout after a false interruption. */
    void resume() {
        resumeTransport();
        emit(PlaybackEvent.Kind.RESUMED);
        pump();
    }

    private void resumeTransport() {
        paused = false;
        try {
            transport.resumePlayback();
        } catch (RuntimeException e) {
            host.error(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
        }
        if (farEnd != null) {
            farEnd.playout(transport.playedSamples(), true);
        }
    }

    /** Cancels the pacer's timer; the session is stopping. */
    void stopTimers() {
        cancelTick();
    }

    /** A playback event for {@code s} with what it has played so far. */
    PlaybackEvent event(PlaybackEvent.Kind kind, Speech s) {
        long played = s.started ? Math.max(0, transport.playedSamples() - s.startPos) : 0;
        return new PlaybackEvent(kind, s.id, s.turnId, s.written.toString(), "",
                Duration.ofNanos(format.nanosFor(played)), clock.now());
    }

    private void emit(PlaybackEvent.Kind kind) {
        Speech s = active;
        if (s != null) {
            PlaybackEvent ev = event(kind, s);
            events.emit(l -> l.onPlayback(ev));
        }
    }

    private void activate(Speech s) {
        active = s;
        s.claimBuffer();
        if (s.textDone && s.text.toString().isBlank()) {
            finish(s, false);
            return;
        }
        synthesis.open(s);
    }

    /**
     * Hands buffered audio of the active speech to the transport, keeping a short lead, with
     * any background clips mixed in; with no speech (or before its first audio) the background
     * clips go out on their own. Runs on every 20 ms tick of {@link #ticker} while audio
     * streams, and on audio, resume and completion events; allocates nothing.
     */
    void pump() {
        Speech s = active;
        if (!host.running() || s == null || s.done) {
            if (host.running() && s == null && !paused && background.active()) {
                cancelDrainTimer();
                pumpBackground();
                return;
            }
            cancelTick();
            return;
        }
        cancelDrainTimer();
        if (!paused) {
            long played = transport.playedSamples();
            while (sentTotal - played < leadSamples) {
                int n = s.poll(outFrame.samples(), outFrame.capacity());
                if (n == 0) {
                    if (s.started || !background.active()) {
                        break;
                    }
                    // Waiting for the synthesizer's first audio: the background plays on.
                    if (!send(backgroundOnly(), null)) {
                        return;
                    }
                    continue;
                }
                background.mixInto(outFrame.samples(), n);
                if (!s.started) {
                    s.startPos = sentTotal;
                    s.started = true;
                    s.startedNanos = clock.nanoTime();
                    host.started(s);
                }
                if (!send(n, s)) {
                    return;
                }
                s.sent += n;
            }
        }
        long playedNow = transport.playedSamples();
        if (farEnd != null) {
            farEnd.playout(playedNow, !paused);
        }
        long ahead = sentTotal - playedNow;
        if (s.ttsComplete && s.audioEmpty() && (ahead <= 0 || !s.started)) {
            finish(s, false);
            host.settle("playout_finished");
            return;
        }
        if (paused) {
            stopTicker();
            return;
        }
        if (s.ttsComplete && s.audioEmpty()) {
            // Everything is handed over: wake exactly when the transport should have played it.
            stopTicker();
            drainTimer = clock.schedule(pumpOnLoop, Math.max(format.nanosFor(ahead), 1_000_000L), TimeUnit.NANOSECONDS);
        } else {
            startTicker();
        }
    }

    /** A background clip converted to the output format, ready to mix; safe from any thread. */
    BackgroundMix.Track prepareBackground(AudioClip clip, BackgroundOptions options) {
        return background.prepare(clip, options);
    }

    /** Starts mixing a background clip; on the loop. */
    void playBackground(BackgroundMix.Track track) {
        background.add(track);
        if (host.running()) {
            pump();
        }
    }

    /** Stops every background clip: the session is stopping. */
    void stopBackground() {
        background.stopAll();
    }

    /** Sends background clips alone, keeping the lead, while no speech plays. */
    private void pumpBackground() {
        long played = transport.playedSamples();
        while (sentTotal - played < leadSamples && background.active()) {
            if (!send(backgroundOnly(), null)) {
                return;
            }
        }
        if (farEnd != null) {
            farEnd.playout(transport.playedSamples(), true);
        }
        if (background.active()) {
            startTicker();
        } else {
            stopTicker();
        }
    }

    /** Fills the outbound frame with background clips over silence; returns its length. */
    private int backgroundOnly() {
        int n = outFrame.capacity();
        Arrays.fill(outFrame.samples(), 0, n, (short) 0);
        background.mixInto(outFrame.samples(), n);
        return n;
    }

    /**
     * Hands the first {@code n} samples of the outbound frame to the transport. A transport
     * that cannot take audio ends speech {@code s} (or, with none, the background): pacing
     * would otherwise fail on every frame.
     */
    private boolean send(int n, Speech s) {
        outFrame.setLength(n);
        outFrame.setTimestampNanos(clock.nanoTime());
        try {
            transport.send(outFrame);
        } catch (RuntimeException e) {
            host.error(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
            if (s != null) {
                cut(s);
                host.settle("transport_failed");
            } else {
                background.stopAll();
                stopTicker();
            }
            return false;
        }
        if (events.hasAudioListeners()) {
            events.agentAudio(outFrame.copy());
        }
        // The thinking sound echoes back like speech does, so the far end hears every frame sent.
        if (farEnd != null) {
            farEnd.sent(outFrame, sentTotal);
        }
        sentTotal += n;
        return true;
    }

    private void startTicker() {
        if (ticker == null) {
            ticker = clock.scheduleRepeating(pumpSignal, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stopTicker() {
        if (ticker != null) {
            ticker.cancel();
            ticker = null;
        }
    }

    private void cancelDrainTimer() {
        if (drainTimer != null) {
            drainTimer.cancel();
            drainTimer = null;
        }
    }

    private void cancelTick() {
        stopTicker();
        cancelDrainTimer();
        synthesis.stopWatch();
    }

    void fail(Speech s, SessionException error) {
        s.done = true;
        if (s == active) {
            cancelTick();
        }
        if (s.tts != null) {
            synthesis.close(s.tts);
            s.tts = null;
        }
        remove(s);
        s.result.completeExceptionally(error);
        host.failed(s);
        activateNext();
        host.settle("tts_failed");
    }

    /** Ends a speech: works out what was heard, reports it, completes its handle and moves the queue on. */
    void finish(Speech s, boolean interrupted) {
        if (s.done) {
            return;
        }
        s.done = true;
        s.interrupted = interrupted;
        long playedSamples = 0;
        if (s.started) {
            playedSamples = Math.min(s.sent, Math.max(0, transport.playedSamples() - s.startPos));
        }
        if (s.tts != null) {
            TtsStream tts = s.tts;
            s.tts = null;
            blocking.execute(() -> {
                try {
                    if (interrupted) {
                        tts.cancel();
                    }
                    tts.close();
                } catch (RuntimeException e) {
                    loop.execute(() -> host.error(SessionException.wrap(ErrorCode.TTS_ERROR, e)));
                }
            });
        }
        s.discardAudio();
        boolean wasActive = s == active;
        remove(s);
        if (wasActive) {
            cancelTick();
            if (paused) {
                // A pause at a possible barge-in holds the speech it caught; one that ends under it
                // (all of it played, or nothing to play) must not leave the next speech held forever.
                resumeTransport();
            }
        }
        Duration played = Duration.ofNanos(format.nanosFor(playedSamples));
        String full = s.written.toString();
        String heard = interrupted ? PlayedText.written(s, PlayedText.cut(s.text.toString(), s.pushed, s.timings, played,
                Duration.ofNanos(format.nanosFor(s.synthesizedSamples())))) : full;
        if (s.started || interrupted) {
            PlaybackEvent ev = new PlaybackEvent(interrupted ? PlaybackEvent.Kind.INTERRUPTED : PlaybackEvent.Kind.FINISHED,
                    s.id, s.turnId, full, heard, played, clock.now());
            events.emit(l -> l.onPlayback(ev));
        }
        host.ended(s, interrupted, heard);
        s.result.complete(new PlaybackResult(s.id, full, heard, played, interrupted));
        if (wasActive) {
            activateNext();
        }
    }

    private void remove(Speech s) {
        if (s == active) {
            active = null;
        } else {
            queue.remove(s);
        }
    }

    private void activateNext() {
        if (active == null && host.running()) {
            Speech next = queue.poll();
            if (next != null) {
                activate(next);
            } else if (background.active()) {
                pump();
            }
        }
    }
}
