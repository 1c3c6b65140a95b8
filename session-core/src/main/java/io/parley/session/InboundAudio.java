package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.NoiseCanceller;
import io.parley.spi.SttStream;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The inbound real-time path: noise cancellation, voice activity detection and gated
 * streaming to recognition. It runs on the thread that delivers audio (the transport's or
 * the host's) and allocates nothing per frame; only speech onsets and offsets, which are
 * rare, are posted to the session's event loop.
 *
 * <p>While the user is not in a turn, audio goes to a short prefix ring instead of the
 * recognizer, and the ring is replayed at onset so first syllables are not lost. While the
 * recognizer is reconnecting, audio goes to a bounded backlog replayed on reconnect.
 */
final class InboundAudio {

    /** What the path reports to the session. Called on the audio thread; must only post. */
    interface Events {
        void speechStarted(long onsetNanos);

        void speechEnded(long offsetNanos);

        void maxUtteranceReached();

        void audioDropped(long samples, String why);

        void error(SessionException error);

        void userAudio(AudioFrame frame);
    }

    private static final long BACKLOG_SECONDS = 10;
    /** Probability above which a frame certainly holds voice (Silero's activation threshold). */
    private static final float VOICED = 0.5f;

    private final AudioFormat format;
    private final Vad vad;
    private final NoiseCanceller noiseCanceller;
    private final Events events;
    private final long maxUtteranceNanos;
    private final SampleQueue prefix;
    private final SampleQueue backlog;
    private final AudioFrame chunk;
    private final AtomicBoolean busy = new AtomicBoolean();
    private AudioFrame cleaned;
    private long prefixEndNanos;
    private long backlogEndNanos;

    private volatile SttStream stt;
    private volatile boolean gateOpen;
    private volatile boolean tap;
    private boolean speaking;
    private long speechNanos;
    private float lastProbability;
    private long lastVoicedEndNanos;

    InboundAudio(AudioFormat format, Vad vad, NoiseCanceller noiseCanceller, SessionConfig config, Events events) {
        this.format = format;
        this.vad = vad;
        this.noiseCanceller = noiseCanceller;
        this.events = events;
        this.maxUtteranceNanos = config.maxUtteranceDuration().toNanos();
        int prefixSamples = Math.max(1, format.samplesFor(config.prefixPadding().toMillis()));
        this.prefix = new SampleQueue(prefixSamples, prefixSamples);
        int backlogSamples = format.samplesFor(BACKLOG_SECONDS * 1000);
        this.backlog = new SampleQueue(format.samplesFor(200), backlogSamples);
        this.chunk = AudioFrame.allocate(format, format.samplesFor(20));
        // Without a VAD the recognizer hears everything and its endpointing drives the turns.
        this.gateOpen = vad == null;
    }

    void setStream(SttStream stream) {
        this.stt = stream;
    }

    void setTap(boolean tap) {
        this.tap = tap;
    }

    /** Called by the loop when a turn is committed: stop streaming until the next onset. */
    void closeGate() {
        if (vad != null) {
            gateOpen = false;
        }
    }

    void process(AudioFrame frame) {
        if (!format.equals(frame.format())) {
            throw new SessionException(ErrorCode.INVALID_AUDIO,
                    "audio format " + frame.format() + " does not match the session input format " + format);
        }
        if (frame.length() == 0) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "empty audio frame");
        }
        if (!busy.compareAndSet(false, true)) {
            throw new IllegalStateException("audio must be delivered from one thread at a time");
        }
        try {
            AudioFrame f = denoise(frame);
            if (tap) {
                events.userAudio(f.copy());
            }
            if (vad == null) {
                send(f);
                return;
            }
            boolean speech = classify(f);
            if (speech && !speaking) {
                speaking = true;
                speechNanos = 0;
                gateOpen = true;
                events.speechStarted(f.timestampNanos());
            } else if (!speech && speaking) {
                speaking = false;
                // The decision turns false only after the detector's hangover; the user
                // stopped at the end of the last clearly voiced frame, and endpointing
                // delays count from there.
                long offset = lastVoicedEndNanos > 0 && lastVoicedEndNanos <= f.timestampNanos()
                        ? lastVoicedEndNanos : f.timestampNanos();
                events.speechEnded(offset);
            }
            if (lastProbability >= VOICED) {
                lastVoicedEndNanos = f.timestampNanos() + f.durationNanos();
            }
            if (speaking) {
                speechNanos += f.durationNanos();
                if (speechNanos >= maxUtteranceNanos) {
                    speechNanos = 0;
                    events.maxUtteranceReached();
                }
            }
            if (gateOpen) {
                send(f);
            } else {
                prefix.add(f);
                prefixEndNanos = f.timestampNanos() + f.durationNanos();
            }
        } finally {
            busy.set(false);
        }
    }

    private AudioFrame denoise(AudioFrame frame) {
        if (noiseCanceller == null) {
            return frame;
        }
        if (cleaned == null || cleaned.capacity() < frame.length()) {
            cleaned = AudioFrame.allocate(format, frame.length());
        }
        cleaned.setLength(frame.length());
        cleaned.setTimestampNanos(frame.timestampNanos());
        noiseCanceller.process(frame, cleaned);
        return cleaned;
    }

    private boolean classify(AudioFrame f) {
        try {
            VadResult r = vad.process(f);
            lastProbability = r.probability();
            return r.speech();
        } catch (RuntimeException e) {
            events.error(SessionException.wrap(ErrorCode.VAD_ERROR, e));
            // Keep the previous decision rather than inventing an onset or offset.
            lastProbability = 0f;
            return speaking;
        }
    }

    private void send(AudioFrame f) {
        SttStream s = stt;
        if (s == null) {
            long dropped = backlog.add(f);
            backlogEndNanos = f.timestampNanos() + f.durationNanos();
            if (dropped > 0) {
                events.audioDropped(dropped, "recognizer unavailable for over " + BACKLOG_SECONDS + " s");
            }
            return;
        }
        try {
            if (!prefix.isEmpty()) {
                replay(s, prefix, prefixEndNanos);
            }
            if (!backlog.isEmpty()) {
                replay(s, backlog, backlogEndNanos);
            }
            s.write(f);
        } catch (RuntimeException e) {
            events.error(SessionException.wrap(ErrorCode.STT_ERROR, e));
        }
    }

    /** Writes a queue's samples in 20 ms frames, timestamped as they were captured. */
    private void replay(SttStream s, SampleQueue q, long endNanos) {
        long t = endNanos - format.nanosFor(q.size());
        while (!q.isEmpty()) {
            int n = q.poll(chunk.samples(), chunk.capacity());
            chunk.setLength(n);
            chunk.setTimestampNanos(t);
            s.write(chunk);
            t += format.nanosFor(n);
        }
    }
}
