package io.parley.session;

import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A session on the test kit with every event recorded against virtual time. */
final class SessionHarness implements SessionListener {

    final VirtualClock clock = new VirtualClock();
    final UserScript user = new UserScript();
    final List<StateChange> states = new ArrayList<>();
    final List<PlaybackEvent> playbacks = new ArrayList<>();
    final List<UserTranscript> transcripts = new ArrayList<>();
    final List<SessionException> errors = new ArrayList<>();
    final List<TurnMetrics> metrics = new ArrayList<>();
    final List<String> userTurns = new ArrayList<>();
    final List<UserSpeech> speech = new ArrayList<>();
    InMemoryTransport transport;
    FakeStt stt;
    FakeTts tts;
    FakeAgent agent;
    VoiceSession session;

    SessionConfig.Builder config = SessionConfig.builder().sessionId("test");
    boolean canPause;
    Consumer<FakeAgent.Builder> agentSetup = a -> a.reply("It is noon.");
    Consumer<VoiceSession.Builder> extra = b -> { };

    SessionHarness build() {
        transport = InMemoryTransport.builder(clock).script(user).canPause(canPause).build();
        if (stt == null) {
            stt = FakeStt.builder(clock, user).build();
        }
        if (tts == null) {
            tts = FakeTts.builder(clock).build();
        }
        FakeAgent.Builder ab = FakeAgent.builder(clock);
        agentSetup.accept(ab);
        agent = ab.build();
        VoiceSession.Builder b = VoiceSession.builder()
                .clock(clock)
                .config(config.build())
                .transport(transport)
                .vad(new FakeVad())
                .stt(stt)
                .tts(tts)
                .streamingAgent(agent)
                .listener(this);
        extra.accept(b);
        session = b.build();
        return this;
    }

    SessionHarness start() {
        session.start();
        return this;
    }

    Duration at(Instant i) {
        return Duration.between(clock.instantAt(Duration.ZERO), i);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    void advanceTo(long millis) {
        clock.advanceTo(ms(millis));
    }

    /** "FROM->TO@ms" for every state change. */
    List<String> stateLog() {
        List<String> out = new ArrayList<>();
        for (StateChange c : states) {
            out.add(c.from() + "->" + c.to() + "@" + at(c.at()).toMillis());
        }
        return out;
    }

    List<String> playbackLog() {
        List<String> out = new ArrayList<>();
        for (PlaybackEvent e : playbacks) {
            out.add(e.kind() + "@" + at(e.at()).toMillis());
        }
        return out;
    }

    @Override
    public void onStateChanged(StateChange change) {
        states.add(change);
    }

    @Override
    public void onPlayback(PlaybackEvent event) {
        playbacks.add(event);
    }

    @Override
    public void onUserTranscript(UserTranscript transcript) {
        transcripts.add(transcript);
    }

    @Override
    public void onError(SessionException error) {
        errors.add(error);
    }

    @Override
    public void onTurnMetrics(TurnMetrics m) {
        metrics.add(m);
    }

    @Override
    public void onUserTurn(long turnId, String text) {
        userTurns.add(text);
    }

    @Override
    public void onUserSpeech(UserSpeech s) {
        speech.add(s);
    }
}
