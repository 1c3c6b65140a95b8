package io.parley.transport.webrtc;

/**
 * Cheap structural checks on SDP before it reaches libwebrtc, so that garbage gets a message a
 * person can act on instead of a parser error from deep inside the native library.
 */
final class Sdp {

    /** Larger than any real audio-only offer (a few kB), small enough to refuse abuse. */
    static final int MAX_CHARS = 64 * 1024;

    private Sdp() {
    }

    /**
     * @throws IllegalArgumentException naming the first problem found
     */
    static void requireValid(String sdp, String what) {
        if (sdp == null || sdp.isBlank()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        if (sdp.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the " + what + " has " + sdp.length() + " characters, more than " + MAX_CHARS);
        }
        if (!sdp.startsWith("v=0")) {
            throw new IllegalArgumentException("the " + what + " is not SDP: it must start with \"v=0\"");
        }
        boolean audio = false;
        boolean ufrag = false;
        boolean fingerprint = false;
        int lineNo = 0;
        for (String line : sdp.split("\r?\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new IllegalArgumentException("the " + what + " is malformed at line " + lineNo
                        + ": expected <letter>=<value>, got \"" + abbreviate(line) + "\"");
            }
            audio |= line.startsWith("m=audio ");
            ufrag |= line.startsWith("a=ice-ufrag:");
            fingerprint |= line.startsWith("a=fingerprint:");
        }
        if (!audio) {
            throw new IllegalArgumentException("the " + what + " has no audio media section (m=audio)");
        }
        if (!ufrag) {
            throw new IllegalArgumentException("the " + what + " has no ICE credentials (a=ice-ufrag)");
        }
        if (!fingerprint) {
            throw new IllegalArgumentException("the " + what + " has no DTLS fingerprint (a=fingerprint)");
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }
}
