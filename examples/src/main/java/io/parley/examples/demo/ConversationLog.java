package io.parley.examples.demo;

import io.parley.session.PlaybackEvent;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.StateChange;
import io.parley.session.TurnMetrics;
import io.parley.session.UserTranscript;
import io.parley.spi.Transcript;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the conversation as it happens (state changes, interim and final transcripts, agent
 * speech, barge-ins, per-turn latency) and counts what the summary needs.
 * Session events arrive one at a time on the session's listener thread; the getters are read
 * after the session stopped.
 */
final class ConversationLog implements SessionListener {

    private final PrintStream out;
    private final Instant start;
    private final boolean showInterims;
    private final List<TurnMetrics> metrics = new ArrayList<>();
    private final List<SessionException> errors = new ArrayList<>();
    private String lastInterim = "";
    private int userTurns;
    private int agentReplies;
    private int wordsHeard;
    private int bargeIns;

    ConversationLog(PrintStream out, Instant start, boolean showInterims) {
        this.out = out;
        this.start = start;
        this.showInterims = showInterims;
    }

    @Override
    public synchronized void onStateChanged(StateChange change) {
        if (change.from() == SessionState.SPEAKING && "barge_in".equals(change.reason())) {
            bargeIns++;
        }
        print(change.at(), "state", change.from() + " -> " + change.to() + " (" + change.reason() + ")");
    }

    @Override
    public synchronized void onUserTranscript(UserTranscript transcript) {
        Transcript t = transcript.transcript();
        if (!t.isFinal() && showInterims && !t.text().equals(lastInterim)) {
            lastInterim = t.text();
            print(transcript.at(), "heard", "... " + t.text());
        }
    }

    @Override
    public synchronized void onUserTurn(long turnId, String text) {
        userTurns++;
        wordsHeard += Transcript.fin(text, true).wordCount();
        lastInterim = "";
        print(Instant.now(), "CALLER", text + "   [turn " + turnId + "]");
    }

    @Override
    public synchronized void onPlayback(PlaybackEvent event) {
        switch (event.kind()) {
            case STARTED -> {
                if (event.turnId() > 0) {
                    agentReplies++;
                }
                print(event.at(), "AGENT", event.text());
            }
            case FINISHED -> { }
            case INTERRUPTED -> {
                String heard = event.playedText().isBlank() ? "nothing" : "\"" + event.playedText().trim() + "\"";
                String line = "<< interrupted after " + millis(event.played()) + " ms; the caller heard " + heard + " >>";
                print(event.at(), "AGENT", line);
            }
            default -> print(event.at(), "agent", event.kind().toString().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public synchronized void onTurnMetrics(TurnMetrics m) {
        metrics.add(m);
        String line = "turn " + m.turnId() + ": user stopped -> agent audio " + ms(m.userToAgentAudio())
                + " (end of turn " + ms(m.endOfTurnDelay()) + ", STT final " + ms(m.sttFinalDelay())
                + ", agent " + ms(m.agentFirstText()) + ", TTS first audio " + ms(m.ttsFirstAudio()) + ")";
        print(Instant.now(), "latency", line);
    }

    @Override
    public synchronized void onError(SessionException error) {
        errors.add(error);
        print(Instant.now(), "error", error.getMessage());
    }

    /** Something the demo itself reports, e.g. which line the caller plays. */
    synchronized void note(String text) {
        print(Instant.now(), "caller", "> " + text);
    }

    private void print(Instant at, String tag, String text) {
        out.printf("[%s] %-7s %s%n", clock(Duration.between(start, at)), tag, text);
        out.flush();
    }

    static String clock(Duration d) {
        long ms = Math.max(0, d.toMillis());
        return String.format(Locale.ROOT, "%02d:%02d.%d", ms / 60_000, ms / 1000 % 60, ms / 100 % 10);
    }

    private static String ms(Duration d) {
        return d == null ? "-" : d.toMillis() + " ms";
    }

    private static long millis(Duration d) {
        return d == null ? 0 : d.toMillis();
    }

    synchronized List<TurnMetrics> metrics() {
        return List.copyOf(metrics);
    }

    synchronized List<SessionException> errors() {
        return List.copyOf(errors);
    }

    synchronized int userTurns() {
        return userTurns;
    }

    synchronized int agentReplies() {
        return agentReplies;
    }

    synchronized int wordsHeard() {
        return wordsHeard;
    }

    synchronized int bargeIns() {
        return bargeIns;
    }
}
