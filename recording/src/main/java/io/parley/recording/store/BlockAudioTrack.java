package io.parley.recording.store;

import io.parley.recording.RecordingException;
import io.parley.recording.RecordingException.Problem;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.security.KeyProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Audio stored as a {@link BlockFile} of stereo PCM16LE, read by position with one decoded block
 * in memory, so hour-long compressed or encrypted recordings seek and stream in constant memory.
 */
final class BlockAudioTrack implements AudioTrack {

    private final Path file;
    private final KeyProvider keys;
    private final int sampleRate;
    private final BlockFile.Index index;
    private final long frames;
    private int cachedBlock = -1;
    private byte[] cached;

    BlockAudioTrack(Path file, KeyProvider keys, int sampleRate, BlockFile.Index index) {
        this.file = file;
        this.keys = keys;
        this.sampleRate = sampleRate;
        this.index = index;
        this.frames = index.plainBytes() / 4;
    }

    BlockFile.Index index() {
        return index;
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
    public synchronized int read(long fromFrame, short[] dst, int maxFrames) {
        if (fromFrame < 0) {
            throw new IllegalArgumentException("fromFrame must not be negative, was " + fromFrame);
        }
        if (dst.length < 2 * maxFrames) {
            throw new IllegalArgumentException("dst holds " + dst.length / 2 + " frames, asked for " + maxFrames);
        }
        int want = (int) Math.min(maxFrames, frames - fromFrame);
        if (want <= 0) {
            return 0;
        }
        int done = 0;
        BlockFile.Reader reader = null;
        try {
            while (done < want) {
                long byteAt = 4 * (fromFrame + done);
                int b = blockOf(byteAt);
                if (b != cachedBlock) {
                    if (reader == null) {
                        reader = BlockFile.Reader.withIndex(file, index, keys, file.getFileName().toString());
                    }
                    cached = reader.block(b);
                    cachedBlock = b;
                }
                int inBlock = (int) (byteAt - index.plainStarts()[b]);
                int n = Math.min(want - done, (cached.length - inBlock) / 4);
                ByteBuffer.wrap(cached, inBlock, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer()
                        .get(dst, 2 * done, 2 * n);
                done += n;
            }
        } catch (IOException e) {
            throw new RecordingException(Problem.IO, "cannot read audio from " + file + ": " + e.getMessage(), e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    throw new RecordingException(Problem.IO, "cannot close " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return done;
    }

    private int blockOf(long byteAt) {
        int i = Arrays.binarySearch(index.plainStarts(), byteAt);
        if (i < 0) {
            i = -i - 2;
        }
        while (i + 1 < index.blocks() && index.plainStarts()[i + 1] <= byteAt) {
            i++;
        }
        return i;
    }
}
