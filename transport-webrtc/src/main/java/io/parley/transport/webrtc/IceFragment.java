package io.parley.transport.webrtc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ICE part of an SDP, as WHIP's {@code PATCH} carries it ({@code application/trickle-ice-sdpfrag},
 * RFC 8840): the ICE credentials, if any, and candidates of the one bundled media section.
 *
 * @param ufrag      {@code a=ice-ufrag}, or empty when the fragment only trickles candidates
 * @param pwd        {@code a=ice-pwd}, or empty with an empty ufrag
 * @param mid        the media section's {@code a=mid}, or empty when the fragment names none
 * @param candidates {@code candidate:...} values, without the {@code a=} prefix
 * @param complete   whether {@code a=end-of-candidates} was present
 */
record IceFragment(String ufrag, String pwd, String mid, List<String> candidates, boolean complete) {

    /** Largest fragment accepted: far more than any real candidate list. */
    static final int MAX_CHARS = 16 * 1024;
    static final String MEDIA_TYPE = "application/trickle-ice-sdpfrag";

    IceFragment {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        Objects.requireNonNull(mid, "mid");
        candidates = List.copyOf(candidates);
        if (ufrag.isEmpty() != pwd.isEmpty()) {
            throw new IllegalArgumentException("the fragment has an ice-ufrag without an ice-pwd or the reverse");
        }
    }

    /**
     * Reads a fragment.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static IceFragment parse(String text) {
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the fragment has " + text.length() + " characters, more than " + MAX_CHARS);
        }
        String ufrag = "";
        String pwd = "";
        String mid = "";
        boolean complete = false;
        List<String> candidates = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\r?\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new IllegalArgumentException("line " + lineNo + " of the fragment is not <letter>=<value>");
            }
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring(12).trim();
            } else if (line.startsWith("a=ice-pwd:")) {
                pwd = line.substring(10).trim();
            } else if (line.startsWith("a=mid:")) {
                if (!mid.isEmpty() && !mid.equals(line.substring(6).trim())) {
                    throw new IllegalArgumentException("the fragment names two media sections; with BUNDLE one carries every candidate");
                }
                mid = line.substring(6).trim();
            } else if (line.startsWith("a=candidate:")) {
                candidates.add(line.substring(2).trim());
            } else if (line.equals("a=end-of-candidates")) {
                complete = true;
            }
        }
        return new IceFragment(ufrag, pwd, mid, candidates, complete);
    }

    /** Whether this fragment starts a new ICE session (new credentials), rather than trickling. */
    boolean restartsIce(String currentUfrag) {
        return !ufrag.isEmpty() && !ufrag.equals(currentUfrag);
    }

    /** The fragment of {@code sdp}'s first media section: its credentials, mid and candidates. */
    static IceFragment of(String sdp) {
        String ufrag = "";
        String pwd = "";
        String mid = "";
        boolean complete = false;
        List<String> candidates = new ArrayList<>();
        int section = 0;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                section++;
            }
            if (section > 1) {
                continue;
            }
            if (line.startsWith("a=ice-ufrag:") && ufrag.isEmpty()) {
                ufrag = line.substring(12).trim();
            } else if (line.startsWith("a=ice-pwd:") && pwd.isEmpty()) {
                pwd = line.substring(10).trim();
            } else if (line.startsWith("a=mid:") && mid.isEmpty()) {
                mid = line.substring(6).trim();
            } else if (line.startsWith("a=candidate:")) {
                candidates.add(line.substring(2).trim());
            } else if (line.equals("a=end-of-candidates")) {
                complete = true;
            }
        }
        return new IceFragment(ufrag, pwd, mid, candidates, complete);
    }

    /** The fragment as {@code application/trickle-ice-sdpfrag} text. */
    String format() {
        StringBuilder b = new StringBuilder();
        if (!ufrag.isEmpty()) {
            b.append("a=ice-ufrag:").append(ufrag).append("\r\n");
            b.append("a=ice-pwd:").append(pwd).append("\r\n");
        }
        b.append("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n");
        if (!mid.isEmpty()) {
            b.append("a=mid:").append(mid).append("\r\n");
        }
        for (String c : candidates) {
            b.append("a=").append(c).append("\r\n");
        }
        if (complete) {
            b.append("a=end-of-candidates\r\n");
        }
        return b.toString();
    }

    /**
     * {@code sdp} with this fragment's credentials in every section and its candidates as the
     * only ones, in the first section (all sections share one transport under BUNDLE); the
     * origin line's version goes up, as for any new description.
     */
    String applyTo(String sdp) {
        StringBuilder b = new StringBuilder(sdp.length());
        int section = 0;
        for (String line : sdp.split("\r\n|\n")) {
            if (line.startsWith("a=candidate:") || line.equals("a=end-of-candidates")) {
                continue;
            }
            if (line.startsWith("m=")) {
                if (section == 1) {
                    appendCandidates(b);
                }
                section++;
            }
            if (line.startsWith("a=ice-ufrag:")) {
                line = "a=ice-ufrag:" + ufrag;
            } else if (line.startsWith("a=ice-pwd:")) {
                line = "a=ice-pwd:" + pwd;
            } else if (line.startsWith("o=")) {
                line = bumpVersion(line);
            }
            b.append(line).append("\r\n");
        }
        if (section == 1) {
            appendCandidates(b);
        }
        return b.toString();
    }

    private void appendCandidates(StringBuilder b) {
        for (String c : candidates) {
            b.append("a=").append(c).append("\r\n");
        }
        if (complete) {
            b.append("a=end-of-candidates\r\n");
        }
    }

    private static String bumpVersion(String origin) {
        String[] f = origin.split(" ");
        if (f.length == 6) {
            try {
                f[2] = Long.toString(Long.parseLong(f[2]) + 1);
                return String.join(" ", f);
            } catch (NumberFormatException e) {
                return origin;
            }
        }
        return origin;
    }
}
