package io.parley.recording.audio;

import io.parley.audio.AudioFrame;
import java.util.Arrays;

/**
 * Lays user and agent audio side by side on one timeline, user on the left channel and agent
 * on the right, positioned by each frame's session-clock timestamp, with silence wherever a
 * side said nothing. A frame stamped before the end of what its side already holds follows
 * that audio, as a playout queue would play it.
 *
 * <p>Audio is held back for {@code holdbackFrames} before it is written because agent audio is
 * handed over slightly ahead of when it is heard: a barge-in may still cut it, and only audio
 * that was heard belongs in the recording. Frames are downmixed to mono and resampled (linear
 * interpolation) to the track rate. Not thread-safe; the recorder serializes calls.
 */
public final class StereoAligner {

    /** Frames closer than this to the end of their channel are treated as contiguous (clock jitter). */
    private static final long SNAP_NANOS = 3_000_000L;

    private final int sampleRate;
    private final int holdbackFrames;
    private final int chunkFrames;
    private final StereoSink sink;

    private short[][] channel = {new short[0], new short[0]};
    private final long[] end = new long[2];
    private long base;
    private long segmentOriginNanos;
    private long segmentStartFrame;
    private boolean segmentOpen;
    private long lateFrames;
    private short[] mono = new short[0];
    private short[] interleaved = new short[0];

    /**
     * @param sampleRate     track rate in Hz
     * @param holdbackFrames how long (in frames) audio waits before it is written
     * @param sink           where finished stereo audio goes
     */
    public StereoAligner(int sampleRate, int holdbackFrames, StereoSink sink) {
        if (sampleRate < 8_000 || sampleRate > 192_000) {
            throw new IllegalArgumentException("sampleRate must be within 8000..192000, was " + sampleRate);
        }
        if (holdbackFrames < 0) {
            throw new IllegalArgumentException("holdbackFrames must not be negative, was " + holdbackFrames);
        }
        this.sampleRate = sampleRate;
        this.holdbackFrames = holdbackFrames;
        this.chunkFrames = Math.max(1, sampleRate / 5);
        this.sink = sink;
    }

    /**
     * Starts a capture segment at session-clock time {@code originNanos}: audio stamped then
     * lands at the current end of the track. Anything still held is written first.
     *
     * @param startFrame where the segment begins; at least {@link #framesWritten()} (a resumed
     *                   recording continues after the audio already stored)
     */
    public void startSegment(long originNanos, long startFrame) {
        flushAll();
        if (startFrame < base) {
            throw new IllegalArgumentException("segment start " + startFrame + " before written end " + base);
        }
        if (startFrame > base) {
            // A resumed recording: the stored track is startFrame long, continue after it.
            base = startFrame;
            end[0] = startFrame;
            end[1] = startFrame;
        }
        segmentOriginNanos = originNanos;
        segmentStartFrame = base;
        segmentOpen = true;
    }

    /** Ends the current segment, writing everything held. Later frames are ignored until the next segment. */
    public void endSegment() {
        flushAll();
        segmentOpen = false;
    }

    /** Adds user audio (left channel). */
    public void user(AudioFrame frame) {
        place(0, frame);
    }

    /** Adds agent audio (right channel). */
    public void agent(AudioFrame frame) {
        place(1, frame);
    }

    /** Removes agent audio stamped at or after {@code atNanos}: it was queued but never heard. */
    public void clearAgent(long atNanos) {
        if (!segmentOpen) {
            return;
        }
        long cut = Math.max(frameAt(atNanos), base);
        if (cut < end[1]) {
            Arrays.fill(channel[1], (int) (cut - base), (int) (end[1] - base), (short) 0);
            end[1] = cut;
        }
    }

    /** Writes everything held, up to the later end of the two channels. */
    public void flushAll() {
        emit(Math.max(end[0], end[1]));
    }

    /** Frames handed to the sink so far (including where a resumed track started). */
    public long framesWritten() {
        return base;
    }

    /** Frames that arrived after their place in the track had already been written. */
    public long lateFrames() {
        return lateFrames;
    }

    /** The track's sample rate. */
    public int sampleRate() {
        return sampleRate;
    }

    private long frameAt(long nanos) {
        long delta = nanos - segmentOriginNanos;
        return segmentStartFrame + Math.floorDiv(delta, 1000L) * sampleRate / 1_000_000L;
    }

    private void place(int ch, AudioFrame frame) {
        if (!segmentOpen || frame.length() == 0) {
            return;
        }
        int frames = toMono(frame);
        int outFrames = (int) ((long) frames * sampleRate / frame.format().sampleRate());
        if (outFrames == 0) {
            return;
        }
        long pos = frameAt(frame.timestampNanos());
        long snap = SNAP_NANOS * sampleRate / 1_000_000_000L;
        if (pos - end[ch] <= snap) {
            // Each side plays out as a queue: audio handed over while earlier audio is still
            // playing (several agent frames share one hand-over stamp) is heard after it.
            pos = end[ch];
        }
        int skip = 0;
        if (pos < segmentStartFrame) {
            skip = (int) Math.min(outFrames, segmentStartFrame - pos);
        }
        if (pos + skip < base) {
            int late = (int) Math.min(outFrames - skip, base - (pos + skip));
            lateFrames += late;
            skip += late;
        }
        if (skip >= outFrames) {
            return;
        }
        long start = pos + skip;
        long stop = pos + outFrames;
        ensure(stop);
        short[] dst = channel[ch];
        double step = (double) frame.format().sampleRate() / sampleRate;
        for (long p = start; p < stop; p++) {
            double src = (p - pos) * step;
            int i = (int) src;
            double frac = src - i;
            int a = mono[Math.min(i, frames - 1)];
            int b = mono[Math.min(i + 1, frames - 1)];
            dst[(int) (p - base)] = (short) Math.round(a + (b - a) * frac);
        }
        end[ch] = Math.max(end[ch], stop);
        long watermark = Math.max(end[0], end[1]) - holdbackFrames;
        if (watermark - base >= chunkFrames) {
            emit(watermark);
        }
    }

    private int toMono(AudioFrame frame) {
        int channels = frame.format().channels();
        int frames = frame.samplesPerChannel();
        if (mono.length < frames) {
            mono = new short[Math.max(frames, mono.length * 2)];
        }
        short[] s = frame.samples();
        if (channels == 1) {
            System.arraycopy(s, 0, mono, 0, frames);
        } else {
            for (int f = 0; f < frames; f++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += s[f * channels + c];
                }
                mono[f] = (short) (sum / channels);
            }
        }
        return frames;
    }

    private void ensure(long absoluteEnd) {
        int needed = (int) (absoluteEnd - base);
        if (channel[0].length < needed) {
            int cap = Math.max(needed, channel[0].length * 2);
            channel[0] = Arrays.copyOf(channel[0], cap);
            channel[1] = Arrays.copyOf(channel[1], cap);
        }
    }

    private void emit(long upTo) {
        int n = (int) (upTo - base);
        if (n <= 0) {
            return;
        }
        if (interleaved.length < 2 * n) {
            interleaved = new short[Math.max(2 * n, interleaved.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            interleaved[2 * i] = channel[0][i];
            interleaved[2 * i + 1] = channel[1][i];
        }
        sink.write(interleaved, 0, 2 * n);
        for (int ch = 0; ch < 2; ch++) {
            int keep = (int) Math.max(0, end[ch] - upTo);
            int held = (int) (Math.max(end[0], end[1]) - upTo);
            System.arraycopy(channel[ch], n, channel[ch], 0, Math.max(0, held));
            Arrays.fill(channel[ch], Math.max(0, held), Math.min(channel[ch].length, n + Math.max(0, held)), (short) 0);
            end[ch] = upTo + keep;
        }
        base = upTo;
    }
}
