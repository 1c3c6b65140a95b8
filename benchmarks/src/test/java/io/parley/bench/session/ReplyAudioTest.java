package io.parley.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.testing.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The load harness's count of lost reply audio: a reply still playing when the count is taken
 * is in flight, not negative loss, and it does not hide the loss of callers whose replies all
 * ended.
 */
class ReplyAudioTest {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;

    /** Sends {@code millis} of reply audio in 100 ms chunks. */
    private static void send(LoadTransport transport, int millis) {
        AudioFrame chunk = AudioFrame.allocate(FORMAT, FORMAT.samplesFor(100));
        chunk.setLength(chunk.samples().length);
        for (int i = 0; i < millis / 100; i++) {
            transport.send(chunk);
        }
    }

    @Test
    void aReplyStillPlayingAtTheCountIsInFlightNotNegativeLoss() {
        ManualClock clock = new ManualClock();
        LoadTransport transport = new LoadTransport(clock);
        send(transport, 1500);
        clock.advance(3_000_000_000L);
        // The second reply has sent 700 ms when the count is taken; only the first finished.
        send(transport, 700);
        ReplyAudio audio = new ReplyAudio();
        audio.add(false, 1, transport.received.get(), transport.cleared.get());
        assertThat(audio.lostSamples()).isZero();
        assertThat(audio.unsettled()).isEqualTo(1);
        assertThat(audio.inFlightSamples()).isEqualTo(FORMAT.samplesFor(700));
    }

    @Test
    void finishedRepliesThatFellShortAreLostBesideACallerInFlight() {
        ManualClock clock = new ManualClock();
        LoadTransport short1 = new LoadTransport(clock);
        // Finished, but only 1.2 s of its 1.5 s reached the transport.
        send(short1, 1200);
        LoadTransport cut = new LoadTransport(clock);
        send(cut, 500);
        clock.advance(200_000_000L);
        cut.clearPlayback();
        LoadTransport playing = new LoadTransport(clock);
        send(playing, 900);
        ReplyAudio audio = new ReplyAudio();
        audio.add(true, 1, short1.received.get(), short1.cleared.get());
        audio.add(true, 0, cut.received.get(), cut.cleared.get());
        audio.add(false, 0, playing.received.get(), playing.cleared.get());
        assertThat(audio.lostSamples()).isEqualTo(FORMAT.samplesFor(300));
        assertThat(audio.unsettled()).isEqualTo(1);
        assertThat(audio.inFlightSamples()).isEqualTo(FORMAT.samplesFor(900));
    }
}
