package io.parley.text.speech;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.AgentText;
import io.parley.session.SessionConfig;
import io.parley.session.SessionListener;
import io.parley.session.VoiceSession;
import io.parley.spi.ConversationTurn;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's speech-text chain: the synthesizer gets the spoken form, everything else the written one. */
class SpeechTextInSessionTest {

    @Test
    void theSynthesizerSpeaksTheSpokenFormAndTheTranscriptKeepsTheWrittenForm() {
        VirtualClock clock = new VirtualClock();
        UserScript user = new UserScript().say(500, 1000, "how much is it");
        FakeTts tts = FakeTts.builder(clock).build();
        List<String> agentText = new ArrayList<>();
        VoiceSession session = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId("speech-text").build())
                .transport(InMemoryTransport.builder(clock).script(user).build())
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, user).build())
                .tts(tts)
                .streamingAgent(FakeAgent.builder(clock).reply("**Total:** $42.50 today, thanks!").build())
                .speechText(SpeechText.defaults())
                .listener(new SessionListener() {
                    @Override
                    public void onAgentText(AgentText text) {
                        agentText.add(text.chunk());
                    }
                })
                .build();
        session.start();

        clock.advanceTo(Duration.ofSeconds(8));

        assertThat(tts.streams()).singleElement().satisfies(s ->
                assertThat(s.text()).isEqualTo("Total: forty-two dollars and fifty cents today, thanks!"));
        assertThat(String.join("", agentText)).isEqualTo("**Total:** $42.50 today, thanks!");
        assertThat(session.history()).containsExactly(
                new ConversationTurn(ConversationTurn.Role.USER, "how much is it", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "**Total:** $42.50 today, thanks!", false));
        session.stop();
    }
}
