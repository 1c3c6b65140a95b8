package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.testing.ContinuousTts;
import io.parley.testing.ManualClock;
import io.parley.time.RealTimePlayout;
import io.parley.turn.AdaptiveTurnDetector;

/**
 * A long agent speech arms no timer per 20 ms frame (ENGINE-BUGS 13): on a single-threaded
 * manual clock ({@link ManualClock}: a repeating timer is one object for all its runs, a one-shot costs a handle),
 * the session speaks past its 30-minute inactivity timeout and the one-shot timers armed per
 * frame are counted. Same setting as the benchmark {@code SpeakingFrameBenchmark}.
 */
class LongSpeechTimersTest {

    @org.junit.jupiter.api.Test
    void speakingPastTheInactivityTimeoutArmsNoTimerPerFrame() {
        setUp();
        // 32 minutes of speech: past the default inactivity timeout of 30 minutes.
        for (int i = 0; i < 96_000; i++) {
            outbound();
        }
        long before = clock.schedules();
        for (int i = 0; i < 10_000; i++) {
            outbound();
        }
        org.assertj.core.api.Assertions.assertThat(clock.schedules() - before)
                .as("one-shot timers armed in 10,000 frames of speech").isLessThan(100);
        org.assertj.core.api.Assertions.assertThat(session.state()).isEqualTo(SessionState.SPEAKING);
        tearDown();
    }

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final long FRAME_NANOS = 20_000_000L;

    private ManualClock clock;
    private VoiceSession session;
    private SinkTransport transport;
    private ContinuousTts tts;
    private long frames;

    public void setUp() {
        clock = new ManualClock();
        transport = new SinkTransport(clock);
        tts = new ContinuousTts(FORMAT);
        session = VoiceSession.builder()
                .clock(clock)
                .transport(transport)
                .vad(DspVad.defaults())
                .turnDetector(new AdaptiveTurnDetector())
                .stt(io.parley.testing.FakeStt.builder(clock, new io.parley.testing.UserScript()).build())
                .tts(tts)
                .agent((ctx, text) -> "ok")
                .build();
        java.util.concurrent.CompletableFuture<Void> started = session.startAsync();
        for (int i = 0; i < 100 && !started.isDone(); i++) {
            clock.advance(FRAME_NANOS);
        }
        started.join();
        session.say("A reply that goes on for as long as the benchmark runs.");
        for (int i = 0; i < 50 && session.state() != SessionState.SPEAKING; i++) {
            outbound();
        }
        if (session.state() != SessionState.SPEAKING) {
            throw new IllegalStateException("the agent is not speaking: " + session.state());
        }
    }

    public void tearDown() {
        java.util.concurrent.CompletableFuture<Void> stopped = session.stopAsync();
        for (int i = 0; i < 1000 && !stopped.isDone(); i++) {
            clock.advance(FRAME_NANOS);
        }
    }

    /**
     * 20 ms of agent audio: the pacer hands a frame to the transport; the synthesizer, faster
     * than real time as real ones are, tops the speech up by 100 ms whenever less than 200 ms
     * is waiting.
     */
    public long outbound() {
        frames++;
        if (tts.delivered() - transport.sent < FORMAT.samplesFor(200)) {
            tts.deliver(FORMAT.samplesFor(100));
        }
        clock.advance(FRAME_NANOS);
        return transport.sent;
    }

    /** Plays out at real time on the manual clock; counts what it was handed. */
    static final class SinkTransport implements Transport {
        final ManualClock clock;
        final RealTimePlayout playout = new RealTimePlayout(FORMAT.sampleRate(), 1);
        TransportListener listener;
        long sent;

        SinkTransport(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public AudioFormat inputFormat() {
            return FORMAT;
        }

        @Override
        public AudioFormat outputFormat() {
            return FORMAT;
        }

        @Override
        public void start(TransportListener l) {
            this.listener = l;
        }

        @Override
        public void send(AudioFrame f) {
            playout.enqueue(f.length(), clock.nanoTime());
            sent += f.length();
        }

        @Override
        public void clearPlayback() {
            playout.clear(clock.nanoTime());
        }

        @Override
        public long playedSamples() {
            return playout.played(clock.nanoTime());
        }

        @Override
        public void close() {
        }
    }
}
