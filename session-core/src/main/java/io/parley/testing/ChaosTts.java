package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;

import java.time.Duration;
import java.util.Random;

/**
 * A synthesizer for chaos runs: {@link #CHAR_NANOS} of tone per character, streamed in
 * 100 ms chunks at four times real time after a random first-audio delay. It fails opens
 * and streams at random, and with {@link ChaosSettings#ttsHang()} never completes a reply.
 */
final class ChaosTts implements TtsProvider {

    static final long CHAR_NANOS = Duration.ofMillis(60).toNanos();
    private static final long CHUNK_NANOS = Duration.ofMillis(100).toNanos();
    private static final long STEP_NANOS = CHUNK_NANOS / 4;

    private final SessionProbe probe;
    private final String name;
    private final ChaosSettings settings;
    private final Random random;

    ChaosTts(SessionProbe probe, String name, ChaosSettings settings, Random random) {
        this.probe = probe;
        this.name = name;
        this.settings = settings;
        this.random = random;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public TtsStream open(TtsRequest request, TtsListener listener) {
        probe.blockingCall(name + ".open");
        probe.opened(name + ".open");
        probe.sleep(settings.connect().sampleNanos(random));
        if (random.nextDouble() < settings.openFailure()) {
            probe.note(name + " open fails");
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION, name + ": chaos open failure");
        }
        boolean hang = random.nextDouble() < settings.ttsHang();
        boolean failMidway = random.nextDouble() < settings.openFailure();
        if (hang) {
            probe.note(name + " stream will never complete");
        }
        if (failMidway) {
            probe.note(name + " stream will fail after its first audio");
        }
        return new Stream(request.format(), listener, hang, failMidway, settings.ttsFirstAudio().sampleNanos(random));
    }

    private final class Stream implements TtsStream {
        private final AudioFrame frame;
        private final TtsListener listener;
        private final boolean hang;
        private final boolean failMidway;
        private final long firstAudioNanos;
        private final Sequencer sequencer = new Sequencer(probe.providerClock());
        private final Object resource;
        private int chars;
        private long synthesizedNanos;
        private boolean flushed;
        private boolean running;
        private boolean done;

        Stream(AudioFormat format, TtsListener listener, boolean hang, boolean failMidway, long firstAudioNanos) {
            this.frame = AudioFrame.allocate(format, (int) format.samplesForNanos(CHUNK_NANOS) * format.channels());
            short[] s = frame.samples();
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (i % 40 < 20 ? 3000 : -3000);
            }
            this.listener = listener;
            this.hang = hang;
            this.failMidway = failMidway;
            this.firstAudioNanos = firstAudioNanos;
            this.resource = probe.acquire(name + " stream");
        }

        @Override
        public void pushText(String chunk) {
            synchronized (this) {
                if (done) {
                    return;
                }
                chars += chunk.length();
                startLocked();
            }
        }

        @Override
        public void flush() {
            synchronized (this) {
                if (done) {
                    return;
                }
                flushed = true;
                startLocked();
            }
        }

        private void startLocked() {
            if (!running) {
                running = true;
                sequencer.after(synthesizedNanos == 0 ? firstAudioNanos : STEP_NANOS, this::step);
            }
        }

        private void step() {
            boolean complete = false;
            boolean fail = false;
            boolean more;
            synchronized (this) {
                if (done) {
                    return;
                }
                long available = chars * CHAR_NANOS - synthesizedNanos;
                if (available <= 0) {
                    running = false;
                    if (!flushed || hang) {
                        return;
                    }
                    done = true;
                    complete = true;
                } else if (failMidway && synthesizedNanos > 0) {
                    done = true;
                    fail = true;
                } else {
                    long n = Math.min(available, CHUNK_NANOS);
                    int samples = (int) frame.format().samplesForNanos(n) * frame.format().channels();
                    frame.setLength(Math.max(frame.format().channels(), samples));
                    synthesizedNanos += n;
                }
                more = !complete && !fail;
            }
            if (complete) {
                probe.callEngine("TtsListener.onComplete", listener::onComplete);
            } else if (fail) {
                probe.callEngine("TtsListener.onError", () -> listener.onError(
                        new SessionException(ErrorCode.TTS_ERROR, name + ": chaos synthesis failure")));
            } else {
                probe.callEngine("TtsListener.onAudio", () -> listener.onAudio(frame));
            }
            if (more) {
                sequencer.after(STEP_NANOS, this::step);
            }
        }

        @Override
        public void cancel() {
            synchronized (this) {
                done = true;
            }
            sequencer.cancel();
        }

        @Override
        public void close() {
            cancel();
            probe.release(resource);
        }
    }
}
