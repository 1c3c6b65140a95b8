package io.parley.recording;

import io.parley.recording.privacy.Redactor;
import io.parley.recording.store.RecordingStore;
import io.parley.recording.store.RecordingWriter;
import io.parley.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One recording a {@link SessionRecorder} has open: its writer, the sequence of its events, its
 * audio track (null when it has none) and its capture segments. The recorder keeps the state
 * machine and serializes every call.
 */
final class OpenRecording {

    private final Clock clock;
    private final Redactor redactor;
    private final ListenerDispatch dispatch;
    private final AudioTrack audio;
    private RecordingWriter writer;
    private long seq;

    OpenRecording(RecordingWriter w, Clock clock, Redactor redactor, ListenerDispatch dispatch, boolean captureAudio,
                  int sampleRate, Duration holdback) {
        this.clock = clock;
        this.redactor = redactor;
        this.dispatch = dispatch;
        this.writer = w;
        this.seq = w.lastSeq();
        this.audio = AudioTrack.open(() -> writer, captureAudio, sampleRate, holdback, dispatch);
    }

    /**
     * Notes crash repairs, begins capturing and tells listeners; {@code why} starting with
     * "recording started" marks a new recording, anything else one resumed.
     */
    void begin(String why) {
        String name = writer.metadata().name();
        for (String repair : writer.repairs()) {
            note("recovered after a crash: " + repair, "recovered");
            dispatch.fire(l -> l.onProblem(name, "recovered after a crash: " + repair));
        }
        beginSegment();
        boolean started = why.startsWith("recording started");
        note(why, started ? "started" : "resumed");
        RecordingMetadata m = writer.metadata();
        dispatch.fire(l -> l.onStarted(m, !started));
    }

    RecordingMetadata metadata() {
        return writer.metadata();
    }

    /** The stereo track, or null when this recording has no audio. */
    AudioTrack audio() {
        return audio;
    }

    void beginSegment() {
        Instant now = clock.now();
        RecordingMetadata m = writer.metadata().withStatus(RecordingStatus.RECORDING, now);
        if (audio != null) {
            audio.startSegment(clock.nanoTime(), writer.audioFrames());
            m = m.withSegment(new Segment(now, writer.audioFrames()));
        }
        writer.updateMetadata(m);
    }

    void endSegment() {
        if (audio != null) {
            audio.endSegment();
        }
    }

    void markPaused() {
        writer.updateMetadata(writer.metadata().withStatus(RecordingStatus.PAUSED, clock.now()));
    }

    /**
     * Renames this recording in {@code store} to {@code newName} (free) and goes on in it, keeping
     * sequence and track, capturing again if it was ({@code capturing}), else paused. If the store
     * cannot rename it, it goes on under its old name, notes why, and the failure is thrown.
     */
    void rename(RecordingStore store, String newName, boolean capturing) {
        String old = writer.metadata().name();
        if (capturing) {
            endSegment();
        }
        markPaused();
        writer.close();
        try {
            store.rename(old, newName);
        } catch (RuntimeException e) {
            // Keep recording under the old name rather than losing the session.
            writer = store.append(old);
            if (capturing) {
                beginSegment();
            }
            note("rename to " + newName + " failed: " + e.getMessage(), "rename_failed");
            throw e;
        }
        writer = store.append(newName);
        note("recording renamed from " + old + " to " + newName, "renamed");
        if (capturing) {
            beginSegment();
        } else {
            markPaused();
        }
    }

    void note(String text, String code) {
        write(RecordingEvent.of(EventType.SYSTEM_MESSAGE, clock.now(), "system", "system", text).withCode(code));
    }

    RecordingEvent write(RecordingEvent e) {
        try {
            return RecordingAppender.write(writer, redactor, ++seq, e);
        } catch (RuntimeException x) {
            String name = writer.metadata().name();
            dispatch.fire(l -> l.onProblem(name, "could not write a " + e.type().wireName() + " event: " + x.getMessage()));
            throw x;
        }
    }

    /** Marks the recording stopped, closes it and tells listeners (also about audio that came too late). */
    RecordingMetadata finish() {
        RecordingMetadata m = writer.metadata();
        long lateMs = audio == null ? m.lateAudioMs() : m.lateAudioMs() + audio.lateMs();
        m = m.withStatus(RecordingStatus.STOPPED, clock.now()).withStorage(m.sampleRate(), m.compressed(), m.keyId(), lateMs);
        writer.updateMetadata(m);
        writer.close();
        RecordingMetadata done = m;
        if (lateMs > 0) {
            long late = lateMs;
            dispatch.fire(l -> l.onProblem(done.name(), late + " ms of audio arrived too late to be placed in the track"));
        }
        dispatch.fire(l -> l.onStopped(done));
        return done;
    }
}
