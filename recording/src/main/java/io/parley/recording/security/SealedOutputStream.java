package io.parley.recording.security;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;

/**
 * Encrypts a byte stream with AES-256-GCM in independently authenticated chunks, so files of
 * any size stream through constant memory and a file cut short by a crash still opens up to its
 * last complete chunk. Chunk {@code i} uses nonce {@code prefix | i} and authenticates the file
 * header, its index and whether it is the last chunk, so chunks cannot be reordered, dropped or
 * the file truncated without {@link SealedInputStream} noticing.
 *
 * <p>Layout: {@code "PRLS" | version 1 | keyId length | keyId | nonce prefix (8)} then chunks of
 * {@code length (4, big-endian) | ciphertext+tag}.
 */
public final class SealedOutputStream extends OutputStream {

    static final byte[] MAGIC = {'P', 'R', 'L', 'S'};
    static final int VERSION = 1;
    /** Plaintext bytes per chunk unless {@link #sealChunk()} cuts one earlier. */
    public static final int DEFAULT_CHUNK = 64 * 1024;

    private final OutputStream out;
    private final SecretKey key;
    private final byte[] header;
    private final byte[] prefix;
    private final byte[] buf;
    private int fill;
    private int counter;
    private boolean closed;

    /** Writes the header to {@code out} and seals what follows with the provider's current key. */
    public SealedOutputStream(OutputStream out, KeyProvider keys) throws IOException {
        this(out, keys, DEFAULT_CHUNK);
    }

    SealedOutputStream(OutputStream out, KeyProvider keys, int chunkSize) throws IOException {
        this.out = out;
        String keyId = keys.currentKeyId();
        this.key = Aead.resolve(keys, keyId, "new file");
        byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("key id longer than 255 bytes");
        }
        prefix = new byte[8];
        Aead.RANDOM.nextBytes(prefix);
        header = ByteBuffer.allocate(4 + 2 + id.length + 8).put(MAGIC).put((byte) VERSION).put((byte) id.length)
                .put(id).put(prefix).array();
        buf = new byte[chunkSize];
        out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        if (fill == buf.length) {
            emit(false);
        }
        buf[fill++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (fill == buf.length) {
                emit(false);
            }
            int n = Math.min(len, buf.length - fill);
            System.arraycopy(b, off, buf, fill, n);
            fill += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Seals what is buffered as a complete chunk and flushes it, so it survives a crash of this
     * process. Does nothing if nothing is buffered.
     */
    public void sealChunk() throws IOException {
        if (fill > 0) {
            emit(false);
        }
        out.flush();
    }

    /** Flushes the underlying stream without cutting a chunk (buffered bytes stay buffered). */
    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Seals the remainder as the final chunk and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            emit(true);
            out.flush();
        } finally {
            out.close();
        }
    }

    private void emit(boolean last) throws IOException {
        byte[] ct = Aead.seal(key, nonce(prefix, counter), aad(header, counter, last), buf, 0, fill);
        out.write(ByteBuffer.allocate(4).putInt(ct.length).array());
        out.write(ct);
        counter++;
        fill = 0;
    }

    static byte[] nonce(byte[] prefix, int counter) {
        return ByteBuffer.allocate(Aead.NONCE_BYTES).put(prefix).putInt(counter).array();
    }

    static byte[] aad(byte[] header, int counter, boolean last) {
        return ByteBuffer.allocate(header.length + 5).put(header).putInt(counter).put((byte) (last ? 1 : 0)).array();
    }
}
