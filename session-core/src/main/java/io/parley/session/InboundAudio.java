package io.parley.session;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.Prosody;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.spi.NoiseCanceller;
import io.parley.spi.SttStream;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import io.parley.time.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The inbound real-time path: echo cancellation, noise cancellation, voice activity detection
 * and gated streaming to recognition. It runs on the thread that delivers audio (the transport's or
 * the host's) and allocates nothing per frame; only speech onsets and offsets, which are
 * rare, are posted to the session's event loop.
 *
 * <p>While the user is not in a turn, audio goes to a short prefix ring instead of the
 * recognizer, and the ring is replayed at onset so first syllables are not lost. While the
 * recognizer is reconnecting, audio goes to a bounded backlog replayed on reconnect.
 *
 * <p>Frames of any length are accepted: longer ones are classified in 20 ms slices, so an
 * utterance that starts and ends inside one call is still heard. Failures on this path
 * (recognizer writes, the VAD, audio dropped while the recognizer is away) are reported once
 * when they start and then at most every {@link #REPORT_INTERVAL_NANOS}, never per frame.
 *
 * <p>The gate to the recognizer is one atomic word: the onset sequence number and an open
 * bit. The loop closes it only for the onset it knows about, so an onset that the audio
 * thread saw after that one keeps its gate open.
 *
 * <p>With thousands of sessions per core, each frame finds its session's state cold in the
 * cache, so the per-frame path keeps it in few objects: the gate and the one-thread guard are
 * fields of this object, and the failure trackers are only consulted while one is failing.
 */
final class InboundAudio {

    /** What the path reports to the session. Called on the audio thread; must only post. */
    interface Events {
        void speechStarted(long onsetSeq, long onsetNanos);

        /**
         * The user stopped speaking at {@code offsetNanos}; {@code prosody} is how their voice
         * ended; {@code heardNanos} is where that moment lies in the audio the recognizer stream
         * was given (the timeline of its word timings), or -1 if unknown.
         */
        void speechEnded(long offsetNanos, Prosody prosody, long heardNanos);

        void maxUtteranceReached();

        void error(SessionException error);

        void userAudio(AudioFrame frame);
    }

    private static final long BACKLOG_SECONDS = 10;
    static final long REPORT_INTERVAL_NANOS = 5_000_000_000L;
    /** Probability above which a frame certainly holds voice (Silero's activation threshold). */
    private static final float VOICED = 0.5f;

    private final AudioFormat format;
    private final Vad vad;
    private final NoiseCanceller noiseCanceller;
    /** Echo cancellation and/or suppression with its far-end reference, or null. */
    private final FarEnd farEnd;
    /** The echo canceller's output, when there is one. */
    private final AudioFrame echoFree;
    /** Set when the session stopped: the canceller is closed and no longer called. */
    private volatile boolean retired;
    /**
     * Whether the session runs with this path attached: set once it has started, cleared when
     * it stops. The transport's hand-over reads it here, in the object the frame is processed
     * in anyway, rather than the session's own fields: with thousands of sessions per thread
     * each object touched per frame is a cache miss.
     */
    private volatile boolean attached;
    private final Events events;
    /** Silence heard and audio arrivals, for the end-of-turn wait; null without a VAD. */
    private final HeardAudio heardAudio;
    private final Clock clock;
    private final long maxUtteranceNanos;
    private final SampleQueue prefix;
    /** Pitch and loudness of the user's voice, for the turn detector; null without a VAD or a detector that reads it. */
    private final ProsodyTracker prosody;
    private final SampleQueue backlog;
    private final AudioFrame chunk;
    private final AudioFrame slice;
    /** Samples per classified slice: 20 ms, whole channel groups. */
    private final int step;
    /** Set while a thread is inside {@link #process}; through {@link #BUSY}. */
    private volatile boolean busy;
    /** Onset sequence number shifted left by one, plus 1 while the gate is open; through {@link #GATE}. */
    private volatile long gate;
    /** How many of the failure trackers below are in a failing state. */
    private int failing;
    private long onsetSeq;
    private final Failures dropped = new Failures("audio dropped");
    private final Failures writeFailures = new Failures("recognizer write failed");
    private final Failures vadFailures = new Failures("VAD failed");
    private AudioFrame cleaned;
    private long prefixEndNanos;
    private long backlogEndNanos;

    /**
     * Calls of {@link #process} so far, written (a release store, through {@link #HEARD}) after
     * {@link #heardEndNanos}: the loop watches it for a stall.
     */
    private volatile long heard;
    /** The audio thread's own copy of {@link #heard}. */
    private long heardCount;
    /** When the latest audio ends, on the speech timeline of {@link #timelineEndNanos}. */
    private long heardEndNanos;
    /**
     * The end of the latest audio classified, in the frames' timestamps, except that audio that
     * came in a burst does not start before the audio ahead of it ends: onsets and offsets are
     * stamped on this timeline (see {@link #place}). Audio thread only.
     */
    private long timelineEndNanos = Long.MIN_VALUE;
    /** The latest frame's own timestamp; audio thread only. */
    private long lastStampNanos = Long.MIN_VALUE;
    /** The onset whose speech the loop ended because audio stopped coming; read by the audio thread. */
    private volatile long stalledOnset;

    private volatile SttStream stt;
    /** The stream {@link #written} counts for; a new stream starts its timeline at zero. */
    private SttStream counted;
    /** Nanoseconds of audio written to {@link #counted}: where the next frame starts on its word timeline. */
    private long written;
    private volatile boolean tap;
    private boolean speaking;
    private long speechNanos;
    private float lastProbability;
    private long lastVoicedEndNanos;

    /**
     * @param trackProsody whether the turn detector reads how the voice ended; only then is the
     *                     caller's pitch tracked, frame by frame (with a VAD)
     * @param heardAudio   where the silence heard and the arrival of each delivery are kept for
     *                     the user's turn (with a VAD)
     */
    InboundAudio(AudioFormat format, Vad vad, NoiseCanceller noiseCanceller, FarEnd farEnd, SessionConfig config,
                 boolean trackProsody, HeardAudio heardAudio, Clock clock, Events events) {
        this.format = format;
        this.heardAudio = vad != null ? heardAudio : null;
        this.clock = clock;
        this.vad = vad;
        this.noiseCanceller = noiseCanceller;
        this.farEnd = farEnd;
        this.echoFree = farEnd != null && farEnd.cancels() ? AudioFrame.allocate(format, format.samplesFor(20)) : null;
        this.events = events;
        this.maxUtteranceNanos = config.maxUtteranceDuration().toNanos();
        int prefixSamples = Math.max(1, format.samplesFor(config.prefixPadding().toMillis()));
        this.prefix = new SampleQueue(prefixSamples, prefixSamples);
        int backlogSamples = format.samplesFor(BACKLOG_SECONDS * 1000);
        this.backlog = new SampleQueue(format.samplesFor(200), backlogSamples);
        this.chunk = AudioFrame.allocate(format, format.samplesFor(20));
        this.prosody = vad != null && trackProsody ? new ProsodyTracker(format) : null;
        this.slice = AudioFrame.allocate(format, format.samplesFor(20));
        this.step = slice.capacity() - slice.capacity() % format.channels();
        // Without a VAD the recognizer hears everything and its results drive the turns.
        this.gate = vad == null ? 1 : 0;
    }

    void setStream(SttStream stream) {
        this.stt = stream;
    }

    /** Called by the loop once the session runs with this path: the transport's audio is taken from now on. */
    void attach() {
        attached = true;
    }

    /** Called by the loop when the session stops: the transport's audio is dropped from now on. */
    void detach() {
        attached = false;
    }

    /** Whether the session runs with this path: until then and once it stopped, the transport's audio is dropped. */
    boolean attached() {
        return attached;
    }

    void setTap(boolean tap) {
        this.tap = tap;
    }

    /**
     * Called by the loop when a turn ends or is discarded: stop streaming until the next
     * onset, unless an onset newer than {@code seq} already opened the gate again.
     */
    void closeGate(long seq) {
        if (vad != null) {
            GATE.compareAndSet(this, (seq << 1) | 1, seq << 1);
        }
    }

    /** How many times audio has come, for the loop's stall watch. */
    long heard() {
        return heard;
    }

    /**
     * Called by the loop when no audio came for a while during the speech of onset {@code seq}:
     * that speech is over (the loop reports its end), so speech in the next audio is a new
     * onset. Returns when the last audio heard ends.
     */
    long speechStalled(long seq) {
        long h = heard;
        stalledOnset = seq;
        return h > 0 ? heardEndNanos : 0;
    }

    boolean gateOpen() {
        return (gate & 1) != 0;
    }

    /**
     * Called by the loop when the session stops: the echo canceller is closed, now if no frame
     * is being processed, else by the audio thread when that frame is done.
     */
    void retire() {
        retired = true;
        if (echoFree != null && !busy) {
            farEnd.closeCanceller();
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
        if (!BUSY.compareAndSet(this, false, true)) {
            throw new IllegalStateException("audio must be delivered from one thread at a time");
        }
        try {
            long start = place(frame.timestampNanos(), frame.durationNanos());
            heardEndNanos = start + frame.durationNanos();
            HEARD.setRelease(this, ++heardCount);
            if (speaking && stalledOnset == onsetSeq) {
                // The loop ended this speech while no audio came: if the user is still
                // speaking, the VAD's next "speech" is a new onset.
                speaking = false;
                speechNanos = 0;
            }
            if (frame.length() <= step) {
                processSlice(frame, start);
            } else {
                short[] src = frame.samples();
                for (int off = 0; off < frame.length(); off += step) {
                    int n = Math.min(step, frame.length() - off);
                    System.arraycopy(src, off, slice.samples(), 0, n);
                    slice.setLength(n);
                    slice.setTimestampNanos(frame.timestampNanos() + format.nanosFor(off));
                    processSlice(slice, start + format.nanosFor(off));
                }
            }
            if (heardAudio != null) {
                heardAudio.arrived(clock.nanoTime(), frame.durationNanos());
            }
        } finally {
            // A release store: the next thread's compare-and-set sees this call's writes, and
            // no full fence is paid per frame.
            BUSY.setRelease(this, false);
            if (echoFree != null) {
                // Only with a canceller: a fence so that retire() and this thread cannot both
                // miss each other (one of them sees the other's write and closes it).
                VarHandle.fullFence();
                if (retired) {
                    farEnd.closeCanceller();
                }
            }
        }
    }

    /**
     * Where a frame stamped {@code stampNanos} begins on the speaker's timeline. A frame stamped
     * at or after the end of the audio before it begins at its stamp. One stamped earlier came
     * in a burst, or follows a burst: audio held back and delivered at once, stamped on arrival,
     * must still last as long as it was spoken (a 1.4 s sentence is not 2 ms of speech, too
     * short to count), so while frames come closer together than the audio they carry, each
     * begins where the one before it ends. Once they come in step again, the timeline eases
     * back to their stamps, by a quarter of each frame: otherwise one late delivery (a network
     * or machine stall) would place every later onset and offset late by as much, and every
     * later turn would end that much later than the user stopped [a 300 ms hold 2 s before the
     * user spoke ended a turn 280 ms late; TurnEval's paced player, whose late frames stamped
     * its whole run late, put the real-time end of speech 200-340 ms after the replay's].
     */
    private long place(long stampNanos, long durationNanos) {
        long previous = lastStampNanos;
        lastStampNanos = stampNanos;
        if (stampNanos >= timelineEndNanos) {
            return stampNanos;
        }
        boolean inStep = previous != Long.MIN_VALUE && stampNanos - previous >= durationNanos / 2;
        return inStep ? Math.max(stampNanos, timelineEndNanos - durationNanos / 4) : timelineEndNanos;
    }

    /** Classifies {@code frame}, which begins at {@code at} on the speaker's timeline ({@link #place}). */
    private void processSlice(AudioFrame frame, long at) {
        AudioFrame f = denoise(cancelEcho(frame));
        timelineEndNanos = at + f.durationNanos();
        if (tap) {
            events.userAudio(f.copy());
        }
        if (vad == null) {
            send(f);
            return;
        }
        boolean speech = classify(f);
        if (prosody != null) {
            prosody.process(f, lastProbability >= VOICED);
        }
        if (speech && !speaking) {
            speaking = true;
            speechNanos = 0;
            long seq = ++onsetSeq;
            gate = (seq << 1) | 1;
            events.speechStarted(seq, at);
        } else if (!speech && speaking) {
            speaking = false;
            // The decision turns false only after the detector's hangover; the user
            // stopped at the end of the last clearly voiced frame, and endpointing
            // delays count from there.
            long offset = lastVoicedEndNanos > 0 && lastVoicedEndNanos <= at ? lastVoicedEndNanos : at;
            events.speechEnded(offset, prosody != null ? prosody.snapshot() : Prosody.UNKNOWN, heardAt(offset, at));
        }
        if (lastProbability >= VOICED) {
            lastVoicedEndNanos = timelineEndNanos;
        }
        if (heardAudio != null) {
            // Silence counts from the end of the last clearly voiced frame, as the offset does.
            heardAudio.heard(f.durationNanos(), lastProbability >= VOICED);
        }
        if (speaking) {
            speechNanos += f.durationNanos();
            if (speechNanos >= maxUtteranceNanos) {
                speechNanos = 0;
                events.maxUtteranceReached();
            }
        }
        if (gateOpen()) {
            send(f);
        } else {
            prefix.add(f);
            prefixEndNanos = f.timestampNanos() + f.durationNanos();
        }
    }

    /**
     * Where {@code offsetNanos} lies in the recognizer's audio, on the audio thread before the
     * frame at {@code frameAtNanos} is sent: the frames since the offset went to the current stream, unless the gate
     * is closed, audio waits in the backlog or the stream changed, when it is unknown (-1).
     */
    private long heardAt(long offsetNanos, long frameAtNanos) {
        SttStream s = stt;
        if (!gateOpen() || s == null || s != counted || !backlog.isEmpty() || !prefix.isEmpty()) {
            return -1;
        }
        long at = written - (frameAtNanos - offsetNanos);
        return at >= 0 ? at : -1;
    }

    /**
     * Hands the far end what played while {@code frame} was captured and, with a canceller,
     * returns the frame without its echo.
     */
    private AudioFrame cancelEcho(AudioFrame frame) {
        if (farEnd == null) {
            return frame;
        }
        boolean cancel = echoFree != null && !retired;
        farEnd.release(frame, cancel);
        if (!cancel) {
            return frame;
        }
        echoFree.setLength(frame.length());
        echoFree.setTimestampNanos(frame.timestampNanos());
        farEnd.cancel(frame, echoFree);
        return echoFree;
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
            if (failing != 0) {
                vadFailures.ok(f.timestampNanos());
            }
            if (farEnd != null && !farEnd.userSpeech(f, r.speech())) {
                // The agent's own voice coming back: neither speech nor a voiced frame.
                lastProbability = 0f;
                return false;
            }
            return r.speech();
        } catch (RuntimeException e) {
            vadFailures.failed(f.timestampNanos(), 0, () -> SessionException.wrap(ErrorCode.VAD_ERROR, e));
            // Keep the previous decision rather than inventing an onset or offset.
            lastProbability = 0f;
            return speaking;
        }
    }

    private void send(AudioFrame f) {
        SttStream s = stt;
        if (s == null) {
            long lost = backlog.add(f);
            backlogEndNanos = f.timestampNanos() + f.durationNanos();
            if (lost > 0) {
                dropped.failed(f.timestampNanos(), lost, () -> new SessionException(ErrorCode.STT_ERROR,
                        "recognizer unavailable for over " + BACKLOG_SECONDS + " s; dropping user audio"));
            }
            return;
        }
        if (failing != 0) {
            dropped.ok(f.timestampNanos());
        }
        try {
            if (!prefix.isEmpty()) {
                replay(s, prefix, prefixEndNanos);
            }
            if (!backlog.isEmpty()) {
                replay(s, backlog, backlogEndNanos);
            }
            write(s, f);
            if (failing != 0) {
                writeFailures.ok(f.timestampNanos());
            }
        } catch (RuntimeException e) {
            writeFailures.failed(f.timestampNanos(), 0, () -> SessionException.wrap(ErrorCode.STT_ERROR, e));
        }
    }

    /** Writes to the recognizer, keeping count of where its timeline stands. */
    private void write(SttStream s, AudioFrame f) {
        if (s != counted) {
            counted = s;
            written = 0;
        }
        written += f.durationNanos();
        s.write(f);
    }

    /** Writes a queue's samples in 20 ms frames, timestamped as they were captured. */
    private void replay(SttStream s, SampleQueue q, long endNanos) {
        long t = endNanos - format.nanosFor(q.size());
        while (!q.isEmpty()) {
            int n = q.poll(chunk.samples(), chunk.capacity());
            chunk.setLength(n);
            chunk.setTimestampNanos(t);
            write(s, chunk);
            t += format.nanosFor(n);
        }
    }

    /**
     * One kind of failure on the audio path, reported when it starts, then at most every
     * {@link #REPORT_INTERVAL_NANOS} with what was lost meanwhile, and once more when it ends.
     */
    private final class Failures {
        private final String what;
        private ErrorCode code = ErrorCode.INTERNAL_ERROR;
        private boolean failing;
        private long lastReportNanos;
        private long count;
        private long samples;

        Failures(String what) {
            this.what = what;
        }

        void failed(long atNanos, long lostSamples, java.util.function.Supplier<SessionException> error) {
            count++;
            samples += lostSamples;
            if (!failing || atNanos - lastReportNanos >= REPORT_INTERVAL_NANOS) {
                SessionException e = error.get();
                if (failing) {
                    e = new SessionException(e.code(), e.getMessage() + " (" + summary() + " since the last report)",
                            e.getCause(), e.retryable());
                } else {
                    InboundAudio.this.failing++;
                }
                failing = true;
                code = e.code();
                lastReportNanos = atNanos;
                count = 0;
                samples = 0;
                events.error(e);
            }
        }

        void ok(long atNanos) {
            if (failing) {
                failing = false;
                InboundAudio.this.failing--;
                if (count > 0) {
                    events.error(new SessionException(code, what + ": " + summary()
                            + " before it recovered", null, false));
                }
                count = 0;
                samples = 0;
            }
        }

        private String summary() {
            return samples > 0 ? format.nanosFor(samples) / 1_000_000 + " ms of audio lost" : count + " more failures";
        }
    }

    private static final VarHandle BUSY;
    private static final VarHandle GATE;
    private static final VarHandle HEARD;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BUSY = l.findVarHandle(InboundAudio.class, "busy", boolean.class);
            GATE = l.findVarHandle(InboundAudio.class, "gate", long.class);
            HEARD = l.findVarHandle(InboundAudio.class, "heard", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
