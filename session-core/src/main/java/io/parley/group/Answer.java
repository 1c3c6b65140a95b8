package io.parley.group;

import io.parley.audio.AudioFrame;
import io.parley.session.AgentContext;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.session.TextSink;
import io.parley.spi.ConversationTurn;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent answering one turn: generation on a blocking-capable thread, text gathered on the
 * group's loop, speech synthesized once and handed to every voice participant's sink.
 * Loop-confined except where noted.
 */
final class Answer implements AgentContext, TextSink, TtsListener {

    private final GroupSession group;
    private final GroupTurn turn;
    private final long turnEndNanos;
    private final List<ConversationTurn> history;
    private final List<Runnable> cancelActions = new CopyOnWriteArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private volatile boolean cancelled;
    private boolean textDone;
    private long latencyNanos = -1;
    private boolean speechDone = true;
    private boolean over;
    private TtsStream speech;

    Answer(GroupSession group, GroupTurn turn, long turnEndNanos, List<ConversationTurn> history) {
        this.group = group;
        this.turn = turn;
        this.turnEndNanos = turnEndNanos;
        this.history = history;
    }

    /**
     * Opens the synthesis stream (if anyone listens) and starts the agent, both on the blocking
     * pool; the stream is handed to the loop before the agent can write, so no text is missed.
     */
    void begin() {
        boolean speak = group.tts() != null && group.sinks().length > 0;
        group.clock().executeBlocking(() -> {
            if (speak) {
                try {
                    TtsStream s = group.tts().open(new TtsRequest(group.sessionId(), group.outputFormat(), group.voice()), this);
                    group.loop().execute(() -> {
                        if (over) {
                            group.clock().executeBlocking(s::close);
                        } else {
                            speech = s;
                            speechDone = false;
                        }
                    });
                } catch (RuntimeException e) {
                    group.loop().execute(() -> speechFailed(SessionException.wrap(ErrorCode.TTS_ERROR, e)));
                }
            }
            try {
                group.agent().respond(this, turn.question(), this);
            } catch (Exception e) {
                fail(e);
            }
        });
    }

    /** Loop only: cut off now. */
    void cancel() {
        if (over) {
            return;
        }
        cancelled = true;
        for (Runnable r : cancelActions) {
            group.clock().executeBlocking(r);
        }
        end(true);
    }

    // ---- AgentContext (any thread) ----

    @Override
    public String sessionId() {
        return group.sessionId();
    }

    @Override
    public long turnId() {
        return turn.turnId();
    }

    @Override
    public List<ConversationTurn> history() {
        return history;
    }

    @Override
    public boolean preemptive() {
        return false;
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    @Override
    public void onCancel(Runnable action) {
        cancelActions.add(action);
        if (cancelled && cancelActions.remove(action)) {
            group.clock().executeBlocking(action);
        }
    }

    // ---- TextSink (any thread) ----

    @Override
    public void write(String chunk) {
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        group.loop().execute(() -> {
            if (over || textDone) {
                return;
            }
            text.append(chunk);
            if (speech != null && !speechDone) {
                try {
                    speech.pushText(chunk);
                } catch (RuntimeException e) {
                    speechFailed(SessionException.wrap(ErrorCode.TTS_ERROR, e));
                }
            }
        });
    }

    @Override
    public void complete() {
        group.loop().execute(() -> {
            if (over || textDone) {
                return;
            }
            textDone = true;
            latencyNanos = group.clock().nanoTime() - turnEndNanos;
            if (speech != null && !speechDone) {
                try {
                    speech.flush();
                } catch (RuntimeException e) {
                    speechFailed(SessionException.wrap(ErrorCode.TTS_ERROR, e));
                }
            }
            maybeEnd();
        });
    }

    @Override
    public void fail(Throwable error) {
        group.loop().execute(() -> {
            if (over) {
                return;
            }
            group.emit(l -> l.onError(new SessionException(ErrorCode.AGENT_ERROR,
                    "agent failed on turn " + turn.turnId() + ": " + error.getMessage(), error)));
            end(true);
        });
    }

    // ---- TtsListener (synthesizer's thread) ----

    @Override
    public void onAudio(AudioFrame frame) {
        if (cancelled) {
            return;
        }
        for (AgentAudioSink s : group.sinks()) {
            try {
                s.onAgentAudio(frame);
            } catch (RuntimeException e) {
                group.error(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e));
            }
        }
    }

    @Override
    public void onComplete() {
        group.loop().execute(() -> {
            speechDone = true;
            maybeEnd();
        });
    }

    @Override
    public void onError(SessionException error) {
        group.loop().execute(() -> speechFailed(error));
    }

    private void speechFailed(SessionException error) {
        group.emit(l -> l.onError(new SessionException(error.code(), "speaking the answer to turn " + turn.turnId()
                + " failed: " + error.getMessage(), error)));
        speechDone = true;
        maybeEnd();
    }

    private void maybeEnd() {
        if (textDone && speechDone) {
            end(false);
        }
    }

    private void end(boolean interrupted) {
        if (over) {
            return;
        }
        over = true;
        if (speech != null) {
            TtsStream s0 = speech;
            // Synthesis streams are cancelled and closed on the blocking pool (SPI threading contract).
            group.clock().executeBlocking(() -> {
                if (interrupted) {
                    s0.cancel();
                }
                s0.close();
            });
            for (AgentAudioSink s : group.sinks()) {
                s.onAgentAudioEnd(turn.turnId(), interrupted);
            }
        }
        Duration latency = Duration.ofNanos(latencyNanos >= 0 ? latencyNanos : group.clock().nanoTime() - turnEndNanos);
        AgentReply reply = new AgentReply(turn, text.toString(), latency, interrupted, group.clock().now());
        group.finished(this, reply);
    }
}
