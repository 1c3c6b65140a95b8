package io.parley.recording.audio;

import io.parley.recording.RecordingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An {@link AudioTrack} read straight from a plain WAV file written by {@link Wav}, so long
 * recordings are not loaded into memory. The data length comes from the file size, not the
 * header, so a file whose header was never patched (a crash) reads fully.
 */
public final class FileAudioTrack implements AudioTrack {

    private final Path file;
    private final int sampleRate;
    private final long frames;

    /**
     * @throws IOException if the file is not a stereo 16-bit WAV
     */
    public FileAudioTrack(Path file) throws IOException {
        this.file = file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(Wav.HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // keep reading until the header is complete or the file ends
            }
            if (b.position() < Wav.HEADER_BYTES || b.getInt(0) != 0x46464952 || b.getShort(22) != 2
                    || b.getShort(34) != 16) {
                throw new IOException(file + " is not a 16-bit stereo PCM WAV written by Parley");
            }
            sampleRate = b.getInt(24);
            frames = (ch.size() - Wav.HEADER_BYTES) / 4;
        }
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public int read(long fromFrame, short[] dst, int maxFrames) {
        if (fromFrame < 0) {
            throw new IllegalArgumentException("fromFrame must not be negative, was " + fromFrame);
        }
        if (dst.length < 2 * maxFrames) {
            throw new IllegalArgumentException("dst holds " + dst.length / 2 + " frames, asked for " + maxFrames);
        }
        int n = (int) Math.min(maxFrames, frames - fromFrame);
        if (n <= 0) {
            return 0;
        }
        ByteBuffer buf = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = Wav.HEADER_BYTES + 4 * fromFrame;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, at + buf.position());
                if (r < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new RecordingException(RecordingException.Problem.IO, "cannot read audio from " + file + ": " + e.getMessage(), e);
        }
        buf.flip();
        int got = buf.remaining() / 4;
        buf.asShortBuffer().get(dst, 0, 2 * got);
        return got;
    }
}
