package io.parley.transport.websocket;

import io.parley.audio.Resampler;
import io.parley.session.VoiceSession;
import io.parley.time.Clock;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media-stream socket from open to close: reads each message with the protocol, answers
 * the call on {@code start}, routes media, DTMF, marks and text to the call's transport, and
 * stops the session when the call ends. {@link TelephonyRoutes} creates one per socket; hosts
 * with their own WebSocket server create them with {@link #open} and call {@link #onText},
 * {@link #onBinary} and {@link #onClose} from the socket's thread, one message at a time.
 */
public final class StreamEndpoint {

    private static final Logger log = LoggerFactory.getLogger(StreamEndpoint.class);

    /** Where connections report that they ended. */
    interface Registry {
        void ended(StreamEndpoint e);
    }

    private final MediaStreamProtocol protocol;
    private final CallHandler handler;
    private final StreamSettings settings;
    private final MessageSocket wire;
    private final Registry registry;
    private final InboundMessage message = new InboundMessage();
    private final StreamStats.Counters counters = new StreamStats.Counters();
    private final Clock.Cancellable startTimer;
    private volatile MediaStreamTransport transport;
    private volatile VoiceSession session;
    private volatile boolean ended;

    /** An endpoint for a socket that just opened. */
    public static StreamEndpoint open(MediaStreamProtocol protocol, CallHandler handler, StreamSettings settings, MessageSocket socket) {
        return new StreamEndpoint(protocol, handler, settings, socket, e -> { });
    }

    StreamEndpoint(MediaStreamProtocol protocol, CallHandler handler, StreamSettings settings, MessageSocket wire, Registry registry) {
        this.protocol = protocol;
        this.handler = handler;
        this.settings = settings;
        this.wire = wire;
        this.registry = registry;
        this.startTimer = settings.clock().schedule(this::startTimedOut, settings.startTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The call's transport once the stream started, else null. */
    public MediaStreamTransport transport() {
        return transport;
    }

    /** Counters, including messages skipped before the call started. */
    public StreamStats stats() {
        return counters.snapshot();
    }

    /** One inbound text message. */
    public void onText(String text) {
        counters.messagesIn++;
        if (text.length() > settings.maxMessageBytes()) {
            skip(Problem.TOO_LARGE, "message of " + text.length() + " characters");
            return;
        }
        message.reset();
        protocol.read(text, message);
        dispatch();
    }

    /** One inbound binary message. */
    public void onBinary(ByteBuffer data) {
        counters.messagesIn++;
        if (data.remaining() > settings.maxMessageBytes()) {
            skip(Problem.TOO_LARGE, "binary message of " + data.remaining() + " bytes");
            return;
        }
        message.reset();
        protocol.read(data, message);
        dispatch();
    }

    /** The socket closed, whoever closed it: the call ends and its session stops. */
    public void onClose(int status, String reason) {
        end("socket closed (" + status + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")");
    }

    private void dispatch() {
        InboundMessage m = message;
        InboundMessage.Kind kind = m.kind();
        MediaStreamTransport t = transport;
        if (kind == InboundMessage.Kind.INVALID) {
            skip(m.problem(), m.detail());
            return;
        }
        if (kind == InboundMessage.Kind.START) {
            if (t != null) {
                skip(Problem.OUT_OF_ORDER, "second start on stream " + t.call().streamId());
            } else {
                answer(m.call().build());
            }
            return;
        }
        if (kind == InboundMessage.Kind.CONNECTED || kind == InboundMessage.Kind.IGNORED) {
            return;
        }
        if (t == null) {
            if (kind == InboundMessage.Kind.STOP) {
                end("stop before start");
            } else {
                skip(Problem.BEFORE_START, kind + " before start");
            }
            return;
        }
        if (!m.streamIdMatches(t.call().streamId())) {
            skip(Problem.OUT_OF_ORDER, kind + " for stream " + m.streamId() + " on stream " + t.call().streamId());
            return;
        }
        switch (kind) {
            case MEDIA -> t.media(m);
            case DTMF -> t.dtmf(m.digit(), m.durationMillis());
            case MARK -> t.markEchoed(m.name());
            case TEXT -> t.text(m.name());
            case STOP -> end("caller hung up");
            default -> { }
        }
    }

    private void answer(CallInfo call) {
        startTimer.cancel();
        if (!Resampler.supports(call.sampleRate())) {
            log.warn("{} stream {}: wire rate {} Hz is not supported; closing", protocol.name(), call.streamId(), call.sampleRate());
            wire.close(1003, "unsupported sample rate " + call.sampleRate());
            return;
        }
        MediaStreamTransport t = new MediaStreamTransport(call, protocol, wire, settings, counters);
        transport = t;
        VoiceSession s;
        try {
            s = handler.onCall(t);
        } catch (RuntimeException e) {
            log.error("{} call {}: handler failed; closing", protocol.name(), call.callId(), e);
            wire.close(1011, "call handler failed");
            return;
        }
        if (s == null) {
            log.info("{} call {} refused by handler", protocol.name(), call.callId());
            wire.close(1000, "call refused");
            return;
        }
        session = s;
        if (protocol == MediaStreamProtocol.pcm()) {
            PcmEvents.attach(s, t, wire);
        }
        s.startAsync().whenComplete((v, err) -> {
            if (err != null) {
                log.error("{} call {}: session failed to start; closing", protocol.name(), call.callId(), err);
                wire.close(1011, "session failed to start");
            } else if (ended) {
                s.stopAsync();
            }
        });
    }

    private void startTimedOut() {
        if (transport == null && !ended) {
            skip(Problem.BEFORE_START, "no start within " + settings.startTimeout());
            wire.close(1008, "no start message");
            end("no start message");
        }
    }

    private void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        startTimer.cancel();
        MediaStreamTransport t = transport;
        if (t != null) {
            t.hangUp(reason);
        }
        VoiceSession s = session;
        if (s != null) {
            s.stopAsync();
        }
        wire.close(1000, reason);
        registry.ended(this);
    }

    private void skip(Problem p, String detail) {
        MediaStreamTransport t = transport;
        if (t != null) {
            t.skip(p, detail);
        } else if (counters.skip(p)) {
            log.warn("{} stream: {} ({}); further ones are only counted", protocol.name(), detail, p);
        }
    }
}
