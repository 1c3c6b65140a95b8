package io.parley.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.StateChange;
import io.parley.session.UserTranscript;
import io.parley.session.VoiceSession;
import io.parley.spi.ConversationTurn;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeVad;
import io.parley.testing.InMemoryTransport;
import io.parley.testing.UserScript;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole conversational turn through the real session engine with Deepgram live STT and Aura
 * TTS talking to the loopback fake. The engine runs on virtual time; the network does not, so
 * the test advances time phase by phase and waits (bounded) for the network between phases.
 */
class DeepgramVoiceSessionTest {

    private static final int RATE = 16_000;
    private static final int MS_PER_CHAR = 20;

    private FakeDeepgram fake;
    private final VirtualClock clock = new VirtualClock();
    private final List<String> states = new CopyOnWriteArrayList<>();
    private final List<String> userTurns = new CopyOnWriteArrayList<>();
    private final List<UserTranscript> transcripts = new CopyOnWriteArrayList<>();
    private final List<SessionException> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger ttsCompletions = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeDeepgram();
        fake.responder = new Simulator();
    }

    @AfterEach
    void tearDown() throws Exception {
        fake.close();
    }

    /**
     * Plays Deepgram: on /v1/listen it "hears" loud audio (an interim after 300 ms of it) and
     * answers Finalize with a from_finalize final and CloseStream with Metadata and a close;
     * on /v1/speak it answers each Flush with 20 ms of linear16 per character, then Flushed.
     */
    private static final class Simulator implements FakeDeepgram.Responder {
        private final Map<FakeDeepgram.Conn, long[]> listen = new HashMap<>();
        private final Map<FakeDeepgram.Conn, StringBuilder> speak = new HashMap<>();

        @Override
        public synchronized void onMessage(FakeDeepgram.Conn c, Object m) {
            if (c.request.getRequestUrl().encodedPath().equals("/v1/listen")) {
                onListen(c, m, listen.computeIfAbsent(c, k -> new long[3]));
            } else {
                onSpeak(c, m, speak.computeIfAbsent(c, k -> new StringBuilder()));
            }
        }

        /** state: [samples, loud samples, interim sent]. */
        private void onListen(FakeDeepgram.Conn c, Object m, long[] st) {
            if (m instanceof ByteString audio) {
                for (int i = 0; i + 1 < audio.size(); i += 2) {
                    short s = (short) ((audio.getByte(i + 1) << 8) | (audio.getByte(i) & 0xFF));
                    st[0]++;
                    if (Math.abs(s) > 1000) {
                        st[1]++;
                    }
                }
                if (st[2] == 0 && st[1] >= RATE * 3 / 10) {
                    st[2] = 1;
                    c.send(Samples.results(0, st[0] / (double) RATE, false, false, false, "what time", -1,
                            new Object[] {"what", 0.5, 0.7}, new Object[] {"time", 0.7, 0.9}));
                }
            } else if (DeepgramSttStream.FINALIZE.equals(m)) {
                c.send(Samples.results(0, st[0] / (double) RATE, true, false, true, "What time is it?", -1,
                        new Object[] {"what", 0.5, 0.7, "What"}, new Object[] {"time", 0.7, 0.9},
                        new Object[] {"is", 0.9, 1.1}, new Object[] {"it", 1.1, 1.4, "it?"}));
            } else if (DeepgramSttStream.CLOSE_STREAM.equals(m)) {
                c.send(Samples.METADATA_FULL);
                c.close(1000, null);
            }
        }

        private void onSpeak(FakeDeepgram.Conn c, Object m, StringBuilder text) {
            String s = (String) m;
            if (s.contains("\"Speak\"")) {
                text.append(s.replaceAll(".*\"text\":\"(.*)\"}$", "$1"));
            } else if (s.equals(DeepgramTtsStream.FLUSH)) {
                Buffer pcm = new Buffer();
                for (int i = 0; i < text.length() * RATE * MS_PER_CHAR / 1000; i++) {
                    pcm.writeShortLe(3000 + i % 100);
                }
                text.setLength(0);
                c.ws.send(pcm.readByteString());
                c.send("{\"type\":\"Flushed\",\"sequence_id\":0}");
            } else if (s.equals(DeepgramTtsStream.CLOSE)) {
                c.close(1000, null);
            }
        }
    }

    /** Counts completed replies so the test knows when synthesis is over. */
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
                    public void onAudio(io.parley.audio.AudioFrame frame) {
                        listener.onAudio(frame);
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

    @Test
    void oneTurnOverDeepgramSttAndAuraTts() throws Exception {
        UserScript user = new UserScript().say(500, 1000, "what time is it");
        InMemoryTransport transport = InMemoryTransport.builder(clock).script(user).build();
        DeepgramStt stt = DeepgramStt.builder().apiKey(FakeDeepgram.KEY).baseUrl(fake.baseUrl()).clock(clock).build();
        DeepgramTts tts = DeepgramTts.builder().apiKey(FakeDeepgram.KEY).baseUrl(fake.baseUrl()).clock(clock).build();
        FakeAgent agent = FakeAgent.builder(clock).reply("It is noon.").build();
        VoiceSession session = VoiceSession.builder().clock(clock)
                .config(SessionConfig.builder().sessionId("deepgram-turn").build())
                .transport(transport).vad(new FakeVad()).stt(stt).tts(counting(tts)).streamingAgent(agent)
                .listener(new SessionListener() {
                    @Override
                    public void onStateChanged(StateChange change) {
                        states.add(change.from() + "->" + change.to());
                    }

                    @Override
                    public void onUserTranscript(UserTranscript t) {
                        transcripts.add(t);
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
        session.start();

        // The user speaks from 0.5 s to 1.5 s. Deepgram's interim comes after 300 ms of speech; the
        // clock waits for it there, as it would for a recognizer that keeps up. Read later on the
        // clock, its words would show a recognizer behind its audio, and the session would rightly
        // wait longer before judging the turn (RecognizerLag).
        advanceTo(820);
        await("the interim transcript", () -> !transcripts.isEmpty());
        assertThat(transcripts.get(0).transcript().text()).isEqualTo("what time");
        advanceTo(1500);

        advanceTo(2100); // 500 ms of silence ends the turn: the session finalizes
        await("the final transcript", () -> !userTurns.isEmpty());
        assertThat(userTurns).containsExactly("What time is it?");

        advanceTo(2600); // the agent answers; Aura synthesizes
        await("the synthesized reply", () -> ttsCompletions.get() == 1);
        advanceTo(5000);

        assertThat(states).containsExactly("INITIAL->LISTENING", "LISTENING->PROCESSING", "PROCESSING->SPEAKING",
                "SPEAKING->LISTENING");
        assertThat(transport.sentDuration()).isEqualTo(Duration.ofMillis("It is noon.".length() * MS_PER_CHAR));
        assertThat(session.history()).containsExactly(
                new ConversationTurn(ConversationTurn.Role.USER, "What time is it?", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "It is noon.", false));
        session.close();
        assertThat(errors).isEmpty();
    }
}
