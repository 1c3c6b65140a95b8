package io.parley.transport.websocket;

/**
 * Standard base64 (RFC 4648 §4, padded) between character ranges and byte arrays, without
 * allocating: the JDK's codec needs exactly-sized byte arrays or makes new ones, and media
 * payloads arrive as characters inside a JSON parser's buffer.
 */
final class Base64Codec {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }

    private Base64Codec() {
    }

    /** Most bytes {@code chars} base64 characters can decode to. */
    static int maxDecodedLength(int chars) {
        return chars / 4 * 3 + 3;
    }

    /**
     * Decodes {@code src[off..off+len)} into {@code dst} from 0.
     *
     * @return bytes written, or -1 if the text is not valid padded base64 or does not fit
     */
    static int decode(char[] src, int off, int len, byte[] dst) {
        if (len % 4 != 0) {
            return -1;
        }
        int end = off + len;
        int pad = 0;
        if (len > 0 && src[end - 1] == '=') {
            pad = src[end - 2] == '=' ? 2 : 1;
        }
        int out = len / 4 * 3 - pad;
        if (out > dst.length) {
            return -1;
        }
        int w = 0;
        for (int i = off; i < end; i += 4) {
            boolean last = i + 4 == end;
            int a = value(src[i]);
            int b = value(src[i + 1]);
            int c = last && pad == 2 ? 0 : value(src[i + 2]);
            int d = last && pad >= 1 ? 0 : value(src[i + 3]);
            if ((a | b | c | d) < 0) {
                return -1;
            }
            int bits = (a << 18) | (b << 12) | (c << 6) | d;
            dst[w++] = (byte) (bits >> 16);
            if (w < out) {
                dst[w++] = (byte) (bits >> 8);
            }
            if (w < out) {
                dst[w++] = (byte) bits;
            }
        }
        return out;
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    /** Appends the padded base64 form of {@code src[0..n)} to {@code out}. */
    static void encode(byte[] src, int n, StringBuilder out) {
        int i = 0;
        for (; i + 3 <= n; i += 3) {
            int bits = ((src[i] & 0xFF) << 16) | ((src[i + 1] & 0xFF) << 8) | (src[i + 2] & 0xFF);
            out.append(ALPHABET[bits >> 18]).append(ALPHABET[(bits >> 12) & 63])
                    .append(ALPHABET[(bits >> 6) & 63]).append(ALPHABET[bits & 63]);
        }
        int rest = n - i;
        if (rest == 1) {
            int bits = (src[i] & 0xFF) << 16;
            out.append(ALPHABET[bits >> 18]).append(ALPHABET[(bits >> 12) & 63]).append("==");
        } else if (rest == 2) {
            int bits = ((src[i] & 0xFF) << 16) | ((src[i + 1] & 0xFF) << 8);
            out.append(ALPHABET[bits >> 18]).append(ALPHABET[(bits >> 12) & 63])
                    .append(ALPHABET[(bits >> 6) & 63]).append('=');
        }
    }
}
