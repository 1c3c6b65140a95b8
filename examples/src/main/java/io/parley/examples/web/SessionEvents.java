package io.parley.examples.web;

import io.parley.session.AgentText;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.UserTranscript;
import java.util.ArrayList;
import java.util.List;

/**
 * One session's events as JSON lines for the page: kept in order (bounded) so a page that
 * subscribes a moment after the session started still sees everything, and handed to
 * server-sent-event readers as they arrive.
 */
final class SessionEvents implements SessionListener {

    /** Enough for a long demo conversation; older events are dropped from the replay only. */
    private static final int MAX_KEPT = 2_000;

    private final List<String> events = new ArrayList<>();
    private long first;
    private boolean ended;

    @Override
    public void onStateChanged(StateChange change) {
        add("{\"type\":\"state\",\"state\":\"" + change.to() + "\",\"reason\":" + Json.string(change.reason()) + "}");
        if (change.to() == SessionState.ENDED) {
            end();
        }
    }

    @Override
    public void onUserTranscript(UserTranscript t) {
        add("{\"type\":\"user\",\"turn\":" + t.turnId() + ",\"final\":" + t.transcript().isFinal()
                + ",\"text\":" + Json.string(t.transcript().text()) + "}");
    }

    @Override
    public void onAgentText(AgentText text) {
        add("{\"type\":\"agent\",\"turn\":" + text.turnId() + ",\"speech\":" + text.speechId()
                + ",\"text\":" + Json.string(text.chunk()) + "}");
    }

    @Override
    public void onPlayback(PlaybackEvent e) {
        add("{\"type\":\"playback\",\"kind\":\"" + e.kind() + "\",\"speech\":" + e.speechId()
                + ",\"played\":" + Json.string(e.playedText()) + "}");
    }

    @Override
    public void onError(SessionException error) {
        add("{\"type\":\"error\",\"code\":\"" + error.code() + "\",\"message\":" + Json.string(error.getMessage()) + "}");
    }

    synchronized void end() {
        ended = true;
        notifyAll();
    }

    private synchronized void add(String json) {
        events.add(json);
        if (events.size() > MAX_KEPT) {
            events.remove(0);
            first++;
        }
        notifyAll();
    }

    /** A cursor position and the events from it on; waits up to {@code millis} for news. */
    synchronized Batch next(long from, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (first + events.size() <= from && !ended) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        long start = Math.max(from, first);
        List<String> out = new ArrayList<>(events.subList((int) (start - first), events.size()));
        return new Batch(out, first + events.size(), ended && first + events.size() <= from);
    }

    /** Events from a cursor position; {@code finished} once the session ended and all were read. */
    record Batch(List<String> events, long next, boolean finished) {
    }
}
