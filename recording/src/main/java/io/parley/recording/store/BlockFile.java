package io.parley.recording.store;

import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.security.BlockSealer;
import io.parley.recording.security.KeyProvider;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A file of independently readable blocks, each optionally deflated and optionally sealed with
 * AES-256-GCM, closed by an end record that states how many blocks, bytes and items (events or
 * audio frames) came before it. Because every block stands alone, any block can be read with
 * one block of memory (audio seeks) and a file is streamed whole block by block; because the
 * end record carries the counts (and is authenticated when sealed), a file cut anywhere, even
 * between blocks, is recognised as cut.
 *
 * <p>Layout: {@code "PRLB" | version 1 | flags (1 deflate, 2 sealed) | [key id length | key id |
 * nonce prefix (8)]} then records {@code kind (0 data, 1 end) | plain length (4) | stored length
 * (4) | stored bytes | CRC-32 of everything before it in the record (4)}. The end record's plain
 * bytes are {@code blocks (8) | plain bytes (8) | items (8)}.
 */
final class BlockFile {

    static final byte DATA = 0;
    static final byte END = 1;
    private static final byte[] MAGIC = {'P', 'R', 'L', 'B'};
    private static final int VERSION = 1;
    private static final int FLAG_DEFLATE = 1;
    private static final int FLAG_SEALED = 2;
    private static final int HEAD = 9;
    private static final int MAX_BLOCK = 16 << 20;

    private BlockFile() {
    }

    /** Appends blocks to a new file. Each record goes out with one positional write. */
    static final class Writer implements Closeable {
        private final FileChannel ch;
        private final boolean deflate;
        private final BlockSealer sealer;
        private final Deflater deflater;
        private byte[] work = new byte[0];
        private long blocks;
        private long plainBytes;
        private long position;
        private boolean finished;

        private Writer(FileChannel ch, boolean deflate, BlockSealer sealer, long position, long blocks, long plainBytes) {
            this.ch = ch;
            this.deflate = deflate;
            this.sealer = sealer;
            this.deflater = deflate ? new Deflater(Deflater.DEFAULT_COMPRESSION, true) : null;
            this.position = position;
            this.blocks = blocks;
            this.plainBytes = plainBytes;
        }

        /** Creates {@code file} (which must not exist) and writes its header. */
        static Writer create(Path file, boolean deflate, KeyProvider keys) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                byte[] fixed = fixedHeader(deflate, keys != null);
                BlockSealer sealer = keys == null ? null : BlockSealer.forNewFile(keys, fixed);
                byte[] material = sealer == null ? new byte[0] : sealer.keyMaterial();
                ByteBuffer h = ByteBuffer.allocate(fixed.length + material.length).put(fixed).put(material).flip();
                long at = 0;
                while (h.hasRemaining()) {
                    at += ch.write(h, at);
                }
                return new Writer(ch, deflate, sealer, at, 0, 0);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        /**
         * Reopens a file cut off by a crash to finish it: cuts the torn tail that {@code scan}
         * found and continues after its last complete block.
         */
        static Writer resume(Path file, Index scan, KeyProvider keys) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
            ch.truncate(scan.validBytes);
            BlockSealer sealer = scan.sealed ? BlockSealer.forExistingFile(keys, scan.keyId, scan.prefix,
                    fixedHeader(scan.deflated, true), file.getFileName().toString()) : null;
            return new Writer(ch, scan.deflated, sealer, scan.validBytes, scan.blocks(), scan.plainBytes);
        }

        /** Writes one data block holding {@code len} bytes of {@code b}. */
        void block(byte[] b, int off, int len) throws IOException {
            if (finished) {
                throw new IllegalStateException("block file already finished");
            }
            record(DATA, b, off, len);
            blocks++;
            plainBytes += len;
        }

        long blocks() {
            return blocks;
        }

        long plainBytes() {
            return plainBytes;
        }

        /** Writes the end record with {@code items} and forces the file to disk. */
        void finish(long items) throws IOException {
            byte[] end = ByteBuffer.allocate(24).putLong(blocks).putLong(plainBytes).putLong(items).array();
            record(END, end, 0, end.length);
            finished = true;
            ch.force(true);
        }

        /** Forces what was written to disk. */
        void force() throws IOException {
            ch.force(false);
        }

        private void record(byte kind, byte[] b, int off, int len) throws IOException {
            byte[] src = b;
            int srcOff = off;
            int srcLen = len;
            if (deflate && kind == DATA) {
                deflater.reset();
                deflater.setInput(b, off, len);
                deflater.finish();
                int cap = len + len / 8 + 64;
                if (work.length < cap) {
                    work = new byte[cap];
                }
                int n = 0;
                while (!deflater.finished()) {
                    if (n == work.length) {
                        work = Arrays.copyOf(work, work.length * 2);
                    }
                    n += deflater.deflate(work, n, work.length - n);
                }
                src = work;
                srcOff = 0;
                srcLen = n;
            }
            if (sealer != null) {
                src = sealer.seal(blocks, kind, src, srcOff, srcLen);
                srcOff = 0;
                srcLen = src.length;
            }
            ByteBuffer rec = ByteBuffer.allocate(HEAD + srcLen + 4);
            rec.put(kind).putInt(len).putInt(srcLen).put(src, srcOff, srcLen);
            CRC32 crc = new CRC32();
            crc.update(rec.array(), 0, rec.position());
            rec.putInt((int) crc.getValue()).flip();
            while (rec.hasRemaining()) {
                position += ch.write(rec, position);
            }
        }

        @Override
        public void close() throws IOException {
            if (deflater != null) {
                deflater.end();
            }
            ch.close();
        }
    }

    /**
     * What a scan of a block file found.
     *
     * @param validBytes where the last complete record ends (a crash may have left bytes after it)
     * @param problem    what is wrong with the file's end, or null if it ends with its end record
     */
    record Index(boolean deflated, boolean sealed, String keyId, byte[] prefix, int headerBytes, long[] offsets,
                 int[] plainLens, long[] plainStarts, long plainBytes, boolean ended, long items, long validBytes,
                 String problem) {
        int blocks() {
            return offsets.length;
        }
    }

    /** Reads blocks of an existing file. Not thread-safe. */
    static final class Reader implements Closeable {
        private final FileChannel ch;
        private Index index;
        private final BlockSealer sealer;
        private final Inflater inflater;
        private final String what;

        private Reader(FileChannel ch, Index index, BlockSealer sealer, String what) {
            this.ch = ch;
            this.index = index;
            this.sealer = sealer;
            this.inflater = index.deflated ? new Inflater(true) : null;
            this.what = what;
        }

        /**
         * Opens and scans {@code file}.
         *
         * @throws RecordingException CORRUPT if it is not a block file, DECRYPTION_FAILED if the key is unknown or the end record was altered
         */
        static Reader open(Path file, KeyProvider keys, String what) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            try {
                Index idx = scan(ch, what);
                BlockSealer sealer = null;
                if (idx.sealed) {
                    if (keys == null) {
                        throw new RecordingException(Problem.DECRYPTION_FAILED, what + " is encrypted with key '"
                                + idx.keyId + "' but no KeyProvider is configured");
                    }
                    sealer = BlockSealer.forExistingFile(keys, idx.keyId, idx.prefix, fixedHeader(idx.deflated, true), what);
                }
                return new Reader(ch, idx, sealer, what).checkEnd();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        /** Opens {@code file} again with an index from an earlier {@link #open}, without scanning it. */
        static Reader withIndex(Path file, Index index, KeyProvider keys, String what) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            try {
                BlockSealer sealer = index.sealed ? BlockSealer.forExistingFile(keys, index.keyId, index.prefix,
                        fixedHeader(index.deflated, true), what) : null;
                return new Reader(ch, index, sealer, what);
            } catch (RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        Index index() {
            return index;
        }

        /** The plain bytes of block {@code i}. */
        byte[] block(int i) throws IOException {
            return decode(index.offsets[i], DATA, index.plainLens[i], i);
        }

        /** All data blocks' plain bytes in order, one block in memory at a time. */
        InputStream stream() {
            return new InputStream() {
                private byte[] cur = new byte[0];
                private int pos;
                private int next;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    while (pos == cur.length) {
                        if (next == index.blocks()) {
                            return -1;
                        }
                        cur = block(next++);
                        pos = 0;
                    }
                    int n = Math.min(len, cur.length - pos);
                    System.arraycopy(cur, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };
        }

        private Reader checkEnd() throws IOException {
            if (!index.ended) {
                return this;
            }
            long endAt = endOffset();
            byte[] end = decode(endAt, END, 24, index.blocks());
            ByteBuffer b = ByteBuffer.wrap(end);
            long blocks = b.getLong();
            long bytes = b.getLong();
            long items = b.getLong();
            if (blocks != index.blocks() || bytes != index.plainBytes) {
                throw new RecordingException(Problem.CORRUPT, what + " holds " + index.blocks() + " blocks ("
                        + index.plainBytes + " bytes) but its end record says " + blocks + " (" + bytes + ")");
            }
            index = new Index(index.deflated, index.sealed, index.keyId, index.prefix, index.headerBytes,
                    index.offsets, index.plainLens, index.plainStarts, index.plainBytes, true, items, index.validBytes,
                    index.problem);
            return this;
        }

        private long endOffset() throws IOException {
            if (index.blocks() == 0) {
                return index.headerBytes;
            }
            int last = index.blocks() - 1;
            ByteBuffer h = readAt(index.offsets[last], HEAD);
            return index.offsets[last] + HEAD + h.getInt(5) + 4;
        }

        private byte[] decode(long offset, byte kind, int plainLen, long number) throws IOException {
            ByteBuffer h = readAt(offset, HEAD);
            int storedLen = h.getInt(5);
            ByteBuffer rec = readAt(offset, HEAD + storedLen + 4);
            CRC32 crc = new CRC32();
            crc.update(rec.array(), 0, HEAD + storedLen);
            if ((int) crc.getValue() != rec.getInt(HEAD + storedLen) || rec.get(0) != kind) {
                throw new RecordingException(Problem.CORRUPT, what + ": block " + number + " is damaged (checksum)");
            }
            byte[] data = rec.array();
            int off = HEAD;
            int len = storedLen;
            if (sealer != null) {
                data = sealer.open(number, kind, data, HEAD, storedLen, what + " block " + number);
                off = 0;
                len = data.length;
            }
            if (inflater == null || kind == END) {
                if (len != plainLen) {
                    throw new RecordingException(Problem.CORRUPT, what + ": block " + number + " has the wrong length");
                }
                return off == 0 && len == data.length ? data : Arrays.copyOfRange(data, off, off + len);
            }
            inflater.reset();
            inflater.setInput(data, off, len);
            byte[] plain = new byte[plainLen];
            try {
                int n = 0;
                while (n < plainLen && !inflater.finished()) {
                    int got = inflater.inflate(plain, n, plainLen - n);
                    if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    n += got;
                }
                if (n != plainLen) {
                    throw new RecordingException(Problem.CORRUPT, what + ": block " + number + " inflates short");
                }
            } catch (DataFormatException e) {
                throw new RecordingException(Problem.CORRUPT, what + ": block " + number + " is damaged: " + e.getMessage(), e);
            }
            return plain;
        }

        private ByteBuffer readAt(long at, int len) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining()) {
                if (ch.read(b, at + b.position()) < 0) {
                    throw new RecordingException(Problem.CORRUPT, what + " ends inside a block");
                }
            }
            return b.flip();
        }

        @Override
        public void close() throws IOException {
            if (inflater != null) {
                inflater.end();
            }
            ch.close();
        }
    }

    private static byte[] fixedHeader(boolean deflate, boolean sealed) {
        return new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], (byte) VERSION,
                (byte) ((deflate ? FLAG_DEFLATE : 0) | (sealed ? FLAG_SEALED : 0))};
    }

    /** Walks the record heads (not the payloads) to find every block and how the file ends. */
    private static Index scan(FileChannel ch, String what) throws IOException {
        long size = ch.size();
        ByteBuffer fixed = ByteBuffer.allocate(7);
        while (fixed.hasRemaining() && ch.read(fixed, fixed.position()) > 0) {
            // read the fixed header
        }
        byte[] f = fixed.array();
        if (fixed.position() < 6 || f[0] != MAGIC[0] || f[1] != MAGIC[1] || f[2] != MAGIC[2] || f[3] != MAGIC[3]) {
            throw new RecordingException(Problem.CORRUPT, what + " is not a Parley block file");
        }
        if (f[4] != VERSION) {
            throw new RecordingException(Problem.CORRUPT, what + " has unsupported format version " + f[4]);
        }
        boolean deflated = (f[5] & FLAG_DEFLATE) != 0;
        boolean sealed = (f[5] & FLAG_SEALED) != 0;
        long at = 6;
        String keyId = null;
        byte[] prefix = null;
        if (sealed) {
            int idLen = f[6] & 0xFF;
            ByteBuffer km = ByteBuffer.allocate(idLen + 8);
            while (km.hasRemaining() && ch.read(km, 7 + km.position()) > 0) {
                // read key id and prefix
            }
            if (km.hasRemaining()) {
                throw new RecordingException(Problem.CORRUPT, what + " has a truncated header");
            }
            keyId = new String(km.array(), 0, idLen, StandardCharsets.UTF_8);
            prefix = Arrays.copyOfRange(km.array(), idLen, idLen + 8);
            at = 7 + idLen + 8;
        }
        int headerBytes = (int) at;
        LongList offsets = new LongList();
        LongList plainStarts = new LongList();
        IntList lens = new IntList();
        long plain = 0;
        boolean ended = false;
        String problem = null;
        ByteBuffer h = ByteBuffer.allocate(HEAD);
        while (at < size) {
            h.clear();
            while (h.hasRemaining() && ch.read(h, at + h.position()) > 0) {
                // read the record head
            }
            if (h.hasRemaining()) {
                problem = "ends inside a block header";
                break;
            }
            byte kind = h.get(0);
            int plainLen = h.getInt(1);
            int storedLen = h.getInt(5);
            if ((kind != DATA && kind != END) || plainLen < 0 || plainLen > MAX_BLOCK || storedLen < 0
                    || storedLen > MAX_BLOCK + 1024) {
                problem = "has a damaged block header at byte " + at;
                break;
            }
            long end = at + HEAD + storedLen + 4;
            if (end > size) {
                problem = "ends inside block " + offsets.size() + " (cut off)";
                break;
            }
            if (kind == END) {
                ended = true;
                at = end;
                if (end < size) {
                    problem = "has " + (size - end) + " bytes after its end record";
                }
                break;
            }
            offsets.add(at);
            plainStarts.add(plain);
            lens.add(plainLen);
            plain += plainLen;
            at = end;
        }
        if (!ended && problem == null) {
            problem = "has no end record (cut off after block " + offsets.size() + ")";
        }
        return new Index(deflated, sealed, keyId, prefix, headerBytes, offsets.toArray(), lens.toArray(),
                plainStarts.toArray(), plain, ended, 0, at, problem);
    }

    /** A growable array of longs (block indexes of hour-long files hold 10^5 entries). */
    private static final class LongList {
        private long[] a = new long[64];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
