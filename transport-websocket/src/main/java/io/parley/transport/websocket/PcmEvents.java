package io.parley.transport.websocket;

import io.parley.session.PlaybackEvent;
import io.parley.session.SessionListener;
import io.parley.session.UserTranscript;
import io.parley.session.VoiceSession;

/**
 * The raw WebSocket protocol's text events: typed text from the client becomes a turn, and the
 * client hears of final user transcripts and of what the agent said (cut to what played).
 */
final class PcmEvents implements SessionListener, CallListener {

    private final VoiceSession session;
    private final MessageSocket wire;

    private PcmEvents(VoiceSession session, MessageSocket wire) {
        this.session = session;
        this.wire = wire;
    }

    static void attach(VoiceSession session, MediaStreamTransport call, MessageSocket wire) {
        PcmEvents e = new PcmEvents(session, wire);
        session.addListener(e);
        call.addCallListener(e);
    }

    @Override
    public void onText(String text) {
        if (!text.isBlank()) {
            session.sendText(text);
        }
    }

    @Override
    public void onUserTranscript(UserTranscript t) {
        if (t.transcript().isFinal() && !t.transcript().text().isBlank()) {
            send("user", t.transcript().text(), false);
        }
    }

    @Override
    public void onPlayback(PlaybackEvent e) {
        if (e.kind() == PlaybackEvent.Kind.FINISHED || e.kind() == PlaybackEvent.Kind.INTERRUPTED) {
            send("agent", e.playedText(), e.kind() == PlaybackEvent.Kind.INTERRUPTED);
        }
    }

    private void send(String role, String text, boolean interrupted) {
        StringBuilder b = new StringBuilder(64 + text.length()).append("{\"type\":\"transcript\",\"role\":\"").append(role)
                .append("\",\"text\":");
        Json.quote(b, text);
        if (interrupted) {
            b.append(",\"interrupted\":true");
        }
        wire.sendText(b.append('}').toString());
    }
}
