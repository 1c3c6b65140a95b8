package io.parley.recording.security;

import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.SecretKey;

/**
 * Seals one text line at a time, so an encrypted log can still be appended to and flushed
 * event by event: {@code enc1:<keyId>:<base64(nonce | ciphertext | tag)>}. The line's index in
 * its file is authenticated too, so lines cannot be reordered or moved between positions unnoticed.
 */
public final class LineSealer {

    private static final String PREFIX = "enc1:";

    private final KeyProvider keys;

    /** @param keys where keys come from; sealing uses the current one */
    public LineSealer(KeyProvider keys) {
        this.keys = keys;
    }

    /** Whether {@code line} is a sealed line (rather than plain JSON). */
    public static boolean isSealed(String line) {
        return line.startsWith(PREFIX);
    }

    /** Seals {@code plain} as line number {@code index} of its file. */
    public String seal(String plain, long index) {
        String keyId = keys.currentKeyId();
        SecretKey key = Aead.resolve(keys, keyId, "event log");
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        Aead.RANDOM.nextBytes(nonce);
        byte[] p = plain.getBytes(StandardCharsets.UTF_8);
        byte[] ct = Aead.seal(key, nonce, aad(keyId, index), p, 0, p.length);
        byte[] all = ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct).array();
        return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(all);
    }

    /**
     * Opens a sealed line.
     *
     * @throws RecordingException {@link Problem#DECRYPTION_FAILED} for a wrong key or altered line,
     *                            {@link Problem#CORRUPT} if it is not a sealed line at all
     */
    public static String open(KeyProvider keys, String line, long index) {
        if (!isSealed(line)) {
            throw new RecordingException(Problem.CORRUPT, "line " + (index + 1) + " is not a sealed line");
        }
        int colon = line.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new RecordingException(Problem.CORRUPT, "line " + (index + 1) + " has no key id");
        }
        String keyId = line.substring(PREFIX.length(), colon);
        byte[] all;
        try {
            all = Base64.getDecoder().decode(line.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new RecordingException(Problem.CORRUPT, "line " + (index + 1) + " is not valid base64", e);
        }
        if (all.length < Aead.NONCE_BYTES + Aead.TAG_BITS / 8) {
            throw new RecordingException(Problem.CORRUPT, "line " + (index + 1) + " is too short to be sealed data");
        }
        SecretKey key = Aead.resolve(keys, keyId, "event log line " + (index + 1));
        byte[] nonce = java.util.Arrays.copyOf(all, Aead.NONCE_BYTES);
        byte[] p = Aead.open(key, nonce, aad(keyId, index), all, Aead.NONCE_BYTES, all.length - Aead.NONCE_BYTES,
                "event log line " + (index + 1));
        return new String(p, StandardCharsets.UTF_8);
    }

    private static byte[] aad(String keyId, long index) {
        return ("parley-event-line:" + keyId + ":" + index).getBytes(StandardCharsets.UTF_8);
    }
}
