package io.parley.audio;

import java.util.Objects;

/**
 * ITU-T G.711 companding, the 8-bit telephone codecs: µ-law (North America, Japan) and A-law
 * (elsewhere). Encoding maps a 16-bit sample to one byte with a logarithmic segment and a
 * 4-bit mantissa; decoding uses 256-entry tables. The methods work on caller-supplied arrays
 * and never allocate.
 */
public final class G711 {

    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32_635;
    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_DECODE[i] = decodeUlawSlow(i);
            ALAW_DECODE[i] = decodeAlawSlow(i);
        }
    }

    private G711() {
    }

    /** One 16-bit sample to a µ-law byte. */
    public static byte encodeUlaw(short sample) {
        int s = sample;
        int sign = 0;
        if (s < 0) {
            sign = 0x80;
            s = -s;
        }
        s = Math.min(s, ULAW_CLIP) + ULAW_BIAS;
        // Segment = position of the highest set bit above bit 7.
        int exponent = 31 - Integer.numberOfLeadingZeros(s) - 7;
        int mantissa = (s >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** One µ-law byte to a 16-bit sample. */
    public static short decodeUlaw(byte code) {
        return ULAW_DECODE[code & 0xFF];
    }

    /** One 16-bit sample to an A-law byte. */
    public static byte encodeAlaw(short sample) {
        int s = sample >> 3; // A-law works on 13-bit magnitudes
        int mask;
        if (s >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            s = -s - 1;
        }
        int segment = s < 0x20 ? 0 : 32 - Integer.numberOfLeadingZeros(s) - 5;
        if (segment >= 8) {
            return (byte) (0x7F ^ mask);
        }
        int mantissa = segment < 2 ? (s >> 1) & 0x0F : (s >> segment) & 0x0F;
        return (byte) (((segment << 4) | mantissa) ^ mask);
    }

    /** One A-law byte to a 16-bit sample. */
    public static short decodeAlaw(byte code) {
        return ALAW_DECODE[code & 0xFF];
    }

    /** Encodes {@code in[inOff, inOff+n)} as µ-law into {@code out} from {@code outOff}. */
    public static void encodeUlaw(short[] in, int inOff, byte[] out, int outOff, int n) {
        Objects.checkFromIndexSize(inOff, n, in.length);
        Objects.checkFromIndexSize(outOff, n, out.length);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = encodeUlaw(in[inOff + i]);
        }
    }

    /** Decodes {@code n} µ-law bytes into 16-bit samples. */
    public static void decodeUlaw(byte[] in, int inOff, short[] out, int outOff, int n) {
        Objects.checkFromIndexSize(inOff, n, in.length);
        Objects.checkFromIndexSize(outOff, n, out.length);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ULAW_DECODE[in[inOff + i] & 0xFF];
        }
    }

    /** Encodes {@code in[inOff, inOff+n)} as A-law into {@code out} from {@code outOff}. */
    public static void encodeAlaw(short[] in, int inOff, byte[] out, int outOff, int n) {
        Objects.checkFromIndexSize(inOff, n, in.length);
        Objects.checkFromIndexSize(outOff, n, out.length);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = encodeAlaw(in[inOff + i]);
        }
    }

    /** Decodes {@code n} A-law bytes into 16-bit samples. */
    public static void decodeAlaw(byte[] in, int inOff, short[] out, int outOff, int n) {
        Objects.checkFromIndexSize(inOff, n, in.length);
        Objects.checkFromIndexSize(outOff, n, out.length);
        for (int i = 0; i < n; i++) {
            out[outOff + i] = ALAW_DECODE[in[inOff + i] & 0xFF];
        }
    }

    private static short decodeUlawSlow(int code) {
        int u = ~code & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int s = (((mantissa << 3) + ULAW_BIAS) << exponent) - ULAW_BIAS;
        return (short) ((u & 0x80) != 0 ? -s : s);
    }

    private static short decodeAlawSlow(int code) {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        if (segment == 0) {
            t += 8;
        } else {
            t = (t + 0x108) << (segment - 1);
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }
}
