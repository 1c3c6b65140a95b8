package io.parley.server;

import io.parley.recording.privacy.Redactor;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.security.LineSealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Secrets handling: bearer tokens (random, stored only as SHA-256), transcripts sealed at rest
 * with the recording module's AES-256-GCM line sealing, and secrets redacted before storage.
 */
final class Vault {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ID = "k1";

    private final LineSealer sealer;
    private final KeyProvider keys;
    private final Redactor redactor = Redactor.of(List.of(Redactor.API_KEY, Redactor.SECRET));

    Vault(byte[] key) {
        this.keys = KeyProvider.of(KEY_ID, key);
        this.sealer = new LineSealer(keys);
    }

    /**
     * The key from {@code PARLEY_ENCRYPTION_KEY} (base64 of 32 bytes) if given, else from
     * {@code dataDir/encryption.key}, created on first use readable by the owner only.
     */
    static byte[] loadKey(String fromEnv, Path dataDir) {
        if (fromEnv != null && !fromEnv.isBlank()) {
            byte[] k;
            try {
                k = Base64.getDecoder().decode(fromEnv.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PARLEY_ENCRYPTION_KEY is not base64", e);
            }
            if (k.length != 32) {
                throw new IllegalArgumentException("PARLEY_ENCRYPTION_KEY must be 32 bytes, was " + k.length);
            }
            return k;
        }
        Path file = dataDir.resolve("encryption.key");
        try {
            if (Files.exists(file)) {
                byte[] k = Base64.getDecoder().decode(Files.readString(file).trim());
                if (k.length != 32) {
                    throw new IllegalArgumentException(file + " must hold 32 base64 bytes");
                }
                return k;
            }
            byte[] k = new byte[32];
            RANDOM.nextBytes(k);
            Files.createDirectories(dataDir);
            Files.writeString(file, Base64.getEncoder().encodeToString(k));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system; the directory's own protection applies.
            }
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** A new bearer token: 32 random bytes, URL-safe base64, with a recognisable prefix. */
    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A random id for share links. */
    static String newShareToken() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** What is stored for a token: its SHA-256 (tokens are random, so no salt or stretching is needed). */
    static String hashToken(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Removes API keys and secrets. */
    String redact(String text) {
        return redactor.redact(text).text();
    }

    /** Seals text for storage; {@code index} is authenticated with it (e.g. the message's position). */
    String seal(String plain, long index) {
        return sealer.seal(plain, index);
    }

    /** Opens sealed text. */
    String open(String sealed, long index) {
        return LineSealer.open(keys, sealed, index);
    }
}
