package io.parley.transport.webrtc;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of a transport's {@value PeerSession#EVENTS_LABEL} data channel. Messages
 * sent before the channel opens (a greeting spoken at session start, for instance) wait, in
 * order, and go out the moment it opens; past {@link #MAX_PENDING} waiting messages the oldest
 * are dropped, counted and logged, since a peer that never opens the channel must not make the
 * server hold its events forever.
 */
final class MessageChannel {

    static final int MAX_PENDING = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(MessageChannel.class);

    private final String transportId;
    private final PeerSession peer;
    private final ArrayDeque<String> pending = new ArrayDeque<>();
    private boolean open;
    private long dropped;

    MessageChannel(String transportId, PeerSession peer) {
        this.transportId = transportId;
        this.peer = peer;
    }

    /** Sends now if the channel is open, else keeps the message for when it opens. */
    synchronized void send(String text) {
        if (open && pending.isEmpty() && peer.sendText(text)) {
            return;
        }
        if (open) {
            // The channel closed under us: what was not delivered stays pending like the rest.
            open = false;
        }
        if (pending.size() == MAX_PENDING) {
            pending.removeFirst();
            if (dropped++ == 0) {
                LOG.warn("transport {}: the remote peer has not opened the {} data channel; dropping its oldest events",
                        transportId, PeerSession.EVENTS_LABEL);
            }
        }
        pending.addLast(text);
    }

    /** The channel opened: flush what waited, in order. */
    synchronized void opened() {
        open = true;
        while (!pending.isEmpty()) {
            if (!peer.sendText(pending.peekFirst())) {
                open = false;
                return;
            }
            pending.removeFirst();
        }
    }

    /** Whether messages currently go straight out. */
    synchronized boolean isOpen() {
        return open;
    }

    /** Messages dropped because the channel did not open in time. */
    synchronized long dropped() {
        return dropped;
    }
}
