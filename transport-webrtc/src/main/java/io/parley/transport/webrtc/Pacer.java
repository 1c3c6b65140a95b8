package io.parley.transport.webrtc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that pushes outbound audio for every transport of an engine, on a fixed
 * 10 ms grid. libwebrtc drops pushes that are not exactly 10 ms and lets its jitter buffer
 * grow when pushes arrive in bursts, so each transport gets exactly one push per tick.
 */
final class Pacer implements Runnable {

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** After a stall longer than this the grid restarts instead of catching up in a burst. */
    private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Logger LOG = LoggerFactory.getLogger(Pacer.class);

    private final Thread thread;
    private volatile WebRtcTransport[] transports = new WebRtcTransport[0];
    private volatile boolean running = true;
    private volatile long resyncs;

    Pacer() {
        thread = new Thread(this, "parley-webrtc-pacer");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
    }

    void start() {
        thread.start();
    }

    synchronized void add(WebRtcTransport t) {
        WebRtcTransport[] cur = transports;
        WebRtcTransport[] next = java.util.Arrays.copyOf(cur, cur.length + 1);
        next[cur.length] = t;
        transports = next;
    }

    synchronized void remove(WebRtcTransport t) {
        WebRtcTransport[] cur = transports;
        int n = 0;
        WebRtcTransport[] next = new WebRtcTransport[cur.length];
        for (WebRtcTransport x : cur) {
            if (x != t) {
                next[n++] = x;
            }
        }
        transports = java.util.Arrays.copyOf(next, n);
    }

    /** Times the grid restarted after falling more than 100 ms behind. */
    long resyncs() {
        return resyncs;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (running) {
            for (WebRtcTransport t : transports) {
                try {
                    t.pacerTick();
                } catch (RuntimeException e) {
                    // One broken session must not silence the others; it learns of its failure itself.
                    LOG.error("pushing audio failed for transport {}", t.id(), e);
                    t.fail(e);
                }
            }
            next += TICK_NANOS;
            long now = System.nanoTime();
            if (now - next > MAX_LAG_NANOS) {
                resyncs++;
                next = now;
            }
            long wait;
            while (running && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** Stops the thread and waits for it, so no push can follow. */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
