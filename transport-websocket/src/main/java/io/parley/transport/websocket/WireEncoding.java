package io.parley.transport.websocket;

import io.parley.audio.G711;

/**
 * How audio samples are written on the wire of a media stream. Telephone networks carry
 * G.711 at 8 kHz; raw WebSocket clients send 16-bit linear PCM.
 */
public enum WireEncoding {
    /** G.711 µ-law, one byte per sample (Twilio's {@code audio/x-mulaw}, Telnyx's {@code PCMU}). */
    MULAW(1),
    /** G.711 A-law, one byte per sample (Telnyx's {@code PCMA}). */
    ALAW(1),
    /** Signed 16-bit little-endian linear PCM. */
    L16(2);

    private final int bytesPerSample;

    WireEncoding(int bytesPerSample) {
        this.bytesPerSample = bytesPerSample;
    }

    /** Bytes one sample occupies on the wire. */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** Decodes {@code n} samples from {@code in[inOff..]} into {@code out[0..n)}; no allocation. */
    void decode(byte[] in, int inOff, short[] out, int n) {
        switch (this) {
            case MULAW -> G711.decodeUlaw(in, inOff, out, 0, n);
            case ALAW -> G711.decodeAlaw(in, inOff, out, 0, n);
            case L16 -> {
                for (int i = 0; i < n; i++) {
                    int lo = in[inOff + 2 * i] & 0xFF;
                    out[i] = (short) ((in[inOff + 2 * i + 1] << 8) | lo);
                }
            }
        }
    }

    /** Encodes {@code n} samples into {@code out[0..)}; returns bytes written; no allocation. */
    int encode(short[] in, int n, byte[] out) {
        switch (this) {
            case MULAW -> G711.encodeUlaw(in, 0, out, 0, n);
            case ALAW -> G711.encodeAlaw(in, 0, out, 0, n);
            case L16 -> {
                for (int i = 0; i < n; i++) {
                    out[2 * i] = (byte) in[i];
                    out[2 * i + 1] = (byte) (in[i] >> 8);
                }
            }
        }
        return n * bytesPerSample;
    }

    /** The byte that decodes to silence: µ-law 0xFF, A-law 0xD5, PCM zero. */
    byte silence() {
        return switch (this) {
            case MULAW -> (byte) 0xFF;
            case ALAW -> (byte) 0xD5;
            case L16 -> 0;
        };
    }
}
