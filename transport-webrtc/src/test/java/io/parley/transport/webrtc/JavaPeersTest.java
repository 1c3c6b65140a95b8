package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Java peers in one JVM, connected through the WHIP server over real WebRTC (host
 * candidates on the machine's own non-loopback address), exchanging tones.
 */
class JavaPeersTest {

    private static final String TOKEN = "test-token";
    private static final double AMPLITUDE = 0.3;
    private static final double TONE_RMS = AMPLITUDE / Math.sqrt(2);
    private static final int WINDOW_16K = 320;

    private static WebRtcEngine engine;
    private static WhipServer server;
    private static volatile CompletableFuture<WebRtcTransport> serverSide = new CompletableFuture<>();
    private WebRtcTransport client;

    @BeforeAll
    static void startEngine() {
        assumeThat(Network.hasNonLoopbackInterface()).as(Network.NO_INTERFACE).isTrue();
        engine = WebRtcEngine.start(WebRtcConfig.defaults());
        WhipHandler whip = WhipHandler.builder()
                .engine(engine)
                .bearerToken(TOKEN)
                .onSession(t -> serverSide.complete(t))
                .build();
        server = WhipServer.builder().whip(whip).start();
    }

    @AfterAll
    static void stopEngine() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void closeClient() {
        if (client != null) {
            client.close();
        }
        serverSide = new CompletableFuture<>();
    }

    private WebRtcTransport connect(TransportSettings settings) throws Exception {
        client = new WhipClient(engine, TOKEN).connect(server.whipUri(), settings);
        return serverSide.get(10, TimeUnit.SECONDS);
    }

    @Test
    void tonesArriveAtTheRightFrequencyAndLevelBothWays() throws Exception {
        WebRtcTransport agent = connect(TransportSettings.defaults());
        Recorder atAgent = new Recorder();
        Recorder atClient = new Recorder();
        agent.start(atAgent);
        client.start(atClient);
        agent.send(Tone.sine(AudioFormat.PCM_16K_MONO, 440, AMPLITUDE, 3_000));
        client.send(Tone.sine(AudioFormat.PCM_16K_MONO, 1000, AMPLITUDE, 3_000));

        assertThat(client.awaitConnected(Duration.ofSeconds(10))).isTrue();
        assertThat(atClient.await(r -> toneComplete(r), 20)).as("client heard the whole 440 Hz tone").isTrue();
        assertThat(atAgent.await(r -> toneComplete(r), 20)).as("agent heard the whole 1000 Hz tone").isTrue();

        assertTone(atClient.snapshot(), 440);
        assertTone(atAgent.snapshot(), 1000);
        // A stall in the sender (a loaded machine) reaches the other side as a gap, which can
        // look like the tone's end while the sender is still playing it: wait for the count.
        awaitPlayed(agent, 48_000);
        awaitPlayed(client, 48_000);
        assertThat(agent.playedSamples()).isEqualTo(48_000);
        assertThat(client.playedSamples()).isEqualTo(48_000);
        assertThat(atAgent.audioThread().getName()).startsWith("parley-webrtc-");
        assertThat(atClient.connected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(atAgent.errors).isEmpty();
        assertThat(agent.stats().droppedChunks()).isZero();

        // Closing the client deletes its WHIP resource, which ends the server side too.
        client.close();
        assertThat(atAgent.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(atAgent.disconnectReasons).contains("the client ended the WHIP session");
        assertThat(server.whipHandler().sessionCount()).isZero();
    }

    /** Loud audio started, lasted at least 2.5 s, then went quiet again. */
    private static void awaitPlayed(WebRtcTransport t, long samples) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.playedSamples() < samples && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static boolean toneComplete(Recorder r) {
        int start = r.firstLoud(0, WINDOW_16K, TONE_RMS / 4);
        return start >= 0 && r.firstQuiet(start + 40 * WINDOW_16K, WINDOW_16K, TONE_RMS / 20) > start;
    }

    private static void assertTone(short[] s, double hz) {
        int start = findStart(s);
        // Skip the first half second (Opus and the jitter buffer settling), measure one second.
        int from = start + 8_000;
        int to = from + 16_000;
        System.out.printf("tone %.0f Hz: measured %.2f Hz, purity %.5f, level %.2f dB%n", hz, Tone.frequency(s, from, to, 16_000),
                Tone.purity(s, from, to, 16_000, hz), 20 * Math.log10(Tone.rms(s, from, to) / TONE_RMS));
        assertThat(Tone.frequency(s, from, to, 16_000)).isCloseTo(hz, org.assertj.core.data.Offset.offset(0.5));
        assertThat(Tone.purity(s, from, to, 16_000, hz)).isGreaterThan(0.99);
        double db = 20 * Math.log10(Tone.rms(s, from, to) / TONE_RMS);
        assertThat(db).as("level relative to what was sent, dB").isBetween(-2.0, 2.0);
    }

    private static int findStart(short[] s) {
        for (int i = 0; i + WINDOW_16K <= s.length; i += WINDOW_16K) {
            if (Tone.rms(s, i, i + WINDOW_16K) > TONE_RMS / 4) {
                return i;
            }
        }
        throw new AssertionError("no tone received");
    }

    @Test
    void frameInWrongFormatIsRefused() throws Exception {
        WebRtcTransport agent = connect(TransportSettings.defaults());
        AudioFrame wrong = Tone.sine(AudioFormat.PCM_48K_MONO, 440, AMPLITUDE, 10);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> agent.send(wrong))
                .isInstanceOf(io.parley.session.SessionException.class)
                .hasMessageContaining("INVALID_AUDIO");
    }

    @Test
    void clearPlaybackSilencesTheRemoteEarAtOnce() throws Exception {
        WebRtcTransport agent = connect(TransportSettings.defaults());
        Recorder atClient = new Recorder();
        agent.start(new Recorder());
        client.start(atClient);
        agent.send(Tone.sine(AudioFormat.PCM_16K_MONO, 440, AMPLITUDE, 10_000));
        assertThat(atClient.await(r -> heardTone(r, 300), 20)).as("client heard 300 ms of tone").isTrue();

        int heardAtClear = atClient.length();
        agent.clearPlayback();
        long playedAfterClear = agent.playedSamples();
        assertThat(agent.stats().queuedSamples()).isZero();
        assertThat(agent.stats().clearedSamples()).isGreaterThan(100_000);

        assertThat(atClient.await(r -> r.firstQuiet(heardAtClear, WINDOW_16K, TONE_RMS / 20) >= 0, 10)).isTrue();
        int quietAt = atClient.firstQuiet(heardAtClear, WINDOW_16K, TONE_RMS / 20);
        double tailMs = (quietAt - heardAtClear) / 16.0;
        System.out.printf("clearPlayback: tone still heard for %.0f ms of received audio after the clear%n", tailMs);
        assertThat(tailMs).as("ms of tone the remote still heard after clearPlayback").isLessThan(300);

        // Half a second of received media later, nothing more was played out.
        assertThat(atClient.await(r -> r.length() >= quietAt + 8_000, 10)).isTrue();
        assertThat(agent.playedSamples()).as("samples played after the clear")
                .isEqualTo(playedAfterClear);
        assertThat(atClient.firstLoud(quietAt, WINDOW_16K, TONE_RMS / 4)).isEqualTo(-1);
    }

    @Test
    void pauseKeepsTheQueueAndResumeContinuesIt() throws Exception {
        WebRtcTransport agent = connect(TransportSettings.defaults());
        Recorder atClient = new Recorder();
        agent.start(new Recorder());
        client.start(atClient);
        agent.send(Tone.sine(AudioFormat.PCM_16K_MONO, 440, AMPLITUDE, 2_000));
        assertThat(atClient.await(r -> heardTone(r, 300), 20)).isTrue();

        agent.pausePlayback();
        int heardAtPause = atClient.length();
        assertThat(atClient.await(r -> r.firstQuiet(heardAtPause, WINDOW_16K, TONE_RMS / 20) >= 0, 10)).isTrue();
        long playedWhilePaused = agent.playedSamples();
        int queuedWhilePaused = agent.stats().queuedSamples();
        assertThat(atClient.await(r -> r.length() >= heardAtPause + 8_000, 10)).isTrue();
        assertThat(agent.playedSamples()).isEqualTo(playedWhilePaused);
        assertThat(agent.stats().queuedSamples()).isEqualTo(queuedWhilePaused).isGreaterThan(0);

        agent.resumePlayback();
        int heardAtResume = atClient.length();
        assertThat(atClient.await(r -> r.firstLoud(heardAtResume, WINDOW_16K, TONE_RMS / 4) >= 0, 10)).isTrue();
        assertThat(atClient.await(r -> agentDrained(agent), 10)).isTrue();
        assertThat(agent.playedSamples()).isEqualTo(32_000);
    }

    private static boolean agentDrained(WebRtcTransport agent) {
        return agent.stats().queuedSamples() == 0 && agent.playedSamples() == 32_000;
    }

    private static boolean heardTone(Recorder r, int millis) {
        int start = r.firstLoud(0, WINDOW_16K, TONE_RMS / 4);
        return start >= 0 && r.length() >= start + millis * 16;
    }

    @Test
    void fortyEightKilohertzStereoOutputAnd24kInputWork() throws Exception {
        TransportSettings clientSettings = TransportSettings.builder()
                .outputFormat(new AudioFormat(48_000, 2))
                .inputFormat(AudioFormat.PCM_24K_MONO)
                .build();
        client = new WhipClient(engine, TOKEN).connect(server.whipUri(), clientSettings);
        WebRtcTransport agent = serverSide.get(10, TimeUnit.SECONDS);
        Recorder atAgent = new Recorder();
        Recorder atClient = new Recorder();
        agent.start(atAgent);
        client.start(atClient);
        client.send(Tone.sine(new AudioFormat(48_000, 2), 700, AMPLITUDE, 2_000));
        agent.send(Tone.sine(AudioFormat.PCM_16K_MONO, 300, AMPLITUDE, 2_000));
        assertThat(atAgent.await(r -> heardTone(r, 1_500), 20)).isTrue();
        assertThat(atClient.await(r -> r.length() > 24 * 1_500 && heardTone24k(r), 20)).isTrue();
        short[] s = atAgent.snapshot();
        int start = findStart(s) + 8_000;
        assertThat(Tone.frequency(s, start, start + 8_000, 16_000)).isCloseTo(700, org.assertj.core.data.Offset.offset(0.5));
        short[] c = atClient.snapshot();
        int cs = atClient.firstLoud(0, 480, TONE_RMS / 4) + 12_000;
        assertThat(Tone.frequency(c, cs, cs + 12_000, 24_000)).isCloseTo(300, org.assertj.core.data.Offset.offset(0.5));
        assertThat(Tone.purity(c, cs, cs + 12_000, 24_000, 300)).isGreaterThan(0.99);
    }

    private static boolean heardTone24k(Recorder r) {
        int start = r.firstLoud(0, 480, TONE_RMS / 4);
        return start >= 0 && r.length() >= start + 24_000;
    }
}
