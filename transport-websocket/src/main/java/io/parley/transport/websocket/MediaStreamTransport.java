package io.parley.transport.websocket;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's audio over a media-stream WebSocket, as a {@link Transport} for a
 * {@code VoiceSession}: caller audio is decoded from the wire encoding (µ-law, A-law or
 * PCM16LE) and resampled to the session rate; the agent's audio goes the other way, followed
 * by a playout mark every {@link StreamSettings#markInterval()}.
 *
 * <p>{@link #playedSamples()} follows the marks the provider echoes, so an interrupted reply is
 * cut to what the caller heard; {@link #clearPlayback()} sends the provider's clear message.
 * Neither direction allocates per frame. Instances come from {@link TelephonyRoutes}.
 */
public final class MediaStreamTransport implements Transport {

    private static final Logger log = LoggerFactory.getLogger(MediaStreamTransport.class);
    private static final String MARK_PREFIX = "parley-";

    private final CallInfo call;
    private final MediaStreamProtocol protocol;
    private final MessageSocket wire;
    private final Clock clock;
    private final AudioFormat format;
    private final StreamSettings settings;
    private final StreamStats.Counters counters;
    private final Playout playout;
    private final List<CallListener> callListeners = new CopyOnWriteArrayList<>();

    // Inbound, on the socket's thread (early audio also under this lock).
    private final Object inLock = new Object();
    private final Resampler inResampler;
    private final int wireFrameSamples;
    private final AudioFrame wireIn;
    private final AudioFrame sessionIn;
    private final short[] early;
    private int earlyLength;
    private long lastChunk = -1;
    private long lastChunkSamples;
    private volatile TransportListener listener;
    private final List<EarlyDtmf> earlyDtmf = new ArrayList<>();

    // Outbound, on the session's loop.
    private final Object outLock = new Object();
    private final Resampler outResampler;
    private AudioFrame wireOut;
    private byte[] encoded;
    private final StringBuilder text = new StringBuilder(1024);
    // Fixed-length audio messages (Vonage, Exotel): encoded audio waits here until a frame is full.
    private final byte[] frameOut;
    private int frameOutLength;
    private final int sessionFrameSamples;

    private volatile boolean closed;
    private volatile boolean hungUp;

    MediaStreamTransport(CallInfo call, MediaStreamProtocol protocol, MessageSocket wire, StreamSettings settings,
                         StreamStats.Counters counters) {
        this.call = Objects.requireNonNull(call, "call");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.wire = Objects.requireNonNull(wire, "wire");
        this.settings = settings;
        this.clock = settings.clock();
        this.counters = counters;
        this.format = new AudioFormat(settings.sessionRate(), 1);
        AudioFormat wireFormat = new AudioFormat(call.sampleRate(), 1);
        this.playout = new Playout(format, format.samplesForNanos(settings.markInterval().toNanos()));
        // Telephone audio is band-limited by the network: a third of the standard filter's work.
        Resampler.Quality quality = wireFormat.sampleRate() == 8_000 ? Resampler.Quality.TELEPHONE : Resampler.Quality.STANDARD;
        this.inResampler = Resampler.create(wireFormat, format, quality);
        this.outResampler = Resampler.create(format, wireFormat, quality);
        this.wireFrameSamples = wireFormat.samplesFor(20);
        this.wireIn = AudioFrame.allocate(wireFormat, wireFrameSamples);
        this.sessionIn = AudioFrame.allocate(format, inResampler.outputCapacity(wireFrameSamples));
        this.early = new short[format.samplesFor(settings.earlyAudio().toMillis())];
        this.wireOut = AudioFrame.allocate(wireFormat, outResampler.outputCapacity(format.samplesFor(20)));
        this.encoded = new byte[wireOut.capacity() * call.encoding().bytesPerSample()];
        int frameMillis = protocol.mediaFrameMillis();
        this.frameOut = frameMillis > 0 ? new byte[wireFormat.samplesFor(frameMillis) * call.encoding().bytesPerSample()] : null;
        this.sessionFrameSamples = format.samplesFor(20);
    }

    /** The call this stream carries. */
    public CallInfo call() {
        return call;
    }

    /** Counters of this stream so far. */
    public StreamStats stats() {
        return counters.snapshot();
    }

    /** Adds a listener for typed text and hang-up. */
    public void addCallListener(CallListener l) {
        callListeners.add(Objects.requireNonNull(l, "listener"));
    }

    /** Removes a listener added with {@link #addCallListener}. */
    public void removeCallListener(CallListener l) {
        callListeners.remove(l);
    }

    /** Whether the caller hung up (or the provider ended the stream). */
    public boolean hungUp() {
        return hungUp;
    }

    /** Samples of agent audio sent and not yet confirmed played by a mark echo or elapsed time. */
    public long bufferedSamples() {
        return playout.buffered(clock.nanoTime());
    }

    @Override
    public AudioFormat inputFormat() {
        return format;
    }

    @Override
    public AudioFormat outputFormat() {
        return format;
    }

    @Override
    public void start(TransportListener l) {
        Objects.requireNonNull(l, "listener");
        synchronized (inLock) {
            if (listener != null) {
                throw new IllegalStateException("transport already started");
            }
            // Audio that arrived while the session was starting goes first, in 20 ms frames.
            int step = format.samplesFor(20);
            for (int off = 0; off < earlyLength; off += step) {
                int n = Math.min(step, earlyLength - off);
                System.arraycopy(early, off, sessionIn.samples(), 0, n);
                sessionIn.setLength(n).setTimestampNanos(clock.nanoTime() - format.nanosFor(earlyLength - off));
                l.onAudio(sessionIn);
            }
            earlyLength = 0;
            for (EarlyDtmf d : earlyDtmf) {
                l.onDtmf(d.digit(), d.held());
            }
            earlyDtmf.clear();
            listener = l;
        }
        l.onConnected();
    }

    @Override
    public void send(AudioFrame frame) {
        if (closed || hungUp) {
            return;
        }
        synchronized (outLock) {
            int needed = outResampler.outputCapacity(frame.length());
            if (needed > wireOut.capacity()) {
                wireOut = AudioFrame.allocate(wireOut.format(), needed);
                encoded = new byte[needed * call.encoding().bytesPerSample()];
            }
            int n = outResampler.process(frame, wireOut);
            int padded = 0;
            if (frameOut != null) {
                int bytes = call.encoding().encode(wireOut.samples(), n, encoded);
                padded = sendFramed(bytes, frame.length() < sessionFrameSamples);
            } else if (n > 0) {
                sendMedia(encoded, call.encoding().encode(wireOut.samples(), n, encoded));
            }
            long mark = playout.sent(frame.length() + padded, clock.nanoTime());
            if (mark > 0) {
                text.setLength(0);
                protocol.writeMark(call, MARK_PREFIX + mark, text);
                wire.sendText(text.toString());
                counters.marksSent++;
            }
        }
    }

    /**
     * Sends {@code encoded[0..bytes)} in frames of exactly {@code frameOut.length} bytes; a
     * partial frame waits for more audio unless {@code last} (the session's short final frame
     * of a reply), when it is padded with silence and sent.
     *
     * @return the padding, in session samples, so playout counts what the far end plays
     */
    private int sendFramed(int bytes, boolean last) {
        int off = 0;
        while (off < bytes) {
            int n = Math.min(bytes - off, frameOut.length - frameOutLength);
            System.arraycopy(encoded, off, frameOut, frameOutLength, n);
            frameOutLength += n;
            off += n;
            if (frameOutLength == frameOut.length) {
                sendMedia(frameOut, frameOut.length);
                frameOutLength = 0;
            }
        }
        if (!last || frameOutLength == 0) {
            return 0;
        }
        int padBytes = frameOut.length - frameOutLength;
        java.util.Arrays.fill(frameOut, frameOutLength, frameOut.length, call.encoding().silence());
        sendMedia(frameOut, frameOut.length);
        frameOutLength = 0;
        long wireSamples = padBytes / call.encoding().bytesPerSample();
        return (int) (wireSamples * format.sampleRate() / call.sampleRate());
    }

    private void sendMedia(byte[] audio, int bytes) {
        if (protocol.binaryMedia()) {
            wire.sendBinary(audio, bytes);
        } else {
            text.setLength(0);
            protocol.writeMedia(call, audio, bytes, text);
            wire.sendText(text.toString());
        }
        counters.framesOut++;
    }

    @Override
    public void clearPlayback() {
        synchronized (outLock) {
            playout.clear(clock.nanoTime());
            // Samples still in the filter belong to the cut reply.
            outResampler.reset();
            frameOutLength = 0;
            if (closed || hungUp) {
                return;
            }
            text.setLength(0);
            protocol.writeClear(call, text);
            wire.sendText(text.toString());
            counters.clears++;
        }
    }

    @Override
    public long playedSamples() {
        return playout.played(clock.nanoTime());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wire.close(1000, "session ended");
    }

    /** Caller audio from one media message. */
    void media(InboundMessage m) {
        int bps = call.encoding().bytesPerSample();
        int bytes = m.payloadLength();
        if (bytes % bps != 0) {
            skip(Problem.BAD_PAYLOAD, "media payload of " + bytes + " bytes is not whole " + call.encoding() + " samples");
            return;
        }
        int samples = bytes / bps;
        synchronized (inLock) {
            long chunk = m.chunk();
            if (chunk >= 0 && lastChunk >= 0) {
                if (chunk <= lastChunk) {
                    skip(Problem.LATE_CHUNK, "media chunk " + chunk + " after chunk " + lastChunk);
                    return;
                }
                long missing = chunk - lastChunk - 1;
                if (missing > 0) {
                    counters.chunksMissing += missing;
                    conceal(missing * Math.max(samples, lastChunkSamples));
                }
            }
            if (chunk >= 0) {
                lastChunk = chunk;
                lastChunkSamples = samples;
            }
            byte[] payload = m.payload();
            for (int off = 0; off < samples; off += wireFrameSamples) {
                int n = Math.min(wireFrameSamples, samples - off);
                call.encoding().decode(payload, off * bps, wireIn.samples(), n);
                wireIn.setLength(n);
                deliver();
            }
            counters.framesIn++;
        }
    }

    /** A gap in the chunk sequence becomes silence of the same length, so the timeline holds. */
    private void conceal(long wireSamples) {
        long left = Math.min(wireSamples, wireIn.format().samplesForNanos(settings.maxConcealment().toNanos()));
        short[] s = wireIn.samples();
        java.util.Arrays.fill(s, (short) 0);
        while (left > 0) {
            int n = (int) Math.min(wireFrameSamples, left);
            wireIn.setLength(n);
            deliver();
            left -= n;
        }
    }

    private void deliver() {
        inResampler.process(wireIn, sessionIn);
        int n = sessionIn.length();
        if (n == 0) {
            return;
        }
        TransportListener l = listener;
        if (l != null) {
            sessionIn.setTimestampNanos(clock.nanoTime());
            l.onAudio(sessionIn);
        } else {
            int keep = Math.min(n, early.length - earlyLength);
            System.arraycopy(sessionIn.samples(), 0, early, earlyLength, keep);
            earlyLength += keep;
            if (keep < n) {
                counters.samplesDropped += n - keep;
            }
        }
    }

    /** A mark came back. */
    void markEchoed(String name) {
        long seq = -1;
        if (name.startsWith(MARK_PREFIX)) {
            try {
                seq = Long.parseLong(name, MARK_PREFIX.length(), name.length(), 10);
            } catch (NumberFormatException e) {
                seq = -1;
            }
        }
        Playout.Echo echo = seq > 0 ? playout.echoed(seq, clock.nanoTime()) : Playout.Echo.UNKNOWN;
        switch (echo) {
            case PLAYED -> counters.marksPlayed++;
            case CLEARED -> { }
            case UNKNOWN -> skip(Problem.UNKNOWN_MARK, "mark '" + name + "' was not sent on this stream or echoed twice");
        }
    }

    /**
     * A key press goes to the session; one that arrives while the session is still starting
     * waits for it, like early audio.
     */
    void dtmf(char digit, long durationMillis) {
        Duration held = durationMillis < 0 ? Duration.ZERO : Duration.ofMillis(durationMillis);
        TransportListener l;
        synchronized (inLock) {
            l = listener;
            if (l == null) {
                earlyDtmf.add(new EarlyDtmf(digit, held));
                return;
            }
        }
        l.onDtmf(digit, held);
    }

    private record EarlyDtmf(char digit, Duration held) {
    }

    void text(String t) {
        for (CallListener l : callListeners) {
            try {
                l.onText(t);
            } catch (RuntimeException e) {
                log.warn("call {}: text listener failed", call.callId(), e);
            }
        }
    }

    /** The far end ended the call; returns false if it had already. */
    boolean hangUp(String reason) {
        if (hungUp) {
            return false;
        }
        // No onDisconnected: a phone call does not come back; the connection stops the session.
        hungUp = true;
        for (CallListener c : callListeners) {
            try {
                c.onHangUp(reason);
            } catch (RuntimeException e) {
                log.warn("call {}: hang-up listener failed", call.callId(), e);
            }
        }
        return true;
    }

    /** Counts a skipped message; the first of each kind is also reported to the session. */
    void skip(Problem problem, String detail) {
        if (counters.skip(problem)) {
            log.warn("{} stream {}: {} ({}); further ones are only counted", call.protocol(), call.streamId(), detail, problem);
            TransportListener l = listener;
            if (l != null) {
                l.onError(new SessionException(ErrorCode.PROVIDER_PROTOCOL,
                        call.protocol() + " stream " + call.streamId() + ": " + problem + ": " + detail));
            }
        }
    }
}
