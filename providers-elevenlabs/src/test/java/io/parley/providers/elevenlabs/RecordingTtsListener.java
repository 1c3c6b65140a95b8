package io.parley.providers.elevenlabs;

import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.WordTiming;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okio.Buffer;

/** Collects synthesized audio as PCM16LE bytes and records completion and errors in order. */
final class RecordingTtsListener implements TtsListener {

    static final String COMPLETE = "complete";

    final Buffer audio = new Buffer();
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    volatile CountDownLatch gate;
    volatile int frames;
    final List<WordTiming> words = new CopyOnWriteArrayList<>();

    @Override
    public void onWordTimings(List<WordTiming> timings) {
        words.addAll(timings);
    }

    @Override
    public void onAudio(AudioFrame frame) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(10, TimeUnit.SECONDS); // a slow consumer: the provider must not lose or reorder audio meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (audio) {
            audio.write(frame.toPcm16le());
            frames++;
        }
    }

    @Override
    public void onComplete() {
        events.add(COMPLETE);
    }

    @Override
    public void onError(SessionException error) {
        events.add(error);
    }

    Object next() throws InterruptedException {
        Object o = events.poll(10, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("listener got nothing within 10 s");
        }
        return o;
    }

    long audioBytes() {
        synchronized (audio) {
            return audio.size();
        }
    }

    okio.ByteString audioSnapshot() {
        synchronized (audio) {
            return audio.snapshot();
        }
    }
}
