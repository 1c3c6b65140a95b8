package io.parley.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.testing.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The load harness counts lost reply audio as the replies the session reported finished less
 * what reached the transport and was not cut, so the transport must count as cut all of every
 * reply the session clears.
 */
class LoadTransportTest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;

    /** Sends a 1.5 s reply in 100 ms chunks at once, as a synthesizer faster than real time does. */
    private static void sendReply(LoadTransport transport) {
        AudioFrame chunk = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(100));
        chunk.setLength(chunk.samples().length);
        for (int i = 0; i < 15; i++) {
            transport.send(chunk);
        }
    }

    @Test
    void aReplyCutWhilePlayingCountsAsCleared() {
        ManualClock clock = new ManualClock();
        LoadTransport transport = new LoadTransport(clock);
        sendReply(transport);
        clock.advance(500_000_000L);
        transport.clearPlayback();
        assertThat(transport.cleared.get()).isEqualTo(transport.received.get());
    }

    @Test
    void aReplyCutAfterItPlayedOutByTheTransportsClockCountsAsCleared() {
        // The session reports playout finished only when it next reads playedSamples(); a
        // barge-in before that cuts the reply (INTERRUPTED), so none of it may count as delivered.
        ManualClock clock = new ManualClock();
        LoadTransport transport = new LoadTransport(clock);
        sendReply(transport);
        clock.advance(1_600_000_000L);
        transport.clearPlayback();
        assertThat(transport.cleared.get()).isEqualTo(FORMAT.samplesFor(1500));
    }

    @Test
    void aReplyAfterACutIsCountedOnItsOwn() {
        ManualClock clock = new ManualClock();
        LoadTransport transport = new LoadTransport(clock);
        sendReply(transport);
        clock.advance(300_000_000L);
        transport.clearPlayback();
        clock.advance(2_000_000_000L);
        sendReply(transport);
        clock.advance(2_000_000_000L);
        // The second reply played out and was not cut: only the first counts as cleared.
        assertThat(transport.received.get() - transport.cleared.get()).isEqualTo(FORMAT.samplesFor(1500));
    }
}
