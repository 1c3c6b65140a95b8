package io.parley.transport.webrtc;

import java.util.List;
import java.util.Objects;

/**
 * A STUN or TURN server the engine may use to gather server-reflexive or relayed candidates.
 *
 * @param urls       {@code stun:host:port}, {@code turn:host:port?transport=udp} or {@code turns:...}
 * @param username   TURN user name, empty for STUN
 * @param credential TURN password, empty for STUN
 */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        Objects.requireNonNull(urls, "urls");
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        for (String url : urls) {
            if (!(url.startsWith("stun:") || url.startsWith("turn:") || url.startsWith("turns:"))) {
                throw new IllegalArgumentException("ICE server URL must start with stun:, turn: or turns:, was " + url);
            }
        }
        username = username == null ? "" : username;
        credential = credential == null ? "" : credential;
        boolean turn = urls.stream().anyMatch(u -> u.startsWith("turn"));
        if (turn && (username.isEmpty() || credential.isEmpty())) {
            throw new IllegalArgumentException("a TURN server needs a username and a credential");
        }
    }

    /** A STUN server without credentials. */
    public static IceServer stun(String url) {
        return new IceServer(List.of(url), "", "");
    }

    /** A TURN server with long-term credentials. */
    public static IceServer turn(String url, String username, String credential) {
        return new IceServer(List.of(url), username, credential);
    }

    @Override
    public String toString() {
        // The credential stays out of logs.
        return "IceServer" + urls + (username.isEmpty() ? "" : "(user " + username + ")");
    }
}
