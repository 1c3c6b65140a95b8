package io.parley.transport.webrtc;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.logging.Logging;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's handle on libwebrtc (through webrtc-java 0.14.0, which nothing outside this package
 * sees): one audio device module, one peer-connection factory and one pacer thread, shared by
 * every {@link WebRtcTransport} it creates.
 *
 * <p>webrtc-java 0.14.0 moves audio reliably only when set up in one exact order, and aborts
 * the JVM ({@code RTC_CHECK}) or silently delivers nothing in others. This class is the only
 * place that order lives:
 * <ol>
 *   <li>a headless audio device module with playout and then recording started <em>before</em>
 *       the factory exists, so libwebrtc's device buffer refuses the voice engine's transport
 *       and the module's capture thread pulls the mixer that feeds every remote sink, while the
 *       captured (silent) frames go nowhere and each session's own source is the only producer
 *       of its send stream;</li>
 *   <li>at most one engine per process at a time ({@link #start} refuses a second);</li>
 *   <li>recording re-armed before each new peer connection, because libwebrtc stops it when the
 *       last send stream goes away;</li>
 *   <li>teardown per session: stop pushing, remove the remote sink, remove our sender, close
 *       the connection, dispose the track, then its source; at {@link #close()}: every
 *       transport, then the factory, then the module.</li>
 * </ol>
 *
 * <p>Always {@link #close()} the engine: libwebrtc attaches non-daemon threads to the JVM, which
 * otherwise cannot exit.
 *
 * <p>Known limits of webrtc-java 0.14.0, measured on a 2-core Debian 12 machine: its
 * {@code RTCPeerConnection.close()} never releases the native peer connection, so each closed
 * session keeps about 0.2 MB of native memory (170-220 KiB per session of two peer connections
 * in a 300-session soak), and an engine that had sessions leaves two native threads
 * ({@code AudioDeviceBuff}, {@code rtc-low-prio}) behind when closed. Neither grows with the
 * number of sessions in flight; prefer one engine for the life of the process. ICE never uses the loopback interface (libwebrtc skips it), so even
 * same-host peers need a non-loopback interface.
 */
public final class WebRtcEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcEngine.class);
    private static final Object PROCESS_LOCK = new Object();
    private static WebRtcEngine live;
    private static boolean nativeLogInstalled;
    private static final java.util.regex.Pattern EXPECTED_NATIVE_ERRORS = java.util.regex.Pattern.compile(
            "Failed to set audio transport since media was active|Failed to set stereo (playout|recording) mode");

    private static final long CONSENT_CHECK_MILLIS = 500;
    private static final String HOUSEKEEPING_THREAD = "parley-webrtc-housekeeping";

    private final WebRtcConfig config;
    private final HeadlessAudioDeviceModule adm;
    private final PeerConnectionFactory factory;
    private final Pacer pacer;
    /**
     * Runs what must not run on libwebrtc's threads nor block a transport: flushing data-channel
     * messages when a channel opens, and closing peers that stayed disconnected too long.
     */
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, HOUSEKEEPING_THREAD);
        t.setDaemon(true);
        return t;
    });
    /** Transports negotiate and dispose under the read lock; engine close takes the write lock. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object admLock = new Object();
    private final Set<WebRtcTransport> transports = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private boolean closed;

    private WebRtcEngine(WebRtcConfig config) {
        this.config = config;
        try {
            adm = new HeadlessAudioDeviceModule();
        } catch (LinkageError e) {
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "the webrtc-java native library did not load (" + e
                    + "); it needs linux-x86_64 with glibc 2.18+, the shared libraries of libpulse0 libudev1 libx11-6"
                    + " libxfixes3 libxrandr2 libxcomposite1 libdbus-1-3, and an exec-able java.io.tmpdir", e, false);
        }
        // Order matters: see the class comment. Playout first, then recording, then the factory.
        adm.initPlayout();
        adm.startPlayout();
        adm.initRecording();
        adm.startRecording();
        factory = new PeerConnectionFactory(adm);
        pacer = new Pacer();
        pacer.start();
        housekeeping.scheduleWithFixedDelay(this::checkConsent, CONSENT_CHECK_MILLIS, CONSENT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Loads libwebrtc and sets it up in the one safe order.
     *
     * @throws IllegalStateException if another engine is open in this process
     * @throws SessionException      ({@link ErrorCode#TRANSPORT_ERROR}) if the native library cannot load
     */
    public static WebRtcEngine start(WebRtcConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (PROCESS_LOCK) {
            if (live != null) {
                throw new IllegalStateException("a WebRtcEngine is already open in this process; share it, or close it"
                        + " first (webrtc-java 0.14.0 is only safe with one headless factory at a time)");
            }
            WebRtcEngine engine = new WebRtcEngine(config);
            if (!nativeLogInstalled) {
                // ERROR only: WARNING adds ~200 lines/s of harmless "invalid audio transport" from this setup.
                Logging.addLogSink(Logging.Severity.ERROR, WebRtcEngine::nativeLog);
                nativeLogInstalled = true;
            }
            live = engine;
            return engine;
        }
    }

    private static void nativeLog(Logging.Severity severity, String message) {
        NativeCallbacks.guard("native log", () -> {
            String m = String.valueOf(message).strip();
            if (EXPECTED_NATIVE_ERRORS.matcher(m).find()) {
                // Consequences of the deliberate setup order (headless module, transport refused), not faults.
                LOG.debug("libwebrtc: {}", m);
            } else {
                LOG.error("libwebrtc: {}", m);
            }
        });
    }

    /** The configuration this engine runs with. */
    public WebRtcConfig config() {
        return config;
    }

    /**
     * Answers a remote offer: the usual server side, as in WHIP. Returns once the answer and
     * all its ICE candidates are ready in {@link WebRtcTransport#localDescription()}.
     *
     * @throws IllegalArgumentException if the offer is not usable SDP or libwebrtc rejects it
     * @throws SessionException         if negotiation times out or fails inside libwebrtc
     */
    public WebRtcTransport answer(String offerSdp, TransportSettings settings) {
        Sdp.requireValid(offerSdp, "offer");
        return negotiate(settings, false, offerSdp);
    }

    /**
     * Creates an offer for a remote answerer (a Java client, as {@link WhipClient} uses). Send
     * {@link WebRtcTransport#localDescription()} and apply the reply with
     * {@link WebRtcTransport#acceptAnswer}.
     */
    public WebRtcTransport offer(TransportSettings settings) {
        return negotiate(settings, true, null);
    }

    private WebRtcTransport negotiate(TransportSettings settings, boolean offerer, String offerSdp) {
        Objects.requireNonNull(settings, "settings");
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new SessionException(ErrorCode.TRANSPORT_CLOSED, "the WebRTC engine is closed");
            }
            WebRtcTransport transport = new WebRtcTransport(newId(), settings, this, offerer);
            PeerSession peer;
            synchronized (admLock) {
                // libwebrtc stops recording when the last send stream goes away; without the
                // capture thread no remote sink would ever be fed.
                adm.initRecording();
                adm.startRecording();
                peer = new PeerSession(factory, config, transport.id(), transport.peerEvents());
            }
            transport.attach(peer, null);
            try {
                String sdp = offerer ? peer.offer() : peer.answer(offerSdp);
                transport.attach(peer, sdp);
            } catch (RuntimeException e) {
                peer.dispose();
                throw e;
            }
            transports.add(transport);
            pacer.add(transport);
            return transport;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Asks every transport's peer what it received, and lets each judge whether its peer is gone. */
    private void checkConsent() {
        long timeout = config.consentTimeout().toNanos();
        // A peer that never connects is released once ICE could have failed twice over.
        long connect = Math.max(timeout, 2 * config.negotiationTimeout().toNanos());
        for (WebRtcTransport t : transports) {
            try {
                t.bytesReceived().whenComplete((bytes, e) -> {
                    if (e == null) {
                        schedule(() -> t.checkConsent(bytes, System.nanoTime(), timeout, connect), 0);
                    }
                });
            } catch (RuntimeException e) {
                // The transport closed between listing and asking.
                LOG.debug("consent check skipped for {}", t, e);
            }
        }
    }

    /** Runs {@code task} on the engine's housekeeping thread after {@code delayMillis}. */
    void schedule(Runnable task, long delayMillis) {
        try {
            housekeeping.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("WebRTC housekeeping task failed", e);
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The engine closed; every transport is being closed with it.
            LOG.debug("engine closed; dropped housekeeping task", e);
        }
    }

    /** Open transports of this engine. */
    public int activeTransports() {
        return transports.size();
    }

    /** Times the pacer fell over 100 ms behind and restarted its grid (a sign of CPU starvation). */
    public long pacerResyncs() {
        return pacer.resyncs();
    }

    /** Called by a transport as it closes: tears its peer down in the safe order. */
    void release(WebRtcTransport transport) {
        lifecycle.readLock().lock();
        try {
            if (!transports.remove(transport)) {
                return;
            }
            pacer.remove(transport);
            transport.disposePeer();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Closes every transport, then releases libwebrtc. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            List<WebRtcTransport> open = new ArrayList<>(transports);
            for (WebRtcTransport t : open) {
                t.closeByPeer("the WebRTC engine is shutting down");
            }
            closed = true;
            housekeeping.shutdownNow();
            pacer.stop();
            factory.dispose();
            adm.stopPlayout();
            adm.stopRecording();
            adm.dispose();
        } finally {
            lifecycle.writeLock().unlock();
            synchronized (PROCESS_LOCK) {
                if (live == this) {
                    live = null;
                }
            }
        }
        awaitHousekeepingEnd();
    }

    /**
     * Waits (bounded) for the housekeeping thread to finish its last task, so no engine thread
     * outlives {@link #close()}. The wait happens outside the lifecycle lock, which that task may
     * be waiting for; on the housekeeping thread itself there is nothing to wait for.
     */
    private void awaitHousekeepingEnd() {
        if (Thread.currentThread().getName().equals(HOUSEKEEPING_THREAD)) {
            return;
        }
        try {
            if (!housekeeping.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("the WebRTC housekeeping thread did not end within 2 s of the engine closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String newId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
