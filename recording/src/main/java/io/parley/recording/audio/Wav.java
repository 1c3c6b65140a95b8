package io.parley.recording.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The canonical 44-byte RIFF/WAVE header for 16-bit PCM, and helpers to write, patch and read it.
 */
public final class Wav {

    /** Size of the header this class writes. */
    public static final int HEADER_BYTES = 44;

    private Wav() {
    }

    /** A header for {@code dataBytes} of 16-bit PCM. */
    public static byte[] header(int sampleRate, int channels, long dataBytes) {
        long riff = Math.min(0xFFFF_FFFFL, 36 + dataBytes);
        long data = Math.min(0xFFFF_FFFFL - 36, dataBytes);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) riff).put(new byte[] {'W', 'A', 'V', 'E'});
        b.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) channels);
        b.putInt(sampleRate).putInt(sampleRate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) data);
        return b.array();
    }

    /** Rewrites the size fields of a WAV file whose data chunk runs to the end of the file. */
    public static void patchSizes(FileChannel file, int sampleRate, int channels) throws IOException {
        long dataBytes = Math.max(0, file.size() - HEADER_BYTES);
        dataBytes -= dataBytes % (2L * channels);
        file.write(ByteBuffer.wrap(header(sampleRate, channels, dataBytes)), 0);
    }

    /** Writes a complete stereo WAV of interleaved samples. */
    public static void write(OutputStream out, int sampleRate, AudioTrack track) throws IOException {
        out.write(header(sampleRate, 2, track.frames() * 4));
        short[] buf = new short[2 * 4096];
        byte[] bytes = new byte[buf.length * 2];
        long pos = 0;
        int n;
        while ((n = track.read(pos, buf, 4096)) > 0) {
            toBytes(buf, 2 * n, bytes);
            out.write(bytes, 0, 4 * n);
            pos += n;
        }
    }

    /**
     * Reads a 16-bit PCM WAV stream that this class wrote (44-byte header) into a track. A data
     * chunk shorter than the header claims (a torn file) yields what is there.
     *
     * @throws IOException if it is not such a WAV
     */
    public static AudioTrack read(InputStream in) throws IOException {
        byte[] head = in.readNBytes(HEADER_BYTES);
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (head.length < HEADER_BYTES || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157
                || b.getShort(20) != 1 || b.getShort(22) != 2 || b.getShort(34) != 16) {
            throw new IOException("not a 16-bit stereo PCM WAV written by Parley");
        }
        int rate = b.getInt(24);
        byte[] data = in.readAllBytes();
        int n = data.length / 4 * 2;
        short[] s = new short[n];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s, 0, n);
        return AudioTrack.ofSamples(rate, s);
    }

    /** Encodes {@code count} samples as PCM16LE into {@code out}. */
    public static void toBytes(short[] samples, int count, byte[] out) {
        for (int i = 0; i < count; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
    }
}
