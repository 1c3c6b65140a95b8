package io.parley.transport.webrtc;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One libwebrtc peer connection with a single audio track each way. Everything here runs in
 * the order measured to be safe with webrtc-java 0.14.0 (see {@link WebRtcEngine}); only the
 * engine creates instances, while holding its setup lock.
 *
 * <p>Observer callbacks arrive on libwebrtc's signalling thread and the sink on its capture
 * thread; both only complete futures or hand data to {@link Events}, never block.
 */
final class PeerSession {

    /** What the peer reports; implementations must return quickly. */
    interface Events {
        /** Connection state changed (signalling thread). */
        void onState(RTCPeerConnectionState state);

        /** A 10 ms chunk of decoded remote audio (capture thread). */
        void onRemoteAudio(byte[] pcm, int bytes, int sampleRate, int channels);

        /** The {@value #EVENTS_LABEL} data channel opened (signalling thread). */
        void onChannelOpen();

        /** A text message arrived on the {@value #EVENTS_LABEL} data channel (signalling thread). */
        void onChannelMessage(String text);
    }

    /** Label of the data channel that carries session events and the remote peer's commands. */
    static final String EVENTS_LABEL = "parley-events";

    private final RTCPeerConnection pc;
    private final CustomAudioSource source;
    private final AudioTrack localTrack;
    private final Events events;
    private final long timeoutMillis;
    private final long gatheringMillis;
    private final WebRtcConfig config;
    /** Completed when gathering for the latest local description finishes; replaced per negotiation. */
    private volatile CompletableFuture<Void> gathered = new CompletableFuture<>();
    /** Guards sending on the data channel against its disposal. */
    private final Object channelLock = new Object();
    private RTCDataChannel channel;
    private boolean disposed;
    /**
     * Keeps statistics requests off a disposed connection. Never taken on libwebrtc's threads,
     * so holding it while libwebrtc marshals a call onto its signalling thread cannot deadlock.
     */
    private final Object statsLock = new Object();
    private boolean statsClosed;
    private final AudioTrackSink sink;
    /** Guards pushing against teardown: libwebrtc 0.14.0's source has no lock of its own. */
    private final Object pushLock = new Object();
    private RTCRtpSender sender;
    private volatile AudioTrack remoteTrack;
    private boolean pushing = true;

    PeerSession(PeerConnectionFactory factory, WebRtcConfig config, String id, Events events) {
        this.events = events;
        this.config = config;
        this.timeoutMillis = config.negotiationTimeout().toMillis();
        this.gatheringMillis = config.gatheringTimeout().toMillis();
        this.sink = (pcm, bits, rate, channels, frames) -> {
            // Not wrapped in a lambda: this runs for every 10 ms of remote audio.
            try {
                if (bits == 16) {
                    events.onRemoteAudio(pcm, frames * channels * 2, rate, channels);
                }
            } catch (Throwable t) {
                NativeCallbacks.failed("remote audio", t);
            }
        };
        this.pc = factory.createPeerConnection(rtcConfiguration(config), new Observer());
        if (pc == null) {
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "libwebrtc could not create a peer connection");
        }
        this.source = new CustomAudioSource();
        this.localTrack = factory.createAudioTrack("parley-" + id, source);
    }

    private static RTCConfiguration rtcConfiguration(WebRtcConfig config) {
        RTCConfiguration rtc = new RTCConfiguration();
        for (IceServer s : config.iceServers()) {
            RTCIceServer server = new RTCIceServer();
            server.urls = s.urls();
            server.username = s.username();
            server.password = s.credential();
            rtc.iceServers.add(server);
        }
        rtc.portAllocatorConfig.setDisableTcp(!config.tcp());
        if (config.minPort() != 0) {
            rtc.portAllocatorConfig.minPort = config.minPort();
            rtc.portAllocatorConfig.maxPort = config.maxPort();
        }
        return rtc;
    }

    /** Answerer: applies the remote offer, adds our track, and returns the answer with its candidates. */
    String answer(String offerSdp) {
        // Our encoder follows the Opus parameters of the description we apply; the peer's
        // encoder follows the ones in the answer we return.
        setRemote(new RTCSessionDescription(RTCSdpType.OFFER, OpusParams.apply(offerSdp, config)));
        sender = pc.addTrack(localTrack, List.of("parley"));
        return OpusParams.apply(createAndSetAnswer(), config);
    }

    /**
     * Offerer: adds our track and the {@value #EVENTS_LABEL} data channel, and returns the offer
     * with its candidates.
     */
    String offer() {
        sender = pc.addTrack(localTrack, List.of("parley"));
        RTCDataChannel ch = pc.createDataChannel(EVENTS_LABEL, new RTCDataChannelInit());
        adoptChannel(ch);
        CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
        pc.createOffer(new RTCOfferOptions(), new CreateObserver(created));
        RTCSessionDescription offer = await(created, "createOffer");
        setLocal(offer);
        return OpusParams.apply(gatheredDescription(), config);
    }

    /** Offerer: applies the remote answer. */
    void acceptAnswer(String answerSdp) {
        setRemote(new RTCSessionDescription(RTCSdpType.ANSWER, OpusParams.apply(answerSdp, config)));
    }

    /**
     * Answerer: an ICE restart the remote peer asked for (WHIP {@code PATCH}). The current
     * remote offer is applied again with the new credentials and candidates, and the new local
     * credentials and candidates are returned.
     */
    IceFragment restartIce(IceFragment remote) {
        RTCSessionDescription current = pc.getRemoteDescription();
        if (current == null) {
            throw new IllegalStateException("no remote description to restart ICE on");
        }
        setRemote(new RTCSessionDescription(RTCSdpType.OFFER, remote.applyTo(current.sdp)));
        return IceFragment.of(createAndSetAnswer());
    }

    /** Trickled remote candidates (WHIP {@code PATCH} without new credentials). */
    void addRemoteCandidates(IceFragment remote) {
        String mid = remote.mid().isEmpty() ? IceFragment.of(pc.getRemoteDescription().sdp).mid() : remote.mid();
        for (String c : remote.candidates()) {
            pc.addIceCandidate(new RTCIceCandidate(mid, 0, c));
        }
    }

    /** The ICE credentials of the current remote description, or empty. */
    String remoteUfrag() {
        RTCSessionDescription d = pc.getRemoteDescription();
        return d == null ? "" : IceFragment.of(d.sdp).ufrag();
    }

    private String createAndSetAnswer() {
        CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
        pc.createAnswer(new RTCAnswerOptions(), new CreateObserver(created));
        RTCSessionDescription answer = await(created, "createAnswer");
        setLocal(answer);
        return gatheredDescription();
    }

    /**
     * Sends a text message on the {@value #EVENTS_LABEL} data channel.
     *
     * @return false when the channel is not open (not yet, never offered, or closed)
     */
    boolean sendText(String text) {
        synchronized (channelLock) {
            if (disposed || channel == null || channel.getState() != RTCDataChannelState.OPEN) {
                return false;
            }
            try {
                channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), false));
                return true;
            } catch (Exception e) {
                throw new SessionException(ErrorCode.TRANSPORT_ERROR, "the data channel refused a message: " + e.getMessage(), e);
            }
        }
    }

    /** RTP packet counters of the audio streams, from libwebrtc's statistics. */
    CompletableFuture<RtpCounters> rtpCounters() {
        CompletableFuture<RtpCounters> f = new CompletableFuture<>();
        synchronized (statsLock) {
            if (statsClosed) {
                f.completeExceptionally(new SessionException(ErrorCode.TRANSPORT_CLOSED, "the peer connection is closed"));
                return f;
            }
            pc.getStats(report -> {
                long sent = 0;
                long received = 0;
                long bytesSent = 0;
                long bytesReceived = 0;
                for (RTCStats st : report.getStats().values()) {
                    if (st.getType() == RTCStatsType.OUTBOUND_RTP) {
                        sent += number(st, "packetsSent");
                        bytesSent += number(st, "bytesSent");
                    } else if (st.getType() == RTCStatsType.INBOUND_RTP) {
                        received += number(st, "packetsReceived");
                        bytesReceived += number(st, "bytesReceived");
                    }
                }
                f.complete(new RtpCounters(sent, received, bytesSent, bytesReceived));
            });
        }
        return f;
    }

    /** Bytes received on the ICE/DTLS transports (media, RTCP, data and ICE checks alike). */
    CompletableFuture<Long> transportBytesReceived() {
        CompletableFuture<Long> f = new CompletableFuture<>();
        synchronized (statsLock) {
            if (statsClosed) {
                f.completeExceptionally(new SessionException(ErrorCode.TRANSPORT_CLOSED, "the peer connection is closed"));
                return f;
            }
            pc.getStats(report -> {
                long bytes = 0;
                for (RTCStats st : report.getStats().values()) {
                    if (st.getType() == RTCStatsType.TRANSPORT || st.getType() == RTCStatsType.CANDIDATE_PAIR) {
                        bytes += number(st, "bytesReceived");
                    }
                }
                f.complete(bytes);
            });
        }
        return f;
    }

    private static long number(RTCStats st, String key) {
        return st.getAttributes().get(key) instanceof Number n ? n.longValue() : 0;
    }

    private void adoptChannel(RTCDataChannel ch) {
        synchronized (channelLock) {
            if (disposed || channel != null) {
                ch.close();
                ch.dispose();
                return;
            }
            channel = ch;
            ch.registerObserver(new RTCDataChannelObserver() {
                @Override
                public void onBufferedAmountChange(long previous) {
                    // Messages are small and few; nothing waits on the buffer.
                }

                @Override
                public void onStateChange() {
                    NativeCallbacks.guard("data channel state", () -> {
                        if (ch.getState() == RTCDataChannelState.OPEN) {
                            events.onChannelOpen();
                        }
                    });
                }

                @Override
                public void onMessage(RTCDataChannelBuffer buffer) {
                    NativeCallbacks.guard("data channel message", () -> {
                        if (!buffer.binary) {
                            ByteBuffer data = buffer.data;
                            byte[] bytes = new byte[data.remaining()];
                            data.get(bytes);
                            events.onChannelMessage(new String(bytes, StandardCharsets.UTF_8));
                        }
                    });
                }
            });
        }
        // Outside the lock: the listener may send, which waits on libwebrtc's signalling thread.
        if (ch.getState() == RTCDataChannelState.OPEN) {
            events.onChannelOpen();
        }
    }

    private void setRemote(RTCSessionDescription desc) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            pc.setRemoteDescription(desc, new SetObserver(done));
        } catch (Error e) {
            // webrtc-java throws a plain java.lang.Error when libwebrtc cannot even parse the SDP.
            if (e.getClass() != Error.class) {
                throw e;
            }
            throw new IllegalArgumentException("libwebrtc rejected the remote " + desc.sdpType.name().toLowerCase()
                    + ": " + e.getMessage(), e);
        }
        try {
            done.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("libwebrtc rejected the remote " + desc.sdpType.name().toLowerCase()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SessionException(ErrorCode.TIMEOUT, "setRemoteDescription took longer than " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "interrupted while applying the remote description", e);
        }
    }

    private void setLocal(RTCSessionDescription desc) {
        gathered = new CompletableFuture<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        pc.setLocalDescription(desc, new SetObserver(done));
        await(done, "setLocalDescription");
    }

    private String gatheredDescription() {
        try {
            gathered.get(gatheringMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Non-trickle signalling: go on with the candidates found so far (STUN/TURN may be slow).
        } catch (ExecutionException e) {
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "ICE gathering failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "interrupted while gathering ICE candidates", e);
        }
        String sdp = pc.getLocalDescription().sdp;
        if (!sdp.contains("a=candidate:")) {
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "no ICE candidate was gathered within "
                    + gatheringMillis + " ms; libwebrtc ignores the loopback interface, so the machine needs a"
                    + " non-loopback network interface (or a TURN server)");
        }
        return sdp;
    }

    private <T> T await(CompletableFuture<T> f, String step) {
        try {
            return f.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, step + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new SessionException(ErrorCode.TIMEOUT, step + " took longer than " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SessionException(ErrorCode.TRANSPORT_ERROR, "interrupted during " + step, e);
        }
    }

    /**
     * Pushes exactly 10 ms of PCM16LE; called only by the pacer thread, so libwebrtc sees one
     * producer per source.
     */
    void push(byte[] pcm, int sampleRate, int channels) {
        synchronized (pushLock) {
            if (pushing) {
                source.pushAudio(pcm, 16, sampleRate, channels, sampleRate / 100);
            }
        }
    }

    /**
     * Releases everything in the one order measured to be clean: stop pushing, detach the
     * sink, remove our sender, close the connection, then dispose the track and its source.
     */
    void dispose() {
        synchronized (pushLock) {
            pushing = false;
        }
        synchronized (statsLock) {
            statsClosed = true;
        }
        synchronized (channelLock) {
            disposed = true;
            if (channel != null) {
                channel.unregisterObserver();
                channel.close();
                channel.dispose();
            }
        }
        AudioTrack remote = remoteTrack;
        if (remote != null) {
            remote.removeSink(sink);
        }
        if (sender != null) {
            pc.removeTrack(sender);
        }
        pc.close();
        localTrack.dispose();
        source.dispose();
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            // Signalling is non-trickle: candidates travel inside the local description once gathering completes.
        }

        @Override
        public void onIceGatheringChange(RTCIceGatheringState state) {
            NativeCallbacks.guard("ICE gathering", () -> {
                if (state == RTCIceGatheringState.COMPLETE) {
                    gathered.complete(null);
                }
            });
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            NativeCallbacks.guard("connection state", () -> events.onState(state));
        }

        @Override
        public void onDataChannel(RTCDataChannel ch) {
            NativeCallbacks.guard("data channel", () -> {
                if (EVENTS_LABEL.equals(ch.getLabel())) {
                    adoptChannel(ch);
                }
            });
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            NativeCallbacks.guard("track", () -> {
                MediaStreamTrack track = transceiver.getReceiver().getTrack();
                if (track instanceof AudioTrack audio && remoteTrack == null) {
                    remoteTrack = audio;
                    audio.addSink(sink);
                }
            });
        }
    }

    private static final class CreateObserver implements CreateSessionDescriptionObserver {
        private final CompletableFuture<RTCSessionDescription> future;

        CreateObserver(CompletableFuture<RTCSessionDescription> future) {
            this.future = future;
        }

        @Override
        public void onSuccess(RTCSessionDescription description) {
            future.complete(description);
        }

        @Override
        public void onFailure(String error) {
            future.completeExceptionally(new IllegalStateException(error));
        }
    }

    private static final class SetObserver implements SetSessionDescriptionObserver {
        private final CompletableFuture<Void> future;

        SetObserver(CompletableFuture<Void> future) {
            this.future = future;
        }

        @Override
        public void onSuccess() {
            future.complete(null);
        }

        @Override
        public void onFailure(String error) {
            future.completeExceptionally(new IllegalStateException(error));
        }
    }
}
