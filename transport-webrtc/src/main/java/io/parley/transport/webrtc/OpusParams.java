package io.parley.transport.webrtc;

/**
 * Writes {@link WebRtcConfig}'s Opus settings into SDP. The receiver of a description configures
 * its Opus encoder from the {@code a=fmtp} parameters and {@code a=ptime} it finds there, so the
 * settings go into the remote offer or answer before libwebrtc applies it (our encoder) and into
 * the description we send (the remote peer's encoder).
 */
final class OpusParams {

    private OpusParams() {
    }

    /** {@code sdp} with the Opus format parameters and packet time of {@code config}. */
    static String apply(String sdp, WebRtcConfig config) {
        String payload = opusPayloadType(sdp);
        if (payload == null) {
            return sdp;
        }
        StringBuilder b = new StringBuilder(sdp.length() + 64);
        boolean inAudio = false;
        boolean ptimeWritten = false;
        for (String line : sdp.split("\r\n|\n")) {
            if (line.startsWith("m=")) {
                if (inAudio && !ptimeWritten) {
                    b.append("a=ptime:").append(config.opusPtimeMillis()).append("\r\n");
                }
                inAudio = line.startsWith("m=audio ");
                ptimeWritten = false;
            }
            if (inAudio && line.startsWith("a=ptime:")) {
                continue;
            }
            if (inAudio && line.startsWith("a=fmtp:" + payload + " ")) {
                line = "a=fmtp:" + payload + " " + fmtp(line.substring(("a=fmtp:" + payload + " ").length()), config);
                b.append(line).append("\r\n");
                b.append("a=ptime:").append(config.opusPtimeMillis()).append("\r\n");
                ptimeWritten = true;
                continue;
            }
            b.append(line).append("\r\n");
        }
        if (inAudio && !ptimeWritten) {
            b.append("a=ptime:").append(config.opusPtimeMillis()).append("\r\n");
        }
        return b.toString();
    }

    private static String fmtp(String params, WebRtcConfig config) {
        StringBuilder out = new StringBuilder();
        for (String p : params.split(";")) {
            String key = p.split("=", 2)[0].trim();
            if (key.isEmpty() || key.equals("usedtx") || key.equals("maxaveragebitrate")) {
                continue;
            }
            out.append(p.trim()).append(';');
        }
        out.append("usedtx=").append(config.opusDtx() ? 1 : 0);
        if (config.opusMaxAverageBitrate() > 0) {
            out.append(";maxaveragebitrate=").append(config.opusMaxAverageBitrate());
        }
        return out.toString();
    }

    /** The payload type of {@code opus/48000/2}, or null when the SDP has no Opus. */
    static String opusPayloadType(String sdp) {
        for (String line : sdp.split("\r\n|\n")) {
            if (line.startsWith("a=rtpmap:") && line.toLowerCase(java.util.Locale.ROOT).contains(" opus/48000")) {
                return line.substring(9, line.indexOf(' '));
            }
        }
        return null;
    }
}
