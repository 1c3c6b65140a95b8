package io.parley.recording.store;

import io.parley.recording.audio.AudioTrack;
import java.util.List;

/** The audio of a recording's segments, played one after the other. */
final class SegmentedAudioTrack implements AudioTrack {

    private final int sampleRate;
    private final List<AudioTrack> parts;
    private final long[] starts;
    private final long frames;

    SegmentedAudioTrack(int sampleRate, List<AudioTrack> parts) {
        this.sampleRate = sampleRate;
        this.parts = List.copyOf(parts);
        this.starts = new long[parts.size()];
        long at = 0;
        for (int i = 0; i < parts.size(); i++) {
            starts[i] = at;
            at += parts.get(i).frames();
        }
        this.frames = at;
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
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (fromFrame >= starts[i]) {
                return parts.get(i).read(fromFrame - starts[i], dst, maxFrames);
            }
        }
        return 0;
    }
}
