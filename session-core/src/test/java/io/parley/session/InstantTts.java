package io.parley.session;

import io.parley.audio.AudioFrame;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A synthesizer that answers at once on the thread that flushes it: one 20 ms frame, then
 * completion. Notes its opens and the threads it was flushed on.
 */
final class InstantTts implements TtsProvider {
    final AtomicInteger opens = new AtomicInteger();
    final List<String> flushedOn = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "instant";
    }

    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        opens.incrementAndGet();
        return new TtsStream() {
            @Override
            public void pushText(String chunk) {
            }

            @Override
            public void flush() {
                flushedOn.add(Thread.currentThread().getName());
                AudioFrame frame = AudioFrame.allocate(request.format(), request.format().samplesFor(20));
                frame.setLength(frame.capacity());
                listener.onAudio(frame);
                listener.onComplete();
            }

            @Override
            public void cancel() {
            }

            @Override
            public void close() {
            }
        };
    }
}
