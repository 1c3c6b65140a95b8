package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;

import java.util.Random;

/**
 * A transport for chaos runs: inbound audio comes from the harness's feeder, outbound audio
 * "plays" at real time on the session clock. It fails starts and single sends at random and
 * lets the feeder drop and restore the peer.
 */
final class ChaosTransport implements Transport {

    private final SessionProbe probe;
    private final ChaosSettings settings;
    private final Random random;
    private final AudioFormat format;
    private final boolean canPause;
    private volatile TransportListener listener;
    private volatile boolean connected;
    private Object resource;
    private long queued;
    private long played;
    private long lastUpdateNanos;
    private boolean paused;
    /** Outbound audio still to go before a send throws; the engine's sending thread only. */
    private long untilSendFailureNanos = -1;

    ChaosTransport(SessionProbe probe, ChaosSettings settings, Random random, AudioFormat format, boolean canPause) {
        this.probe = probe;
        this.settings = settings;
        this.random = random;
        this.format = format;
        this.canPause = canPause;
    }

    @Override
    public AudioFormat inputFormat() {
        return format;
    }

    @Override
    public AudioFormat outputFormat() {
        return format;
    }

    @Override
    public void start(TransportListener listener) {
        probe.blockingCall("transport.start");
        probe.opened("transport.start");
        probe.sleep(settings.connect().sampleNanos(random));
        if (random.nextDouble() < settings.openFailure()) {
            probe.note("transport start fails");
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "chaos: transport failed to start");
        }
        synchronized (this) {
            if (resource != null) {
                probe.release(resource);
            }
            resource = probe.acquire("transport");
            queued = 0;
            lastUpdateNanos = probe.providerClock().nanoTime();
        }
        this.listener = listener;
        this.connected = true;
    }

    /** Delivers inbound audio if the peer is there; called by one feeder thread. */
    void deliver(AudioFrame frame) {
        TransportListener l = listener;
        if (l != null && connected) {
            probe.callEngine("TransportListener.onAudio", () -> l.onAudio(frame));
        }
    }

    /** The peer goes away ({@code connected} false) or comes back. */
    void peer(boolean connected) {
        TransportListener l = listener;
        if (l == null || this.connected == connected) {
            return;
        }
        this.connected = connected;
        probe.note(connected ? "peer back" : "peer lost");
        if (connected) {
            probe.callEngine("TransportListener.onConnected", l::onConnected);
        } else {
            probe.callEngine("TransportListener.onDisconnected", () -> l.onDisconnected("chaos: peer left"));
        }
    }

    boolean started() {
        return listener != null;
    }

    @Override
    public void send(AudioFrame frame) {
        if (untilSendFailureNanos < 0) {
            untilSendFailureNanos = ChaosSettings.nanosUntilNext(settings.sendFailuresPerMinute(), random);
        }
        untilSendFailureNanos -= frame.durationNanos();
        if (untilSendFailureNanos < 0) {
            probe.note("transport send throws");
            throw new IllegalStateException("chaos: transport send failed");
        }
        synchronized (this) {
            update();
            queued += frame.length();
        }
    }

    private void update() {
        long now = probe.providerClock().nanoTime();
        if (!paused) {
            long due = format.samplesForNanos(now - lastUpdateNanos) * format.channels();
            long n = Math.min(queued, due);
            played += n;
            queued -= n;
        }
        lastUpdateNanos = now;
    }

    @Override
    public synchronized void clearPlayback() {
        update();
        queued = 0;
    }

    @Override
    public boolean canPause() {
        return canPause;
    }

    @Override
    public synchronized void pausePlayback() {
        if (!canPause) {
            throw new IllegalStateException("cannot pause");
        }
        update();
        paused = true;
    }

    @Override
    public synchronized void resumePlayback() {
        if (!canPause) {
            throw new IllegalStateException("cannot pause");
        }
        update();
        paused = false;
    }

    @Override
    public synchronized long playedSamples() {
        update();
        return played;
    }

    @Override
    public void close() {
        probe.blockingCall("transport.close");
        listener = null;
        connected = false;
        Object r;
        synchronized (this) {
            r = resource;
            resource = null;
        }
        if (r != null) {
            probe.release(r);
        }
    }
}
