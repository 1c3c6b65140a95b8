package io.parley.transport.webrtc;

import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.TransportListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A transport listener that keeps everything it receives, for assertions. */
final class Recorder implements TransportListener {

    private short[] samples = new short[16_000 * 10];
    private int length;
    final CountDownLatch connected = new CountDownLatch(1);
    final CountDownLatch disconnected = new CountDownLatch(1);
    final CountDownLatch failed = new CountDownLatch(1);
    final List<String> disconnectReasons = new ArrayList<>();
    final List<SessionException> errors = new ArrayList<>();
    private Predicate<Recorder> condition = r -> false;
    private CountDownLatch conditionMet = new CountDownLatch(1);
    private volatile Thread audioThread;

    @Override
    public synchronized void onAudio(AudioFrame frame) {
        audioThread = Thread.currentThread();
        if (length + frame.length() > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(samples.length * 2, length + frame.length()));
        }
        System.arraycopy(frame.samples(), 0, samples, length, frame.length());
        length += frame.length();
        if (condition.test(this)) {
            conditionMet.countDown();
        }
    }

    @Override
    public void onConnected() {
        connected.countDown();
    }

    @Override
    public synchronized void onDisconnected(String reason) {
        disconnectReasons.add(reason);
        disconnected.countDown();
    }

    @Override
    public synchronized void onError(SessionException error) {
        errors.add(error);
        failed.countDown();
    }

    synchronized int length() {
        return length;
    }

    synchronized short[] snapshot() {
        return Arrays.copyOf(samples, length);
    }

    Thread audioThread() {
        return audioThread;
    }

    /** Waits (bounded) until {@code c} holds after some frame; false on timeout. */
    boolean await(Predicate<Recorder> c, long seconds) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            condition = c;
            conditionMet = new CountDownLatch(1);
            latch = conditionMet;
            if (c.test(this)) {
                return true;
            }
        }
        return latch.await(seconds, TimeUnit.SECONDS);
    }

    /** Index of the first sample of the first 20 ms window louder than {@code rms}, from {@code from}; -1 if none. */
    synchronized int firstLoud(int from, int window, double rms) {
        for (int i = from; i + window <= length; i += window) {
            if (Tone.rms(samples, i, i + window) > rms) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first window quieter than {@code rms}, from {@code from}; -1 if none. */
    synchronized int firstQuiet(int from, int window, double rms) {
        for (int i = from; i + window <= length; i += window) {
            if (Tone.rms(samples, i, i + window) < rms) {
                return i;
            }
        }
        return -1;
    }
}
