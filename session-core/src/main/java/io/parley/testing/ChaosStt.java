package io.parley.testing;

import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A recognizer for chaos runs: it hears a new word for every {@link #WORD_NANOS} of loud
 * audio it actually receives, reports interim results and finals after random delays, may
 * close utterances itself (endpointing), and fails opens and live streams at random.
 */
final class ChaosStt implements SttProvider {

    static final long WORD_NANOS = Duration.ofMillis(250).toNanos();
    static final double LOUD_RMS = 500;

    private final SessionProbe probe;
    private final String name;
    private final ChaosSettings settings;
    private final Random random;
    private final boolean dead;
    private final long endpointingNanos;

    ChaosStt(SessionProbe probe, String name, ChaosSettings settings, Random random, boolean dead, Duration endpointing) {
        this.probe = probe;
        this.name = name;
        this.settings = settings;
        this.random = random;
        this.dead = dead;
        this.endpointingNanos = endpointing == null ? -1 : endpointing.toNanos();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SttStream open(SttRequest request, SttListener listener) {
        probe.blockingCall(name + ".open");
        probe.opened(name + ".open");
        probe.sleep(settings.connect().sampleNanos(random));
        if (dead || random.nextDouble() < settings.openFailure()) {
            probe.note(name + (dead ? " is dead: open fails" : " open fails"));
            throw new SessionException(ErrorCode.PROVIDER_CONNECTION, name + ": chaos open failure");
        }
        return new Stream(listener);
    }

    /**
     * Whether the frame is louder than {@link #LOUD_RMS}, from every fourth sample: the
     * harness's tone and hiss are periodic, and the fake must stay cheap next to the engine.
     */
    static boolean loud(AudioFrame frame) {
        short[] s = frame.samples();
        int n = frame.length();
        long sum = 0;
        int count = 0;
        for (int i = 0; i < n; i += 4) {
            sum += s[i] * s[i];
            count++;
        }
        return count > 0 && sum > LOUD_RMS * LOUD_RMS * count;
    }

    private final class Stream implements SttStream {
        private final SttListener listener;
        private final Sequencer sequencer = new Sequencer(probe.providerClock());
        private final StringBuilder pending = new StringBuilder();
        private final Object resource;
        /** Audio still to come before the stream drops (a stream failure). */
        private long untilFailureNanos = ChaosSettings.nanosUntilNext(settings.streamFailuresPerMinute(), random);
        private long loudNanos;
        private long quietNanos;
        private boolean inSpeech;
        private boolean closed;

        Stream(SttListener listener) {
            this.listener = listener;
            this.resource = probe.acquire(name + " stream");
        }

        @Override
        public void write(AudioFrame frame) {
            long d = frame.durationNanos();
            Transcript out = null;
            long delay = 0;
            boolean fail;
            synchronized (this) {
                if (closed) {
                    return;
                }
                untilFailureNanos -= d;
                fail = untilFailureNanos < 0;
                if (!fail) {
                    if (loud(frame)) {
                        inSpeech = true;
                        quietNanos = 0;
                        loudNanos += d;
                        if (loudNanos >= WORD_NANOS) {
                            loudNanos -= WORD_NANOS;
                            if (pending.length() > 0) {
                                pending.append(' ');
                            }
                            pending.append(probe.nextWord());
                            out = Transcript.interim(pending.toString());
                            delay = settings.interim().sampleNanos(random);
                        }
                    } else if (inSpeech && endpointingNanos >= 0) {
                        quietNanos += d;
                        if (quietNanos >= endpointingNanos) {
                            inSpeech = false;
                            out = takeFinal();
                            delay = settings.interim().sampleNanos(random);
                        }
                    }
                }
            }
            if (fail) {
                probe.note(name + " stream drops");
                fail(new SessionException(ErrorCode.PROVIDER_CONNECTION, name + ": chaos stream failure"));
            } else if (out != null) {
                Transcript t = out;
                sequencer.after(delay, () -> deliver(t));
            }
        }

        private Transcript takeFinal() {
            String text = pending.toString();
            pending.setLength(0);
            loudNanos = 0;
            return new Transcript(text, true, true, 0.9, List.of(), "en");
        }

        @Override
        public void finalizeUtterance() {
            Transcript t;
            synchronized (this) {
                if (closed) {
                    return;
                }
                t = takeFinal();
            }
            sequencer.after(settings.fin().sampleNanos(random), () -> deliver(t));
        }

        private void deliver(Transcript t) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            probe.callEngine("SttListener.onTranscript", () -> listener.onTranscript(t));
        }

        private void fail(SessionException error) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            // A dropped connection releases itself (a later close() is harmless); the error
            // goes through the sequencer so it never overlaps a transcript delivery.
            probe.release(resource);
            sequencer.after(0, () -> probe.callEngine("SttListener.onError", () -> listener.onError(error)));
        }

        @Override
        public void close() {
            probe.blockingCall(name + " stream.close");
            synchronized (this) {
                closed = true;
            }
            sequencer.cancel();
            probe.release(resource);
        }
    }
}
