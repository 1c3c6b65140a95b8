package io.parley.providers.local.tts;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.WordTiming;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records a TTS stream's audio and completion; waits are bounded. */
class CollectingTtsListener implements TtsListener {

    final ByteArrayOutputStream pcm = new ByteArrayOutputStream();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final CountDownLatch firstAudio = new CountDownLatch(1);
    volatile int frames;
    volatile int maxFrameSamples;
    volatile AudioFormat format;
    final List<WordTiming> words = new ArrayList<>();

    @Override
    public synchronized void onAudio(AudioFrame frame) {
        format = frame.format();
        frames++;
        maxFrameSamples = Math.max(maxFrameSamples, frame.length());
        pcm.writeBytes(frame.toPcm16le());
        firstAudio.countDown();
    }

    @Override
    public synchronized void onWordTimings(List<WordTiming> timings) {
        words.addAll(timings);
    }

    @Override
    public void onComplete() {
        done.complete(null);
    }

    @Override
    public void onError(SessionException error) {
        done.completeExceptionally(error);
    }

    void awaitDone() throws Exception {
        done.get(30, TimeUnit.SECONDS);
    }

    void awaitFirstAudio() throws InterruptedException {
        if (!firstAudio.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no audio within 30 s");
        }
    }

    synchronized byte[] bytes() {
        return pcm.toByteArray();
    }
}
