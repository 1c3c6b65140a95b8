package io.parley.transport.webrtc;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;

/** Whether ICE can work here at all: libwebrtc never gathers candidates on loopback. */
final class Network {

    private Network() {
    }

    static boolean hasNonLoopbackInterface() {
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback() && ni.getInetAddresses().hasMoreElements()) {
                    return true;
                }
            }
            return false;
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list network interfaces", e);
        }
    }

    static final String NO_INTERFACE = "libwebrtc gathers no ICE candidates on the loopback interface and this"
            + " machine has no other interface up, so no WebRTC connection is possible here";
}
