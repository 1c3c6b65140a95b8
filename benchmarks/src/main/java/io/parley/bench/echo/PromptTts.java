package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The agent's voice for the echo evaluation: a "synthesizer" whose text is a list of Asterisk
 * prompt names and whose audio is those real recordings, delivered in 100 ms chunks faster
 * than real time, as a streaming synthesizer would.
 */
final class PromptTts implements TtsProvider, AutoCloseable {

    private final Map<String, Recordings.Clip> prompts;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "prompt-tts");
        t.setDaemon(true);
        return t;
    });

    PromptTts(Map<String, Recordings.Clip> prompts) {
        this.prompts = prompts;
    }

    @Override
    public String name() {
        return "asterisk-prompts";
    }

    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        if (!request.format().equals(Recordings.FORMAT)) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "prompts are " + Recordings.FORMAT + ", not " + request.format());
        }
        return new TtsStream() {
            private final StringBuilder text = new StringBuilder();
            private volatile boolean cancelled;

            @Override
            public void pushText(String chunk) {
                text.append(chunk);
            }

            @Override
            public void flush() {
                String[] names = text.toString().trim().split("\\s+");
                text.setLength(0);
                worker.execute(() -> {
                    AudioFrame frame = AudioFrame.allocate(Recordings.FORMAT, Recordings.FORMAT.samplesFor(100));
                    for (String name : names) {
                        Recordings.Clip c = prompts.get(name);
                        if (c == null) {
                            listener.onError(new SessionException(ErrorCode.TTS_ERROR, "no prompt " + name));
                            return;
                        }
                        for (int off = 0; off < c.pcm().length && !cancelled; off += frame.capacity()) {
                            int n = Math.min(frame.capacity(), c.pcm().length - off);
                            System.arraycopy(c.pcm(), off, frame.samples(), 0, n);
                            frame.setLength(n);
                            listener.onAudio(frame);
                        }
                    }
                    if (!cancelled) {
                        listener.onComplete();
                    }
                });
            }

            @Override
            public void cancel() {
                cancelled = true;
            }

            @Override
            public void close() {
                cancelled = true;
            }
        };
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
