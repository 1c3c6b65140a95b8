package io.parley.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Word;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import okhttp3.HttpUrl;
import okio.Buffer;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeepgramSttTest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME_SAMPLES = 320; // 20 ms

    private FakeDeepgram fake;
    private VirtualClock clock;
    private RecordingSttListener listener;
    private SttStream stream;

    @BeforeEach
    void setUp() throws Exception {
        fake = new FakeDeepgram();
        clock = new VirtualClock();
        listener = new RecordingSttListener();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (stream != null) {
            stream.close();
            clock.advance(Duration.ofSeconds(10));
        }
        fake.close();
        assertThat(listener.overlapped).as("listener calls overlapped: %s", listener.overlap).isFalse();
    }

    private DeepgramStt.Builder builder() {
        return DeepgramStt.builder().apiKey(FakeDeepgram.KEY).baseUrl(fake.baseUrl()).clock(clock);
    }

    private static SttRequest request(Duration keepAlive) {
        return new SttRequest("s1", FORMAT, keepAlive, "");
    }

    /** Frame {@code n}: 20 ms whose samples encode n, so replays can be checked byte for byte. */
    private static AudioFrame frame(int n) {
        short[] s = new short[FRAME_SAMPLES];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (n * 7 + i);
        }
        return new AudioFrame(FORMAT, s, 0);
    }

    private static ByteString bytesOf(int fromFrame, int toFrame) {
        Buffer b = new Buffer();
        for (int n = fromFrame; n < toFrame; n++) {
            b.write(frame(n).toPcm16le());
        }
        return b.readByteString();
    }

    /**
     * Waits (bounded, real time) until socket threads have armed {@code n} timers on the virtual
     * clock. Reconnect tests turn keep-alive off so that the reconnect is the only timer.
     */
    private void awaitTimers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (clock.pendingTimers() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " timer(s), have " + clock.pendingTimers());
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** The only pending timer (the reconnect) fires exactly {@code delay} from now, not a tick earlier. */
    private void assertReconnectDueIn(Duration delay) {
        assertThat(clock.pendingTimers()).isEqualTo(1);
        clock.advance(delay.minusMillis(1));
        assertThat(clock.pendingTimers()).as("reconnect not yet due").isEqualTo(1);
        clock.advance(Duration.ofMillis(1)); // fires: the caller then observes the new dial's outcome
    }

    @Test
    void handshakeCarriesTokenAndEveryOption() throws Exception {
        DeepgramStt stt = builder().model("nova-3-medical").language("en-US").interimResults(true)
                .endpointing(Duration.ofMillis(300)).utteranceEnd(Duration.ofMillis(1000)).vadEvents(true)
                .punctuate(true).smartFormat(true).diarize(true).keyterm("Parley").keyterm("Deepgram")
                .keyword("octopus", 2.0).redact("pci").redact("ssn").queryParameter("tag", "t1").build();
        stream = stt.open(new SttRequest("s1", new AudioFormat(8000, 2), Duration.ofSeconds(5), ""), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        HttpUrl url = conn.request.getRequestUrl();
        assertThat(url.encodedPath()).isEqualTo("/v1/listen");
        assertThat(conn.request.getHeader("Authorization")).isEqualTo("Token test-key");
        assertThat(url.queryParameter("model")).isEqualTo("nova-3-medical");
        assertThat(url.queryParameter("language")).isEqualTo("en-US");
        assertThat(url.queryParameter("encoding")).isEqualTo("linear16");
        assertThat(url.queryParameter("sample_rate")).isEqualTo("8000");
        assertThat(url.queryParameter("channels")).isEqualTo("2");
        assertThat(url.queryParameter("interim_results")).isEqualTo("true");
        assertThat(url.queryParameter("endpointing")).isEqualTo("300");
        assertThat(url.queryParameter("utterance_end_ms")).isEqualTo("1000");
        assertThat(url.queryParameter("vad_events")).isEqualTo("true");
        assertThat(url.queryParameter("punctuate")).isEqualTo("true");
        assertThat(url.queryParameter("smart_format")).isEqualTo("true");
        assertThat(url.queryParameter("diarize")).isEqualTo("true");
        assertThat(url.queryParameterValues("keyterm")).containsExactly("Parley", "Deepgram");
        assertThat(url.queryParameterValues("keywords")).containsExactly("octopus:2.0");
        assertThat(url.queryParameterValues("redact")).containsExactly("pci", "ssn");
        assertThat(url.queryParameter("tag")).isEqualTo("t1");
    }

    @Test
    void sessionLanguageOverridesBuilderAndEndpointingCanBeDisabled() throws Exception {
        stream = builder().language("en").disableEndpointing().build()
                .open(new SttRequest("s1", FORMAT, Duration.ofSeconds(5), "de"), listener);
        HttpUrl url = fake.nextConnection().request.getRequestUrl();
        assertThat(url.queryParameter("language")).isEqualTo("de");
        assertThat(url.queryParameter("endpointing")).isEqualTo("false");
    }

    @Test
    void builderValidatesItsInput() {
        assertThatThrownBy(() -> DeepgramStt.builder().apiKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeepgramStt.builder().baseUrl("ftp:/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeepgramStt.builder().endpointing(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeepgramStt.builder().queryParameter("model", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeepgramStt.builder().reconnect(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeepgramStt.builder().apiKey("k").interimResults(false).utteranceEnd(Duration.ofSeconds(1)).build())
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG));
    }

    @Test
    void badKeyIsANonRetryableAuthErrorCarryingDeepgramsCodeAndMessage() {
        DeepgramStt stt = DeepgramStt.builder().apiKey("wrong").baseUrl(fake.baseUrl()).clock(clock).build();
        assertThatThrownBy(() -> stt.open(request(Duration.ofSeconds(5)), listener))
                .isInstanceOfSatisfying(SessionException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_AUTH);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("HTTP 401", "INVALID_AUTH", "Invalid credentials.",
                            "0b3f1b5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400|INVALID_QUERY_PARAMETER|Failed to deserialize query parameters: language|PROVIDER_BAD_REQUEST|false",
            "402|ASR_PAYMENT_REQUIRED|Project does not have enough credits.|PROVIDER_AUTH|false",
            "403|INSUFFICIENT_PERMISSIONS|Project does not have access to the requested model.|PROVIDER_AUTH|false",
            "429|TOO_MANY_REQUESTS|Too many requests. Please try again later|PROVIDER_RATE_LIMITED|true",
            "503|Service Unavailable|Please try again later|PROVIDER_CONNECTION|true",
    })
    void handshakeFailuresMapToTypedErrors(int status, String errCode, String errMsg, ErrorCode code, boolean retryable) {
        fake.failNextHandshake(status, errCode, errMsg);
        assertThatThrownBy(() -> builder().build().open(request(Duration.ofSeconds(5)), listener))
                .isInstanceOfSatisfying(SessionException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.retryable()).isEqualTo(retryable);
                    assertThat(e.getMessage()).contains("HTTP " + status, errCode, errMsg);
                });
    }

    @Test
    void mapsEveryServerMessageTypeAndIgnoresUnknownOnes() throws Exception {
        stream = builder().diarize(true).build().open(request(Duration.ofSeconds(5)), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        conn.send(Samples.SPEECH_STARTED);
        conn.send(Samples.results(5.99, 0.5, false, false, false, "tell me", -1,
                new Object[] {"tell", 6.07, 6.35}, new Object[] {"me", 6.35, 6.63}));
        conn.send("{\"type\":\"Warning\",\"warn_code\":\"SOMETHING_NEW\",\"warn_msg\":\"from the future\"}");
        conn.send(Samples.RESULTS_FINAL);
        conn.send(Samples.results(15.0, 0.5, true, false, false, "hello", 0, new Object[] {"hello", 15.259043, 15.338787}));
        conn.send(Samples.UTTERANCE_END);
        conn.send(Samples.EMPTY_FINAL);
        conn.send(Samples.METADATA_FULL);

        assertThat(listener.next()).isEqualTo(RecordingSttListener.SPEECH_STARTED);
        Transcript interim = listener.nextTranscript();
        assertThat(interim.isFinal()).isFalse();
        assertThat(interim.text()).isEqualTo("tell me");

        Transcript fin = listener.nextTranscript();
        assertThat(fin.text()).isEqualTo("Tell me more about this.");
        assertThat(fin.isFinal()).isTrue();
        assertThat(fin.speechFinal()).isTrue();
        assertThat(fin.confidence()).isEqualTo(0.99964225);
        assertThat(fin.words()).extracting(Word::text).containsExactly("Tell", "me");
        assertThat(fin.words().get(0).start()).isEqualTo(Duration.ofNanos(6_069_999_700L));
        assertThat(fin.words().get(0).end()).isEqualTo(Duration.ofNanos(6_349_999_400L));
        assertThat(fin.words().get(0).speaker()).isEqualTo(-1);

        Transcript diarized = listener.nextTranscript();
        assertThat(diarized.speechFinal()).isFalse();
        assertThat(diarized.words()).singleElement().satisfies(w -> assertThat(w.speaker()).isZero());

        assertThat(listener.next()).isEqualTo(RecordingSttListener.UTTERANCE_END);
        Transcript empty = listener.nextTranscript();
        assertThat(empty.text()).isEmpty();
        assertThat(empty.speechFinal()).isTrue();
        assertThat(listener.events).isEmpty();
    }

    @Test
    void streamsAudioAsBinaryFramesAndNeverSendsAnEmptyOne() throws Exception {
        stream = builder().build().open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        stream.write(frame(0));
        stream.write(new AudioFrame(FORMAT, new short[FRAME_SAMPLES], 0, 0));
        stream.write(frame(1));
        stream.finalizeUtterance();
        assertThat(conn.next()).isEqualTo(bytesOf(0, 1));
        assertThat(conn.next()).isEqualTo(bytesOf(1, 2));
        assertThat(conn.next()).isEqualTo(DeepgramSttStream.FINALIZE);
        assertThatThrownBy(() -> stream.write(AudioFrame.allocate(AudioFormat.PCM_8K_MONO, 160).setLength(160)))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AUDIO));
    }

    @Test
    void finalizeYieldsASpeechFinalResultEvenWithoutEndpointing() throws Exception {
        stream = builder().build().open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        for (int i = 0; i < 10; i++) {
            stream.write(frame(i));
        }
        stream.finalizeUtterance();
        assertThat(conn.nextText(new Buffer())).isEqualTo("{\"type\":\"Finalize\"}");
        conn.send(Samples.results(0.0, 0.2, true, false, true, "hi", -1, new Object[] {"hi", 0.02, 0.15}));
        Transcript t = listener.nextTranscript();
        assertThat(t.isFinal()).isTrue();
        assertThat(t.speechFinal()).isTrue();
    }

    @Test
    void closeSendsCloseStreamAndDeliversTheLastResultsBeforeTheServerCloses() throws Exception {
        stream = builder().build().open(request(Duration.ofSeconds(5)), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        stream.write(frame(0));
        stream.close();
        assertThat(conn.nextText(new Buffer())).isEqualTo("{\"type\":\"CloseStream\"}");
        assertThatThrownBy(() -> stream.write(frame(1)))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE));
        conn.send(Samples.results(0.0, 0.02, true, true, false, "bye", -1, new Object[] {"bye", 0.0, 0.02}));
        conn.send(Samples.METADATA_FULL);
        conn.close(1000, null);
        assertThat(listener.nextTranscript().text()).isEqualTo("bye");
        assertThat(conn.closedBy.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("client:1000");
        clock.advance(Duration.ofSeconds(10));
        assertThat(listener.events).isEmpty();
        stream.close();
    }

    @Test
    void closeReportsATimeoutWhenDeepgramNeverCloses() throws Exception {
        stream = builder().closeTimeout(Duration.ofSeconds(3)).build().open(request(Duration.ofSeconds(5)), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        stream.close();
        assertThat(conn.nextText(null)).isEqualTo(DeepgramSttStream.CLOSE_STREAM);
        clock.advance(Duration.ofMillis(2999));
        assertThat(listener.events).isEmpty();
        clock.advance(Duration.ofMillis(1));
        SessionException e = listener.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(e.getMessage()).contains("CloseStream");
    }

    @Test
    void keepAliveIsATextFrameSentOnlyAfterAFullIntervalWithoutAudio() throws Exception {
        stream = builder().build().open(request(Duration.ofSeconds(4)), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        clock.advance(Duration.ofMillis(3990));
        stream.write(frame(0)); // audio at t=3.99 s postpones the keep-alive to t=7.99 s
        assertThat(conn.next()).isEqualTo(bytesOf(0, 1));
        clock.advance(Duration.ofMillis(3990)); // t=7.98
        stream.write(frame(1));
        assertThat(conn.next()).as("no keep-alive while audio flows").isEqualTo(bytesOf(1, 2));
        clock.advance(Duration.ofSeconds(4)); // t=11.98: idle for 4 s
        assertThat(conn.next()).isEqualTo("{\"type\":\"KeepAlive\"}");
        clock.advance(Duration.ofSeconds(4));
        assertThat(conn.next()).isEqualTo(DeepgramSttStream.KEEP_ALIVE);
        clock.advance(Duration.ofSeconds(3));
        stream.write(frame(2));
        assertThat(conn.next()).isEqualTo(bytesOf(2, 3));
    }

    @Test
    void keepAliveNeverWaitsLongerThanDeepgramsIdleTimeoutAllows() throws Exception {
        stream = builder().build().open(request(Duration.ofSeconds(30)), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        clock.advance(Duration.ofMillis(7999));
        stream.write(frame(0));
        assertThat(conn.next()).isEqualTo(bytesOf(0, 1));
        clock.advance(Duration.ofSeconds(8));
        assertThat(conn.next()).as("8 s, not 30 s: NET-0001 closes after 10 s").isEqualTo(DeepgramSttStream.KEEP_ALIVE);
    }

    @Test
    void keepAliveCanBeDisabled() throws Exception {
        stream = builder().build().open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        clock.advance(Duration.ofSeconds(60));
        stream.write(frame(0));
        assertThat(conn.next()).isEqualTo(bytesOf(0, 1));
    }

    @Test
    void reconnectsAfterNet0001ReplaysUnfinalizedAudioAndKeepsTimesMonotonic() throws Exception {
        stream = builder().reconnect(3, Duration.ofMillis(250), Duration.ofSeconds(2)).build()
                .open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn first = fake.nextConnection();
        for (int i = 0; i < 50; i++) { // 1 s of audio
            stream.write(frame(i));
        }
        assertThat(first.readAudio(50L * FRAME_SAMPLES * 2)).isEqualTo(bytesOf(0, 50));
        // Deepgram finalized the first 0.41 s (mid-frame 20) and had an interim for the rest.
        first.send(Samples.results(0.0, 0.41, true, false, false, "one two", -1,
                new Object[] {"one", 0.05, 0.2}, new Object[] {"two", 0.22, 0.4}));
        first.send(Samples.results(0.41, 0.5, false, false, false, "three", -1, new Object[] {"three", 0.5, 0.8}));
        assertThat(listener.nextTranscript().text()).isEqualTo("one two");
        assertThat(listener.nextTranscript().text()).isEqualTo("three");
        stream.finalizeUtterance();
        assertThat(first.next()).isEqualTo(DeepgramSttStream.FINALIZE);
        first.send(Samples.METADATA_FULL);
        first.close(1011, Samples.NET_0001);

        awaitTimers(1);
        for (int i = 50; i < 55; i++) { // audio written while disconnected is kept, not dropped
            stream.write(frame(i));
        }
        assertReconnectDueIn(Duration.ofMillis(250));
        FakeDeepgram.Conn second = fake.nextConnection();
        int replayBytesFromFrame20 = (int) ((0.41 * 16000) - 20 * FRAME_SAMPLES) * 2;
        ByteString expected = bytesOf(20, 55).substring(replayBytesFromFrame20);
        assertThat(second.readAudio(expected.size())).isEqualTo(expected);
        assertThat(second.next()).as("the pending Finalize is repeated").isEqualTo(DeepgramSttStream.FINALIZE);
        assertThat(listener.events).as("a transient drop is not an error").isEmpty();

        // The new connection's clock restarts at 0 = absolute 0.41 s.
        second.send(Samples.results(0.0, 0.69, true, false, true, "three four", -1,
                new Object[] {"three", 0.09, 0.39}, new Object[] {"four", 0.4, 0.6}));
        Transcript t = listener.nextTranscript();
        assertThat(t.text()).isEqualTo("three four");
        assertThat(t.speechFinal()).as("from_finalize closes the utterance").isTrue();
        assertThat(t.words().get(0).start()).isEqualTo(Duration.ofMillis(500));
        assertThat(t.words().get(1).end()).isEqualTo(Duration.ofMillis(1010));

        stream.write(frame(55));
        assertThat(second.next()).isEqualTo(bytesOf(55, 56));
    }

    @Test
    void reconnectsAfterAnAbruptDropAndBacksOffExponentiallyThroughServerErrors() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(fake.server.getPort())) {
            dropAndReconnect(proxy);
        }
    }

    private void dropAndReconnect(DroppingProxy proxy) throws Exception {
        stream = builder().baseUrl(proxy.baseUrl()).reconnect(4, Duration.ofMillis(100), Duration.ofMillis(300)).build()
                .open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn first = fake.nextConnection();
        stream.write(frame(0));
        assertThat(first.next()).isEqualTo(bytesOf(0, 1));
        fake.failNextHandshake(503, "Service Unavailable", "Please try again later");
        fake.failNextHandshake(429, "TOO_MANY_REQUESTS", "Too many requests. Please try again later");
        proxy.cutAll(); // the TCP connection vanishes: no close frame, the client sees 1006

        awaitTimers(1);
        assertReconnectDueIn(Duration.ofMillis(100)); // attempt 1 -> 503
        awaitTimers(1);
        assertReconnectDueIn(Duration.ofMillis(200)); // attempt 2 -> 429
        awaitTimers(1);
        assertReconnectDueIn(Duration.ofMillis(300)); // attempt 3, capped at maxDelay -> accepted
        FakeDeepgram.Conn second = fake.nextConnection();
        assertThat(second.next()).isEqualTo(bytesOf(0, 1));
        assertThat(listener.events).isEmpty();
    }

    @Test
    void givesUpAfterTheLastReconnectAttemptWithARetryableError() throws Exception {
        stream = builder().reconnect(2, Duration.ofMillis(100), Duration.ofMillis(100)).build()
                .open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn first = fake.nextConnection();
        fake.failNextHandshake(503, "Service Unavailable", "Please try again later");
        fake.failNextHandshake(503, "Service Unavailable", "Please try again later");
        first.close(1011, Samples.NET_0000);
        for (int i = 0; i < 2; i++) {
            awaitTimers(1);
            assertReconnectDueIn(Duration.ofMillis(100));
        }
        SessionException e = listener.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_CONNECTION);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("gave up", "503");
        assertThatThrownBy(() -> stream.write(frame(0))).isInstanceOf(SessionException.class);
    }

    @Test
    void closeDuringAReconnectStillFlushesTheReplayedAudio() throws Exception {
        stream = builder().build().open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn first = fake.nextConnection();
        for (int i = 0; i < 5; i++) {
            stream.write(frame(i));
        }
        first.readAudio(5L * FRAME_SAMPLES * 2);
        first.close(1011, Samples.NET_0000);
        awaitTimers(1);
        stream.close(); // the user hangs up while the socket is down
        clock.advance(Duration.ofMillis(250));
        FakeDeepgram.Conn second = fake.nextConnection();
        assertThat(second.readAudio(5L * FRAME_SAMPLES * 2)).isEqualTo(bytesOf(0, 5));
        assertThat(second.next()).isEqualTo(DeepgramSttStream.CLOSE_STREAM);
        second.send(Samples.results(0.0, 0.1, true, true, false, "last words", -1, new Object[] {"last", 0.0, 0.05},
                new Object[] {"words", 0.05, 0.1}));
        second.send(Samples.METADATA_FULL);
        second.close(1000, null);
        assertThat(listener.nextTranscript().text()).isEqualTo("last words");
        assertThat(second.closedBy.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("client:1000");
        clock.advance(Duration.ofSeconds(10));
        assertThat(listener.events).isEmpty();
    }

    @Test
    void reconnectRefusedForCredentialsIsFatal() throws Exception {
        stream = builder().build().open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn first = fake.nextConnection();
        fake.failNextHandshake(401, "INVALID_AUTH", "Invalid credentials.");
        first.close(1011, Samples.NET_0000);
        awaitTimers(1);
        assertReconnectDueIn(Duration.ofMillis(250));
        SessionException e = listener.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_AUTH);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("INVALID_AUTH");
    }

    @Test
    void undecodableAudioCloseIsANonRetryableBadRequest() throws Exception {
        stream = builder().build().open(request(Duration.ofSeconds(5)), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        conn.send(Samples.METADATA_EMPTY);
        conn.close(1008, "DATA-0000");
        SessionException e = listener.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_BAD_REQUEST);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("1008", "DATA-0000");
        assertThat(clock.pendingTimers()).as("no reconnect scheduled").isZero();
    }

    @Test
    void messagesWithoutATypeAreSkippedAndTheStreamKeepsItsReplayAudio() throws Exception {
        stream = builder().reconnect(3, Duration.ofMillis(250), Duration.ofSeconds(2)).build()
                .open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn first = fake.nextConnection();
        for (int i = 0; i < 10; i++) {
            stream.write(frame(i));
        }
        assertThat(first.readAudio(10L * FRAME_SAMPLES * 2)).isEqualTo(bytesOf(0, 10));
        first.send("{\"channel\":{\"alternatives\":[{\"transcript\":\"ghost\"}]}}");
        first.send("{\"type\":null}");
        first.send(Samples.results(0.0, 0.2, false, false, false, "still here", -1, new Object[] {"still", 0.0, 0.1}));
        assertThat(listener.nextTranscript().text()).as("results after the odd messages still arrive").isEqualTo("still here");
        assertThat(((DeepgramSttStream) stream).untypedMessages()).isEqualTo(2);
        assertThat(listener.events).as("no error for a message without a type").isEmpty();

        first.close(1011, Samples.NET_0001);
        awaitTimers(1);
        assertReconnectDueIn(Duration.ofMillis(250));
        FakeDeepgram.Conn second = fake.nextConnection();
        assertThat(second.readAudio(10L * FRAME_SAMPLES * 2)).as("the replay buffer survived").isEqualTo(bytesOf(0, 10));
    }

    @Test
    void anErrorMessageIsATypedError() throws Exception {
        stream = builder().build().open(request(Duration.ZERO), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        conn.send("{\"type\":\"Error\",\"description\":\"Internal server error\",\"message\":\"try again\",\"variant\":\"NET-0000\"}");
        SessionException e = listener.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.STT_ERROR);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("Internal server error", "try again", "NET-0000");
    }

    @Test
    void anErrorMessageAboutCredentialsIsFatal() throws Exception {
        stream = builder().build().open(request(Duration.ZERO), listener);
        fake.nextConnection().send("{\"type\":\"Error\",\"description\":\"Invalid credentials\",\"message\":\"bad api key\"}");
        SessionException e = listener.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_AUTH);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void malformedServerJsonIsAProtocolError() throws Exception {
        stream = builder().build().open(request(Duration.ofSeconds(5)), listener);
        FakeDeepgram.Conn conn = fake.nextConnection();
        conn.send("{\"type\":\"Results\",\"channel\":");
        SessionException e = listener.nextError();
        assertThat(e.code()).isEqualTo(ErrorCode.PROVIDER_PROTOCOL);
        assertThat(conn.closedBy.poll(10, java.util.concurrent.TimeUnit.SECONDS)).startsWith("failure:");
    }

    @Test
    void transcriptMappingPrefersPunctuatedWords() {
        var r = new io.parley.providers.deepgram.wire.ListenEventParser().parse(Samples.RESULTS_FINAL);
        Transcript t = DeepgramSttStream.toTranscript((io.parley.providers.deepgram.wire.ListenEvent.Results) r, 1_000_000_000L);
        assertThat(t.words()).extracting(Word::text).isEqualTo(List.of("Tell", "me"));
        assertThat(t.words().get(0).start()).isEqualTo(Duration.ofNanos(7_069_999_700L));
        // start 5.99 s + duration 1.98 s, after the second of audio before this connection.
        assertThat(t.audioEndNanos()).isEqualTo(8_970_000_000L);
    }
}
