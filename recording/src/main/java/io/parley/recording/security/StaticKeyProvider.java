package io.parley.recording.security;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;

/** Fixed keys held in memory. */
final class StaticKeyProvider implements KeyProvider {

    private final String current;
    private final Map<String, SecretKey> keys = new HashMap<>();

    StaticKeyProvider(String current, Map<String, byte[]> raw) {
        if (current == null || current.isBlank() || current.length() > 100) {
            throw new IllegalArgumentException("key id must be 1-100 characters, was '" + current + "'");
        }
        raw.forEach((id, bytes) -> keys.put(id, KeyProvider.aesKey(bytes)));
        if (!keys.containsKey(current)) {
            throw new IllegalArgumentException("no key given for the current key id '" + current + "'");
        }
        this.current = current;
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    @Override
    public Optional<SecretKey> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }
}
