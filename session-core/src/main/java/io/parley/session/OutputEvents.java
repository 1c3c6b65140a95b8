package io.parley.session;

import io.parley.spi.ConversationTurn;

/** The session's side of speech milestones: states, history, the agent, metrics. */
final class OutputEvents implements SpeechOutput.Host {

    private final DefaultVoiceSession s;

    OutputEvents(DefaultVoiceSession session) {
        this.s = session;
    }

    @Override
    public boolean running() {
        return s.running;
    }

    @Override
    public void started(Speech sp) {
        s.touch();
        if (s.state == SessionState.AWAY) {
            s.transition(SessionState.LISTENING, "agent_speaking");
        }
        s.transition(SessionState.SPEAKING, "agent_speaking");
        PlaybackEvent ev = s.output.event(PlaybackEvent.Kind.STARTED, sp);
        s.events.emit(l -> l.onPlayback(ev));
        s.replies.speechStarted(sp);
    }

    @Override
    public void ended(Speech sp, boolean interrupted, String heard) {
        if (sp.options.addToHistory() && !heard.isBlank()) {
            s.history.add(new ConversationTurn(ConversationTurn.Role.AGENT, heard.trim(), interrupted));
        }
        s.replies.speechEnded(sp, interrupted);
        if (!interrupted && sp.started) {
            s.turn.agentSpeechPlayed();
        }
        s.touch();
    }

    @Override
    public void failed(Speech sp) {
        s.replies.dropGenerationOf(sp);
    }

    @Override
    public void settle(String reason) {
        s.settleState(reason);
    }

    @Override
    public void error(SessionException error) {
        s.reportError(error);
    }
}
