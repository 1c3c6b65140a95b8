package io.parley.providers.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import io.parley.session.VoiceSession;
import io.parley.spi.ConversationTurn;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.spi.WordTiming;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole turns through the real session engine with ElevenLabs multi-context TTS talking to the
 * loopback fake (recognition by the test kit's scripted FakeStt). The engine runs on virtual
 * time; the network does not, so the test waits (bounded) for synthesis between phases.
 */
class ElevenLabsVoiceSessionTest {

    private static final String LONG_REPLY = "One two three four five six seven eight nine ten.";

    private FakeElevenLabs fake;
    private final VirtualClock clock = new VirtualClock();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private final List<String> userTurns = new CopyOnWriteArrayList<>();
    private final List<SessionException> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger ttsCompletions = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeElevenLabs();
    }

    @AfterEach
    void tearDown() throws Exception {
        fake.close();
    }

    private TtsProvider counting(TtsProvider tts) {
        return new TtsProvider() {
            @Override
            public String name() {
                return tts.name();
            }

            @Override
            public TtsStream open(TtsRequest request, TtsListener listener) {
                return tts.open(request, new TtsListener() {
                    @Override
                    public void onAudio(AudioFrame frame) {
                        listener.onAudio(frame);
                    }

                    @Override
                    public void onWordTimings(List<WordTiming> timings) {
                        listener.onWordTimings(timings);
                    }

                    @Override
                    public void onComplete() {
                        listener.onComplete();
                        ttsCompletions.incrementAndGet();
                    }

                    @Override
                    public void onError(SessionException error) {
                        listener.onError(error);
                    }
                });
            }
        };
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private void advanceTo(long ms) {
        while (clock.elapsed().toMillis() < ms) {
            clock.advance(Duration.ofMillis(20));
        }
    }

    private VoiceSession session(UserScript user, InMemoryTransport transport, ElevenLabsTts tts, FakeAgent agent) {
        return VoiceSession.builder().clock(clock).config(SessionConfig.builder().sessionId("elevenlabs-turn").build())
                .transport(transport).vad(new FakeVad()).stt(FakeStt.builder(clock, user).build()).tts(counting(tts))
                .streamingAgent(agent)
                .listener(new SessionListener() {
                    @Override
                    public void onStateChanged(StateChange change) {
                        states.add(change.from() + "->" + change.to());
                    }

                    @Override
                    public void onUserTurn(long turnId, String text) {
                        userTurns.add(text);
                    }

                    @Override
                    public void onError(SessionException error) {
                        errors.add(error);
                    }
                }).build();
    }

    private ElevenLabsTts tts() {
        return ElevenLabsTts.builder().apiKey(FakeElevenLabs.KEY).baseUrl(fake.baseUrl()).clock(clock).voiceId("voice-1")
                .mode(ElevenLabsTts.Mode.MULTI_CONTEXT).build();
    }

    @Test
    void oneTurnSpokenThroughElevenLabs() throws Exception {
        UserScript user = new UserScript().say(500, 1000, "what time is it");
        InMemoryTransport transport = InMemoryTransport.builder(clock).script(user).build();
        try (ElevenLabsTts tts = tts()) {
            VoiceSession session = session(user, transport, tts, FakeAgent.builder(clock).reply("It is noon.").build());
            session.start();
            advanceTo(2600);
            await("the synthesized reply", () -> ttsCompletions.get() == 1);
            advanceTo(5000);
            assertThat(userTurns).containsExactly("what time is it");
            assertThat(states).containsExactly("INITIAL->LISTENING", "LISTENING->PROCESSING", "PROCESSING->SPEAKING",
                    "SPEAKING->LISTENING");
            // The fake speaks every character sent, including the space that ends the last piece.
            assertThat(transport.sentDuration()).isEqualTo(Duration.ofMillis("It is noon. ".length() * FakeElevenLabs.CHAR_MS));
            assertThat(session.history()).containsExactly(
                    new ConversationTurn(ConversationTurn.Role.USER, "what time is it", false),
                    new ConversationTurn(ConversationTurn.Role.AGENT, "It is noon.", false));
            session.close();
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void bargeInCutsTheReplyToTheWordsHeardAndTheNextReplyReusesTheSocket() throws Exception {
        UserScript user = new UserScript().say(500, 1000, "count to ten").say(2900, 800, "stop please");
        InMemoryTransport transport = InMemoryTransport.builder(clock).script(user).build();
        FakeAgent agent = FakeAgent.builder(clock).reply(t -> t.contains("stop") ? "Okay." : LONG_REPLY).build();
        try (ElevenLabsTts tts = tts()) {
            VoiceSession session = session(user, transport, tts, agent);
            session.start();
            advanceTo(2600);
            await("the first reply", () -> ttsCompletions.get() == 1);
            advanceTo(5000); // "stop please" ends at 3.7 s, the turn at 4.2 s, the agent answers 200 ms later
            await("the second reply", () -> ttsCompletions.get() == 2);
            advanceTo(7000);

            assertThat(userTurns).containsExactly("count to ten", "stop please");
            List<ConversationTurn> history = session.history();
            assertThat(history).hasSize(4);
            ConversationTurn cut = history.get(1);
            assertThat(cut.interrupted()).isTrue();
            // Word timings from ElevenLabs' alignment tell the session exactly which words were heard.
            assertThat(cut.text()).isNotEmpty().isNotEqualTo(LONG_REPLY);
            assertThat(LONG_REPLY).startsWith(cut.text());
            assertThat(history.get(3)).isEqualTo(new ConversationTurn(ConversationTurn.Role.AGENT, "Okay.", false));
            assertThat(fake.connections).as("both replies on the first socket").hasSize(1);
            session.close();
        }
        assertThat(errors).isEmpty();
    }
}
