package io.parley.agent.langchain4j;

import static io.parley.agent.langchain4j.FakeOpenAi.chunk;
import static io.parley.agent.langchain4j.FakeOpenAi.sse;
import static io.parley.agent.langchain4j.FakeOpenAi.textEvents;
import static io.parley.agent.langchain4j.TestTurn.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.ErrorCode;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.SessionState;
import io.parley.session.SpeechHandle;
import io.parley.session.VoiceSession;
import io.parley.spi.ConversationTurn;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real-time session on real threads talking to the fake OpenAI-compatible server. */
class LlmAgentRealThreadsTest {

    private FakeOpenAi api;
    private VoiceSession session;
    private FakeTts tts;
    private LlmAgent agent;
    private final List<SessionException> errors = new CopyOnWriteArrayList<>();
    private final List<PlaybackEvent> playbacks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = new FakeOpenAi();
        Clock clock = Clock.system();
        UserScript nobody = new UserScript();
        tts = FakeTts.builder(clock).build();
        agent = LlmAgent.builder().model(api.model(Duration.ofSeconds(5))).instructions("Be brief.").build();
        session = VoiceSession.builder()
                .config(SessionConfig.builder().sessionId("real").build())
                .transport(InMemoryTransport.builder(clock).script(nobody).build())
                .vad(new FakeVad())
                .stt(FakeStt.builder(clock, nobody).build())
                .tts(tts)
                .streamingAgent(agent)
                .listener(new SessionListener() {
                    @Override
                    public void onError(SessionException error) {
                        errors.add(error);
                    }

                    @Override
                    public void onPlayback(PlaybackEvent event) {
                        playbacks.add(event);
                    }
                })
                .build();
        session.start();
    }

    @AfterEach
    void stop() throws Exception {
        session.stop();
        api.close();
    }

    @Test
    void aModelErrorIsATypedAgentErrorAndTheSessionKeepsListening() throws Exception {
        api.enqueue(FakeOpenAi.error(429, "rate_limit_exceeded", "rate_limit_exceeded", "Rate limit reached"));
        api.enqueue(sse(textEvents(20, "Back", " again.")));

        SpeechHandle failed = session.respond("Hello?");
        assertThat(failed.text()).failsWithin(Duration.ofSeconds(10));
        waitFor(() -> !errors.isEmpty(), Duration.ofSeconds(5));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AGENT_ERROR);
            assertThat(e).hasCauseInstanceOf(LlmException.class);
            assertThat(((LlmException) e.getCause()).reason()).isEqualTo(LlmException.Reason.RATE_LIMITED);
        });
        waitFor(() -> session.state() == SessionState.LISTENING, Duration.ofSeconds(5));

        SpeechHandle next = session.respond("Hello again?");
        assertThat(next.text().get(10, TimeUnit.SECONDS)).isEqualTo("Back again.");
        next.awaitPlayout(Duration.ofSeconds(10));
        assertThat(tts.streams()).last().satisfies(s -> assertThat(s.text()).isEqualTo("Back again."));
        waitFor(() -> session.state() == SessionState.LISTENING, Duration.ofSeconds(5));
    }

    @Test
    void anInterruptionClosesTheStreamAndTheNextRequestHoldsOnlyTheHeardWords() throws Exception {
        List<String> events = new ArrayList<>(List.of(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)));
        for (int i = 0; i < 300; i++) {
            events.add(chunk("{\"content\":\"" + (i == 0 ? "" : " ") + "word" + i + "\"}", null));
        }
        events.add(chunk("{}", "stop"));
        api.enqueue(sse(events).throttleBody(events.get(1).length() + 8, 40, TimeUnit.MILLISECONDS));
        api.enqueue(sse(textEvents(20, "Okay.")));

        session.respond("Count for me");
        waitFor(() -> playbacks.stream().anyMatch(p -> p.kind() == PlaybackEvent.Kind.STARTED), Duration.ofSeconds(10));
        waitFor(() -> tts.streams().get(0).text().contains("word40 "), Duration.ofSeconds(20));
        session.interrupt();

        waitFor(() -> api.brokenWrites.get() > 0, Duration.ofSeconds(5));
        waitFor(() -> playbacks.stream().anyMatch(p -> p.kind() == PlaybackEvent.Kind.INTERRUPTED), Duration.ofSeconds(5));
        waitFor(() -> session.history().size() == 2, Duration.ofSeconds(5));
        ConversationTurn heard = session.history().get(1);
        assertThat(heard.interrupted()).isTrue();
        assertThat(heard.text()).startsWith("word0");
        assertThat(heard.text().split(" ").length).isLessThan(300);

        SpeechHandle next = session.respond("Stop counting");
        assertThat(next.text().get(10, TimeUnit.SECONDS)).isEqualTo("Okay.");
        api.takeBody();
        String second = api.takeBody();
        assertThat(second).contains("\"content\" : \"" + heard.text() + "\"");
        String lastHeardWord = heard.text().substring(heard.text().lastIndexOf(' ') + 1);
        int n = Integer.parseInt(lastHeardWord.substring(4));
        assertThat(second).doesNotContain("word" + (n + 1) + " ").doesNotContain("word" + (n + 1) + "\"");
        assertThat(errors).isEmpty();
    }
}
