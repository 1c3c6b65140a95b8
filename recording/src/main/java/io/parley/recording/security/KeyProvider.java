package io.parley.recording.security;

import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Supplies AES-256 keys for encryption at rest. New data is sealed with {@link #currentKeyId()};
 * stored data names the key it was sealed with, so keys can be rotated by keeping old ids
 * resolvable. Implement it over a KMS or keystore; {@link #of} covers fixed keys.
 */
public interface KeyProvider {

    /** Id of the key new data is sealed with. */
    String currentKeyId();

    /** The key with this id, if known. */
    Optional<SecretKey> key(String keyId);

    /**
     * A provider with fixed keys; the first id is the current one.
     *
     * @throws IllegalArgumentException if a key is not 32 bytes or an id is blank
     */
    static KeyProvider of(String currentKeyId, Map<String, byte[]> keys) {
        return new StaticKeyProvider(currentKeyId, keys);
    }

    /** A provider with a single fixed 32-byte key. */
    static KeyProvider of(String keyId, byte[] aes256Key) {
        return new StaticKeyProvider(keyId, Map.of(keyId, aes256Key));
    }

    /** Wraps raw bytes as an AES key after checking the length. */
    static SecretKey aesKey(byte[] raw) {
        if (raw == null || raw.length != 32) {
            throw new IllegalArgumentException("AES-256 keys are 32 bytes, got " + (raw == null ? "null" : raw.length));
        }
        return new SecretKeySpec(raw.clone(), "AES");
    }
}
