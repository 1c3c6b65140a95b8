package io.parley.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes RIFF/WAVE files holding 16-bit PCM, the only sample encoding Parley uses.
 *
 * <p>The reader walks the chunk list itself rather than going through {@code javax.sound}
 * so that it can say exactly why a file is refused (compressed, 8/24/32-bit, float, truncated)
 * and so that WAVE_FORMAT_EXTENSIBLE files with a PCM sub-format are accepted.
 */
public final class Wav {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private Wav() {
    }

    /**
     * Reads a PCM16 WAV file.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it is not a RIFF/WAVE file, is truncated, or holds anything
     *                                  but 16-bit integer PCM
     */
    public static AudioClip read(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        byte[] bytes = Files.readAllBytes(path);
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses PCM16 WAV bytes.
     *
     * @throws IllegalArgumentException as {@link #read(Path)}
     */
    public static AudioClip parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        AudioFormat format = null;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + size > bytes.length) {
                    throw new IllegalArgumentException("truncated fmt chunk");
                }
                format = parseFormat(b, body, (int) size);
            } else if (id.equals("data")) {
                if (format == null) {
                    throw new IllegalArgumentException("data chunk before fmt chunk");
                }
                // Streams written live often leave the size at 0 or 0xFFFFFFFF; take what is there.
                long available = bytes.length - body;
                long len = size == 0 || size > available ? available : size;
                int frameBytes = 2 * format.channels();
                len -= len % frameBytes;
                short[] samples = new short[(int) (len / 2)];
                b.position(body);
                b.asShortBuffer().get(samples);
                return new AudioClip(format, samples);
            }
            pos = Math.toIntExact(body + size + (size & 1));
        }
        throw new IllegalArgumentException(format == null ? "no fmt chunk" : "no data chunk");
    }

    private static AudioFormat parseFormat(ByteBuffer b, int at, int size) {
        int tag = Short.toUnsignedInt(b.getShort(at));
        int channels = Short.toUnsignedInt(b.getShort(at + 2));
        int rate = b.getInt(at + 4);
        int bits = Short.toUnsignedInt(b.getShort(at + 14));
        if (tag == FORMAT_EXTENSIBLE && size >= 40) {
            // The sub-format GUID starts with the real format tag.
            tag = Short.toUnsignedInt(b.getShort(at + 24));
        }
        if (tag != FORMAT_PCM) {
            throw new IllegalArgumentException("WAV encoding 0x" + Integer.toHexString(tag)
                    + " is not supported; only 16-bit integer PCM is (convert with: sox in.wav -b 16 -e signed-integer out.wav)");
        }
        if (bits != 16) {
            throw new IllegalArgumentException(bits + "-bit WAV is not supported; only 16-bit PCM is"
                    + " (convert with: sox in.wav -b 16 out.wav)");
        }
        return new AudioFormat(rate, channels);
    }

    /**
     * Writes {@code samples} as a 16-bit PCM WAV file, replacing any existing file.
     *
     * @throws IllegalArgumentException if the sample count is not a multiple of the channel count
     * @throws IOException              if the file cannot be written
     */
    public static void write(Path path, AudioFormat format, short[] samples) throws IOException {
        Objects.requireNonNull(path, "path");
        Files.write(path, encode(format, samples));
    }

    /** Writes a clip; see {@link #write(Path, AudioFormat, short[])}. */
    public static void write(Path path, AudioClip clip) throws IOException {
        write(path, clip.format(), clip.samples());
    }

    /** The bytes of a 16-bit PCM WAV file holding {@code samples}. */
    public static byte[] encode(AudioFormat format, short[] samples) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(samples, "samples");
        if (samples.length % format.channels() != 0) {
            throw new IllegalArgumentException("sample count " + samples.length + " is not a multiple of "
                    + format.channels() + " channels");
        }
        int dataBytes = Math.multiplyExact(samples.length, 2);
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) FORMAT_PCM).putShort((short) format.channels())
                .putInt(format.sampleRate()).putInt(format.sampleRate() * format.channels() * 2)
                .putShort((short) (format.channels() * 2)).putShort((short) 16);
        b.put(ascii("data")).putInt(dataBytes);
        b.asShortBuffer().put(samples);
        return b.array();
    }

    /**
     * Reads headerless little-endian PCM16 (such as pocketsphinx's {@code .raw} test files).
     *
     * @throws IllegalArgumentException if the byte count is not a whole number of sample groups
     */
    public static AudioClip readRaw(Path path, AudioFormat format) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length % (2 * format.channels()) != 0) {
            throw new IllegalArgumentException(path + ": " + bytes.length + " bytes is not a whole number of "
                    + format.channels() + "-channel PCM16 samples");
        }
        short[] samples = new short[bytes.length / 2];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return new AudioClip(format, samples);
    }

    private static boolean tag(byte[] bytes, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            if (bytes[at + i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
