package io.parley.providers.deepgram;

import io.parley.audio.AudioFormat;
import java.util.ArrayDeque;
import java.util.Arrays;
import okhttp3.WebSocket;
import okio.ByteString;

/**
 * The audio a {@link DeepgramSttStream} has sent (or will send) that no final result covers yet,
 * so that a new socket after a reconnect hears it again: as sent, up to a window (older audio is
 * dropped and counted), trimmed as each channel's final results cover it. Frames are counted
 * from the start of the stream. Not thread-safe: the stream's lock guards it.
 */
final class ReplayBuffer {

    /** One message's audio: its bytes as sent and the frames they hold. */
    private record Chunk(ByteString bytes, long startFrame, long endFrame) {
    }

    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private final long windowFrames;
    private final int bytesPerFrame;
    private long frames;
    /** Per channel, the frame up to which its final results cover the audio. */
    private long[] finalizedByChannel = new long[0];
    /** Frames dropped for the window since the last reconnect. */
    private long evictedFrames;

    ReplayBuffer(AudioFormat format, long windowFrames) {
        this.windowFrames = windowFrames;
        this.bytesPerFrame = format.channels() * AudioFormat.BYTES_PER_SAMPLE;
    }

    /** Keeps {@code message}, frames {@code startFrame} to {@code endFrame}, dropping what falls out of the window. */
    void add(ByteString message, long startFrame, long endFrame) {
        chunks.addLast(new Chunk(message, startFrame, endFrame));
        frames += endFrame - startFrame;
        while (frames - chunks.peekFirst().endFrame + chunks.peekFirst().startFrame >= windowFrames && chunks.size() > 1) {
            Chunk old = chunks.removeFirst();
            long n = old.endFrame - old.startFrame;
            frames -= n;
            evictedFrames += n;
        }
    }

    /** The first frame no final covers, or {@code writtenFrames} when every frame written is covered. */
    long firstUnfinalizedFrame(long writtenFrames) {
        return chunks.isEmpty() ? writtenFrames : chunks.peekFirst().startFrame;
    }

    /** Sends the kept audio on a new socket, oldest first. */
    void replayTo(WebSocket ws) {
        for (Chunk c : chunks) {
            ws.send(c.bytes);
        }
    }

    /** Frames dropped for the window since the previous call (which the reconnect reports). */
    long takeEvicted() {
        long n = evictedFrames;
        evictedFrames = 0;
        return n;
    }

    /**
     * A final result on {@code channel} (of {@code channels}) covers the audio up to {@code endFrame}:
     * audio every channel's finals cover is dropped.
     */
    void finalized(int channel, int channels, long endFrame) {
        int n = Math.max(1, channels);
        if (finalizedByChannel.length != n) {
            finalizedByChannel = Arrays.copyOf(finalizedByChannel, n);
        }
        int ch = Math.min(Math.max(0, channel), n - 1);
        finalizedByChannel[ch] = Math.max(finalizedByChannel[ch], endFrame);
        long frontier = Long.MAX_VALUE;
        for (long f : finalizedByChannel) {
            frontier = Math.min(frontier, f);
        }
        trimTo(frontier);
    }

    /** Drops everything (the stream failed). */
    void clear() {
        chunks.clear();
        frames = 0;
    }

    private void trimTo(long frame) {
        while (!chunks.isEmpty()) {
            Chunk first = chunks.peekFirst();
            if (first.endFrame <= frame) {
                chunks.removeFirst();
                frames -= first.endFrame - first.startFrame;
            } else {
                if (first.startFrame < frame) {
                    // Keep only the unfinalized tail so a replay never re-transcribes finalized words.
                    int cut = Math.toIntExact((frame - first.startFrame) * bytesPerFrame);
                    chunks.removeFirst();
                    chunks.addFirst(new Chunk(first.bytes.substring(cut), frame, first.endFrame));
                    frames -= frame - first.startFrame;
                }
                return;
            }
        }
    }
}
