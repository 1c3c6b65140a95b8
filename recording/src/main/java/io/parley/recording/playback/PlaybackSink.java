package io.parley.recording.playback;

import io.parley.audio.AudioFrame;
import io.parley.recording.RecordingEvent;
import io.parley.session.SessionException;
import io.parley.spi.Transport;
import java.time.Duration;

/**
 * Receives a replay from a {@link RecordingPlayer}: audio and events interleaved in timeline
 * order, so an event arrives exactly when the audio reaches it.
 */
public interface PlaybackSink {

    /**
     * The next stretch of audio: interleaved stereo (left user, right agent) at the recording's
     * rate, starting at {@code position}. Valid only during the call.
     */
    void onAudio(AudioFrame stereo, Duration position);

    /** An event, at its position in the timeline. */
    void onEvent(RecordingEvent event, Duration position);

    /** The replay reached the end. */
    default void onFinished() {
    }

    /** Sending to the destination failed; the player has stopped. */
    default void onError(SessionException error) {
    }

    /**
     * A sink that plays the audio through {@code transport} (user and agent mixed to its output
     * format) and forwards events to {@code events}. The transport is started on the first audio
     * and closed with the player; what the transport brings in is not used. Faster-than-real-time
     * replays are squeezed in time, which raises the pitch.
     */
    static PlaybackSink transport(Transport transport, PlaybackSink events) {
        return new TransportSink(transport, events);
    }
}
