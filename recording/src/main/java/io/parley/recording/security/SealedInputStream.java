package io.parley.recording.security;

import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Decrypts what {@link SealedOutputStream} wrote, chunk by chunk. Every chunk is authenticated
 * before any of its bytes are returned, so a wrong key or altered byte raises
 * {@link RecordingException} with {@link Problem#DECRYPTION_FAILED} instead of yielding garbage.
 *
 * <p>A stream that ends without its final chunk (the writer crashed) is an error in strict mode;
 * in recovering mode it ends cleanly after the last complete chunk and {@link #truncated()} says so.
 */
public final class SealedInputStream extends InputStream {

    private final DataInputStream in;
    private final SecretKey key;
    private final byte[] header;
    private final byte[] prefix;
    private final boolean recovering;
    private final String what;
    private byte[] chunk = new byte[0];
    private int pos;
    private int counter;
    private boolean sawLast;
    private boolean truncated;

    /**
     * Reads and checks the header.
     *
     * @param recovering accept a missing tail (report it through {@link #truncated()})
     * @param what       what the stream holds, for error messages
     * @throws RecordingException if it is not a sealed stream or the key is unavailable
     */
    public SealedInputStream(InputStream in, KeyProvider keys, boolean recovering, String what) throws IOException {
        this.in = new DataInputStream(in);
        this.recovering = recovering;
        this.what = what;
        byte[] start = this.in.readNBytes(6);
        if (start.length < 6 || !Arrays.equals(Arrays.copyOf(start, 4), SealedOutputStream.MAGIC)) {
            throw new RecordingException(Problem.CORRUPT, what + " is not an encrypted Parley file");
        }
        if (start[4] != SealedOutputStream.VERSION) {
            throw new RecordingException(Problem.CORRUPT, what + " has unsupported format version " + start[4]);
        }
        byte[] id = this.in.readNBytes(start[5] & 0xFF);
        prefix = this.in.readNBytes(8);
        if (prefix.length < 8) {
            throw new RecordingException(Problem.CORRUPT, what + " has a truncated header");
        }
        String keyId = new String(id, StandardCharsets.UTF_8);
        key = Aead.resolve(keys, keyId, what);
        header = ByteBuffer.allocate(6 + id.length + 8).put(start).put(id).put(prefix).array();
    }

    /** Whether the stream ended before its final chunk (only in recovering mode). */
    public boolean truncated() {
        return truncated;
    }

    /** Peeks whether {@code in} starts like a sealed file; {@code in} must support mark/reset. */
    public static boolean looksSealed(InputStream in) throws IOException {
        in.mark(4);
        byte[] m = in.readNBytes(4);
        in.reset();
        return Arrays.equals(m, SealedOutputStream.MAGIC);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        while (pos == chunk.length) {
            if (sawLast || truncated) {
                return false;
            }
            int len;
            try {
                len = in.readInt();
            } catch (EOFException e) {
                return missingTail(null);
            }
            if (len < Aead.TAG_BITS / 8 || len > SealedOutputStream.DEFAULT_CHUNK * 4 + 64) {
                throw new RecordingException(Problem.CORRUPT, what + " has an invalid chunk length " + len);
            }
            byte[] ct = in.readNBytes(len);
            if (ct.length < len) {
                return missingTail(null);
            }
            byte[] nonce = SealedOutputStream.nonce(prefix, counter);
            byte[] plain;
            try {
                plain = Aead.open(key, nonce, SealedOutputStream.aad(header, counter, false), ct, 0, ct.length, what);
            } catch (RecordingException notMiddle) {
                plain = Aead.open(key, nonce, SealedOutputStream.aad(header, counter, true), ct, 0, ct.length, what);
                sawLast = true;
                if (in.read() >= 0) {
                    throw new RecordingException(Problem.DECRYPTION_FAILED, what + " has data after its final chunk");
                }
            }
            counter++;
            chunk = plain;
            pos = 0;
        }
        return true;
    }

    private boolean missingTail(IOException cause) {
        if (!recovering) {
            throw new RecordingException(Problem.CORRUPT, what + " ends before its final chunk (truncated file)", cause);
        }
        truncated = true;
        return false;
    }
}
