package io.parley.transport.webrtc;

import dev.onvoid.webrtc.RTCPeerConnectionState;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over one WebRTC peer connection: the remote peer's microphone comes in,
 * the session's voice goes out, both as Opus.
 *
 * <p>Get one from {@link WebRtcEngine#answer} (a browser offered, usually through
 * {@link WhipHandler}) or {@link WebRtcEngine#offer} followed by {@link #acceptAnswer} (this
 * side offers, as {@link WhipClient} does).
 *
 * <p>Inbound: libwebrtc delivers 10 ms chunks, normally 48 kHz mono, on the engine's capture
 * thread, which serves every session; they are only copied into a lock-free ring there. This
 * transport's own thread ({@code parley-webrtc-<id>}) mixes them to
 * {@link TransportSettings#inputFormat()}'s channel count, resamples them with
 * {@link Resampler} and calls the listener, so a slow listener delays only its own session.
 * Audio starts flowing to the listener at {@link #start}; earlier audio is not kept.
 *
 * <p>Outbound: {@link #send} queues; the engine's pacer takes exactly 10 ms per tick once the
 * connection is up and pushes silence when the queue is empty or playback is paused.
 * {@link #playedSamples()} counts samples handed to the Opus encoder; they reach the remote
 * ear about 50 ms later (measured on one machine).
 *
 * <p>Connection events reach the listener on the same thread: {@code onConnected} when the
 * connection comes up, {@code onDisconnected} when connectivity is lost (it may come back, by
 * itself or through an ICE restart) or the peer ends the session, and {@code onError} with
 * {@code TRANSPORT_ERROR} when ICE gives up. A peer that sent nothing for
 * {@link WebRtcConfig#consentTimeout()} is closed as abandoned (libwebrtc itself would take
 * 15 s or more), so a closed browser tab releases its session within about 5 s.
 *
 * <p>Messages: a peer that opened a data channel labelled {@code parley-events} exchanges text
 * messages with {@link #sendMessage} and {@link #onMessage}; {@link EventChannel} uses it to
 * publish a session's events as JSON and to take the peer's commands.
 */
public final class WebRtcTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final String id;
    private final TransportSettings settings;
    private final WebRtcEngine engine;
    private final boolean offerer;
    private final OutboundQueue queue;
    private final short[] tickSamples;
    private final byte[] tickBytes;
    private final InboundRing ring;
    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final CopyOnWriteArrayList<Runnable> closeHooks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean answered = new AtomicBoolean();

    private PeerSession peer;
    private MessageChannel messages;
    private String localDescription;
    private volatile String principal = "";
    private volatile Consumer<String> messageHandler;
    private volatile boolean inputMuted;
    /** Consent check state (housekeeping thread only): bytes received at the last check and when they last grew. */
    private long consentBytes = -1;
    private long consentSinceNanos = System.nanoTime();
    private volatile TransportListener listener;
    private volatile Thread worker;
    private volatile boolean connected;
    private volatile boolean paused;
    private volatile boolean pushFailed;
    private final AtomicLong cleared = new AtomicLong();
    private volatile long receivedChunks;

    /** Worker-thread state for inbound conversion, reused for every chunk. */
    private final InboundConverter inbound;
    private long reportedDrops;

    WebRtcTransport(String id, TransportSettings settings, WebRtcEngine engine, boolean offerer) {
        this.id = id;
        this.settings = settings;
        this.engine = engine;
        this.offerer = offerer;
        AudioFormat out = settings.outputFormat();
        int maxQueued = Math.toIntExact(out.samplesFor(settings.maxQueuedAudio().toMillis()));
        this.queue = new OutboundQueue(Math.min(maxQueued, out.samplesFor(1_000)), maxQueued);
        this.tickSamples = new short[out.samplesFor(10)];
        this.tickBytes = new byte[tickSamples.length * 2];
        this.ring = new InboundRing(Math.max(10, (int) (settings.inboundBuffer().toMillis() / 10)),
                InboundConverter.MAX_CHUNK_SAMPLES * 2);
        this.inbound = new InboundConverter(settings.inputFormat());
    }

    /** Wires the libwebrtc side; called by the engine right after construction. */
    void attach(PeerSession peer, String localDescription) {
        if (this.peer != peer) {
            this.messages = new MessageChannel(id, peer);
        }
        this.peer = peer;
        this.localDescription = localDescription;
    }

    /** Events the peer connection reports, forwarded without blocking libwebrtc's threads. */
    PeerSession.Events peerEvents() {
        return new PeerSession.Events() {
            @Override
            public void onState(RTCPeerConnectionState state) {
                onPeerState(state);
            }

            @Override
            public void onRemoteAudio(byte[] pcm, int bytes, int sampleRate, int channels) {
                if (listener != null && !closed.get() && ring.offer(pcm, bytes, sampleRate, channels, settings.clock().nanoTime())) {
                    receivedChunks++;
                    Thread w = worker;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }

            @Override
            public void onChannelOpen() {
                // Never send from libwebrtc's signalling thread: sending waits on it.
                engine.schedule(messages::opened, 0);
            }

            @Override
            public void onChannelMessage(String text) {
                events.add(() -> {
                    Consumer<String> h = messageHandler;
                    if (h != null) {
                        h.accept(text);
                    } else {
                        LOG.debug("transport {}: no message handler; dropped {}", id, text);
                    }
                });
                Thread w = worker;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        };
    }

    /**
     * Sends a text message to the remote peer on the {@code parley-events} data channel. Until
     * the channel opens, messages wait (in order, at most 1000, the oldest dropped first); a peer
     * that never opens the channel never receives them. Thread-safe; may block briefly while
     * libwebrtc takes the message.
     *
     * @throws SessionException {@link ErrorCode#TRANSPORT_CLOSED} once closed, or
     *                          {@link ErrorCode#TRANSPORT_ERROR} if libwebrtc refuses the message
     */
    public void sendMessage(String text) {
        Objects.requireNonNull(text, "text");
        checkOpen();
        messages.send(text);
    }

    /**
     * Receives the remote peer's text messages from the {@code parley-events} data channel, on
     * this transport's thread (the one that delivers audio; keep the handler short). Messages
     * arriving before {@link #start} wait for it; with no handler they are dropped.
     */
    public void onMessage(Consumer<String> handler) {
        this.messageHandler = Objects.requireNonNull(handler, "handler");
    }

    /** Whether the {@code parley-events} data channel is open and messages go straight out. */
    public boolean isMessageChannelOpen() {
        return messages.isOpen();
    }

    /**
     * Mutes the remote microphone on this side: while muted the listener receives silence of
     * the same length in place of the peer's audio, so timing and turn-taking go on.
     */
    public void setInputMuted(boolean muted) {
        this.inputMuted = muted;
    }

    /** Whether inbound audio is currently replaced by silence. */
    public boolean isInputMuted() {
        return inputMuted;
    }

    /** RTP packet counters of this connection's audio, from libwebrtc's statistics. */
    public CompletableFuture<RtpCounters> rtpCounters() {
        checkOpen();
        return peer.rtpCounters();
    }

    /**
     * Who opened this transport, as {@link WhipHandler.Authenticator} named them; empty when it
     * was not created through an authenticated WHIP request.
     */
    public String principal() {
        return principal;
    }

    void principal(String principal) {
        this.principal = principal;
    }

    /** The remote peer's current ICE username fragment. */
    String remoteIceUfrag() {
        return peer.remoteUfrag();
    }

    /** Restarts ICE with the remote peer's new credentials and candidates; returns ours. */
    synchronized IceFragment restartIce(IceFragment remote) {
        checkOpen();
        return peer.restartIce(remote);
    }

    /** Adds candidates the remote peer trickled. */
    synchronized void addRemoteCandidates(IceFragment remote) {
        checkOpen();
        peer.addRemoteCandidates(remote);
    }

    /**
     * One consent check (engine housekeeping, every 500 ms): closes the transport when nothing
     * arrived from the peer for {@code timeoutNanos}, or when it never connected within
     * {@code connectNanos}.
     */
    void checkConsent(long bytesReceived, long nowNanos, long timeoutNanos, long connectNanos) {
        if (bytesReceived != consentBytes) {
            consentBytes = bytesReceived;
            consentSinceNanos = nowNanos;
            return;
        }
        long silent = nowNanos - consentSinceNanos;
        boolean everConnected = firstConnect.isDone();
        if (silent > (everConnected ? timeoutNanos : connectNanos) && !closed.get()) {
            String why = everConnected ? "the peer sent nothing for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms"
                    : "the peer did not connect within " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms";
            LOG.info("transport {}: {}; releasing it", id, why);
            closeByPeer(why);
        }
    }

    /** Total bytes received on this connection's transports, for the consent check. */
    CompletableFuture<Long> bytesReceived() {
        return peer.transportBytesReceived();
    }

    /** Identifier of this transport; also the last segment of its WHIP resource URL. */
    public String id() {
        return id;
    }

    /**
     * This side's SDP with all gathered ICE candidates: the answer (when the remote offered) or
     * the offer (when created by {@link WebRtcEngine#offer}).
     */
    public String localDescription() {
        return localDescription;
    }

    /**
     * Applies the remote answer to the offer this transport made.
     *
     * @throws IllegalStateException    if this transport answered a remote offer, or an answer was already applied
     * @throws IllegalArgumentException if libwebrtc rejects the answer
     */
    public void acceptAnswer(String answerSdp) {
        Objects.requireNonNull(answerSdp, "answerSdp");
        if (!offerer) {
            throw new IllegalStateException("transport " + id + " answered a remote offer; there is no answer to accept");
        }
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("transport " + id + " already accepted an answer");
        }
        checkOpen();
        Sdp.requireValid(answerSdp, "answer");
        peer.acceptAnswer(answerSdp);
    }

    /** Whether the peer connection is currently up. */
    public boolean isConnected() {
        return connected;
    }

    /**
     * Waits until the connection first comes up.
     *
     * @return false if it did not within {@code timeout}
     * @throws SessionException if the connection failed or the transport closed first
     */
    public boolean awaitConnected(Duration timeout) {
        try {
            firstConnect.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "interrupted while waiting for the connection", e);
        }
    }

    /** Counters for monitoring. */
    public TransportStats stats() {
        return new TransportStats(receivedChunks, ring.dropped(), queue.polled(), cleared.get(), queue.size());
    }

    @Override
    public AudioFormat inputFormat() {
        return settings.inputFormat();
    }

    @Override
    public AudioFormat outputFormat() {
        return settings.outputFormat();
    }

    @Override
    public void start(TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("transport " + id + " was already started");
        }
        this.listener = listener;
        Thread t = new Thread(this::workerLoop, "parley-webrtc-" + id);
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    @Override
    public void send(AudioFrame frame) {
        Objects.requireNonNull(frame, "frame");
        checkOpen();
        if (!frame.format().equals(settings.outputFormat())) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "frame format " + frame.format()
                    + " does not match the transport's output format " + settings.outputFormat());
        }
        if (!queue.offer(frame.samples(), 0, frame.length())) {
            throw new SessionException(ErrorCode.INVALID_STATE, "outbound queue of transport " + id + " would exceed "
                    + settings.maxQueuedAudio().toMillis() + " ms; send audio paced, at most a short lead ahead of playout");
        }
    }

    /** When this returns, {@link #playedSamples()} stays put until new audio is sent. */
    @Override
    public void clearPlayback() {
        int dropped = queue.clear();
        cleared.addAndGet(dropped);
    }

    @Override
    public boolean canPause() {
        return true;
    }

    @Override
    public void pausePlayback() {
        paused = true;
    }

    @Override
    public void resumePlayback() {
        paused = false;
    }

    @Override
    public long playedSamples() {
        return queue.polled();
    }

    /**
     * Tells the listener the remote side ended the session (for example a WHIP {@code DELETE}),
     * then closes.
     */
    public void closeByPeer(String reason) {
        if (!closed.get()) {
            enqueue(l -> l.onDisconnected(reason));
        }
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connected = false;
        engine.release(this);
        firstConnect.completeExceptionally(new SessionException(ErrorCode.TRANSPORT_CLOSED, "transport " + id + " closed"));
        for (Runnable hook : closeHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.error("transport {}: a close hook failed", id, e);
            }
        }
        Thread w = worker;
        if (w != null && w != Thread.currentThread()) {
            LockSupport.unpark(w);
            try {
                w.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Disposes the libwebrtc side; the engine calls this under its lock. */
    void disposePeer() {
        if (peer != null) {
            peer.dispose();
        }
    }

    /**
     * Runs {@code hook} once when this transport closes, whoever closes it (the application,
     * the remote peer through WHIP, or engine shutdown); at once if it is already closed. Hooks
     * run on the closing thread and must not block for long.
     */
    public void onClose(Runnable hook) {
        Objects.requireNonNull(hook, "hook");
        closeHooks.add(hook);
        if (closed.get() && closeHooks.remove(hook)) {
            hook.run();
        }
    }

    /** One pacer tick: exactly 10 ms out, real audio if queued and playing, else silence. */
    void pacerTick() {
        if (!connected || pushFailed) {
            return;
        }
        int n = tickSamples.length;
        int got = paused ? 0 : queue.poll(tickSamples, n);
        for (int i = got; i < n; i++) {
            tickSamples[i] = 0;
        }
        for (int i = 0; i < n; i++) {
            short s = tickSamples[i];
            tickBytes[2 * i] = (byte) s;
            tickBytes[2 * i + 1] = (byte) (s >> 8);
        }
        AudioFormat out = settings.outputFormat();
        peer.push(tickBytes, out.sampleRate(), out.channels());
    }

    /** The pacer could not push for this transport; stop pushing and report it. */
    void fail(RuntimeException e) {
        pushFailed = true;
        enqueue(l -> l.onError(SessionException.wrap(ErrorCode.TRANSPORT_ERROR, e)));
    }

    private void onPeerState(RTCPeerConnectionState state) {
        switch (state) {
            case CONNECTED -> {
                connected = true;
                firstConnect.complete(null);
                enqueue(TransportListener::onConnected);
            }
            case DISCONNECTED -> {
                connected = false;
                enqueue(l -> l.onDisconnected("WebRTC connectivity lost; it may come back"));
            }
            case FAILED -> {
                connected = false;
                SessionException e = new SessionException(ErrorCode.TRANSPORT_ERROR, "WebRTC connection of transport " + id + " failed (ICE or DTLS)");
                firstConnect.completeExceptionally(e);
                enqueue(l -> l.onError(e));
                // Without ICE restarts a failed connection never recovers; release it from the
                // transport's own thread, never from libwebrtc's signalling thread.
                events.add(this::close);
            }
            case CLOSED -> {
                connected = false;
                if (!closed.get()) {
                    enqueue(l -> l.onDisconnected("the remote peer closed the connection"));
                }
            }
            default -> {
                // NEW and CONNECTING need no action.
            }
        }
    }

    private void enqueue(java.util.function.Consumer<TransportListener> event) {
        events.add(() -> {
            TransportListener l = listener;
            if (l != null) {
                event.accept(l);
            }
        });
        Thread w = worker;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    private void workerLoop() {
        while (true) {
            boolean closing = closed.get();
            runEvents();
            drainInbound();
            if (closing) {
                return;
            }
            if (events.isEmpty() && ring.isEmpty()) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
    }

    private void runEvents() {
        Runnable e;
        while ((e = events.poll()) != null) {
            try {
                e.run();
            } catch (RuntimeException ex) {
                LOG.error("transport {}: listener threw while handling a connection event", id, ex);
            }
        }
    }

    private void drainInbound() {
        InboundRing.Slot slot;
        while ((slot = ring.peek()) != null) {
            try {
                AudioFrame frame = inbound.convert(slot, inputMuted);
                if (frame != null) {
                    listener.onAudio(frame);
                }
            } catch (SessionException ex) {
                ring.release();
                enqueue(l -> l.onError(ex));
                runEvents();
                continue;
            } catch (RuntimeException ex) {
                LOG.error("transport {}: listener threw on inbound audio", id, ex);
            }
            ring.release();
        }
        long drops = ring.dropped();
        if (drops != reportedDrops) {
            LOG.warn("transport {}: dropped {} ms of inbound audio because its listener fell behind ({} ms so far)",
                    id, (drops - reportedDrops) * 10, drops * 10);
            reportedDrops = drops;
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new SessionException(ErrorCode.TRANSPORT_CLOSED, "transport " + id + " is closed");
        }
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + (connected ? ", connected" : "") + (closed.get() ? ", closed" : "") + "]";
    }
}
