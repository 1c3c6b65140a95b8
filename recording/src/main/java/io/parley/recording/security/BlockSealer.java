package io.parley.recording.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;

/**
 * Seals the numbered blocks of one file with AES-256-GCM. Each block's nonce is the file's
 * random 8-byte prefix followed by the block number, and its authenticated data binds the file
 * header, the block number and the block's kind, so blocks cannot be reordered, repeated, moved
 * between files or relabelled (a data block passed off as the end marker) without
 * {@link #open} failing.
 *
 * <p>The file header names the key, so keys can be rotated while old files stay readable.
 */
public final class BlockSealer {

    private final SecretKey key;
    private final String keyId;
    private final byte[] prefix;
    private final byte[] header;

    private BlockSealer(SecretKey key, String keyId, byte[] prefix, byte[] fileHeader) {
        this.key = key;
        this.keyId = keyId;
        this.prefix = prefix;
        this.header = fileHeader;
    }

    /**
     * A sealer for a new file with the provider's current key and a fresh random nonce prefix.
     *
     * @param fileHeader the plain bytes the file starts with (before {@link #keyMaterial()}), authenticated with every block
     */
    public static BlockSealer forNewFile(KeyProvider keys, byte[] fileHeader) {
        String id = keys.currentKeyId();
        byte[] prefix = new byte[8];
        Aead.RANDOM.nextBytes(prefix);
        return new BlockSealer(Aead.resolve(keys, id, "new file"), id, prefix, fileHeader);
    }

    /**
     * A sealer for an existing file whose header named {@code keyId} and {@code prefix}.
     *
     * @throws io.parley.recording.RecordingException DECRYPTION_FAILED if the key is unknown
     */
    public static BlockSealer forExistingFile(KeyProvider keys, String keyId, byte[] prefix, byte[] fileHeader,
                                              String what) {
        return new BlockSealer(Aead.resolve(keys, keyId, what), keyId, prefix.clone(), fileHeader);
    }

    /** The key id and nonce prefix as the file stores them: {@code idLength(1) | id | prefix(8)}. */
    public byte[] keyMaterial() {
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("key id longer than 255 bytes");
        }
        return ByteBuffer.allocate(1 + id.length + 8).put((byte) id.length).put(id).put(prefix).array();
    }

    /** Encrypts block {@code index} of kind {@code kind}; the result carries its 16-byte tag. */
    public byte[] seal(long index, byte kind, byte[] plain, int off, int len) {
        return Aead.seal(key, nonce(index), aad(index, kind), plain, off, len);
    }

    /**
     * Decrypts and authenticates block {@code index}.
     *
     * @throws io.parley.recording.RecordingException DECRYPTION_FAILED on a wrong key or altered data
     */
    public byte[] open(long index, byte kind, byte[] sealed, int off, int len, String what) {
        return Aead.open(key, nonce(index), aad(index, kind), sealed, off, len, what);
    }

    private byte[] nonce(long index) {
        if (index < 0 || index > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("block index out of range: " + index);
        }
        return ByteBuffer.allocate(Aead.NONCE_BYTES).put(prefix).putInt((int) index).array();
    }

    private byte[] aad(long index, byte kind) {
        return ByteBuffer.allocate(header.length + 9).put(header).putLong(index).put(kind).array();
    }
}
