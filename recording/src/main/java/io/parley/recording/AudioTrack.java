package io.parley.recording;

import io.parley.audio.AudioFrame;
import io.parley.recording.audio.StereoAligner;
import io.parley.recording.store.RecordingWriter;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The audio side of an open recording: places user and agent frames on the stereo track (user
 * left, agent right) and appends what the aligner releases to the recording's writer, telling
 * listeners about every further second written. The writer is looked up on each write because
 * {@link SessionRecorder#saveAs(String)} reopens it under another name while the track goes on.
 */
final class AudioTrack {

    private final StereoAligner aligner;
    private final Supplier<RecordingWriter> writer;
    private final ListenerDispatch dispatch;
    private long chunkFrames;

    private AudioTrack(int rate, Duration holdback, Supplier<RecordingWriter> writer, ListenerDispatch dispatch) {
        this.writer = writer;
        this.dispatch = dispatch;
        this.chunkFrames = writer.get().audioFrames();
        this.aligner = new StereoAligner(rate, (int) (holdback.toMillis() * rate / 1000), this::append);
    }

    /**
     * The track for the recording {@code writer} currently holds, or null when it has no audio: it
     * was recorded without, or it is new (nothing written yet) and this recorder does not capture.
     */
    static AudioTrack open(Supplier<RecordingWriter> writer, boolean captureAudio, int sampleRate, Duration holdback,
                           ListenerDispatch dispatch) {
        RecordingWriter w = writer.get();
        int rate = w.metadata().sampleRate();
        if (rate == 0 && captureAudio && w.audioFrames() == 0 && w.lastSeq() == 0) {
            rate = sampleRate;
        }
        return rate == 0 ? null : new AudioTrack(rate, holdback, writer, dispatch);
    }

    void startSegment(long originNanos, long startFrame) {
        aligner.startSegment(originNanos, startFrame);
    }

    void endSegment() {
        aligner.endSegment();
    }

    void user(AudioFrame frame) {
        aligner.user(frame);
    }

    void agent(AudioFrame frame) {
        aligner.agent(frame);
    }

    void clearAgent(long atNanos) {
        aligner.clearAgent(atNanos);
    }

    /** Audio that came too late to be placed, in milliseconds. */
    long lateMs() {
        return aligner.lateFrames() * 1000 / aligner.sampleRate();
    }

    private void append(short[] samples, int off, int len) {
        RecordingWriter w = writer.get();
        w.appendAudio(samples, off, len);
        long frames = w.audioFrames();
        int rate = w.metadata().sampleRate();
        if (dispatch.active() && frames - chunkFrames >= rate) {
            chunkFrames = frames;
            String name = w.metadata().name();
            dispatch.fire(l -> l.onChunkWritten(name, frames));
        }
    }
}
