package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.time.Clock;
import io.parley.time.RealTimePlayout;

/**
 * The transport of a session built without one: audio comes in through
 * {@code processAudio}, agent audio goes out to {@link AudioListener}s, and playout is
 * assumed to happen in real time from the moment it is handed over.
 */
final class ListenerTransport implements Transport {

    private final AudioFormat input;
    private final AudioFormat output;
    private final Clock clock;
    private final RealTimePlayout playout;

    ListenerTransport(AudioFormat input, AudioFormat output, Clock clock) {
        this.input = input;
        this.output = output;
        this.clock = clock;
        this.playout = new RealTimePlayout(output.sampleRate(), output.channels());
    }

    @Override
    public AudioFormat inputFormat() {
        return input;
    }

    @Override
    public AudioFormat outputFormat() {
        return output;
    }

    @Override
    public void start(TransportListener listener) {
        synchronized (playout) {
            playout.clear(clock.nanoTime());
        }
    }

    @Override
    public void send(AudioFrame frame) {
        synchronized (playout) {
            playout.enqueue(frame.length(), clock.nanoTime());
        }
    }

    @Override
    public void clearPlayback() {
        synchronized (playout) {
            playout.clear(clock.nanoTime());
        }
    }

    @Override
    public long playedSamples() {
        synchronized (playout) {
            return playout.played(clock.nanoTime());
        }
    }

    @Override
    public void close() {
        clearPlayback();
    }
}
