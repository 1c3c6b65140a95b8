package io.parley.recording.playback;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.recording.RecordingEvent;
import io.parley.session.SessionException;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/** Mixes, resamples and paces stereo replay audio into a {@link Transport}. */
final class TransportSink implements PlaybackSink, AutoCloseable {

    private final Transport transport;
    private final PlaybackSink events;
    private boolean started;
    private double speed = 1;
    private AudioFrame out;

    TransportSink(Transport transport, PlaybackSink events) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.events = Objects.requireNonNull(events, "events");
    }

    void speed(double speed) {
        this.speed = speed;
    }

    @Override
    public void onAudio(AudioFrame stereo, Duration position) {
        if (!started) {
            transport.start(new TransportListener() {
                @Override
                public void onAudio(AudioFrame frame) {
                    // A replay only talks; whoever listens is not recorded or answered.
                }

                @Override
                public void onError(SessionException error) {
                    events.onError(error);
                }
            });
            started = true;
        }
        AudioFormat fmt = transport.outputFormat();
        int inFrames = stereo.samplesPerChannel();
        int outFrames = (int) Math.round(inFrames * (double) fmt.sampleRate() / (stereo.format().sampleRate() * speed));
        if (outFrames == 0) {
            return;
        }
        int need = outFrames * fmt.channels();
        if (out == null || out.capacity() < need) {
            out = AudioFrame.allocate(fmt, need);
        }
        short[] src = stereo.samples();
        short[] dst = out.samples();
        double step = (double) inFrames / outFrames;
        for (int i = 0; i < outFrames; i++) {
            int k = Math.min(inFrames - 1, (int) (i * step));
            int mixed = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, src[2 * k] + src[2 * k + 1]));
            Arrays.fill(dst, i * fmt.channels(), (i + 1) * fmt.channels(), (short) mixed);
        }
        out.setLength(need);
        out.setTimestampNanos(stereo.timestampNanos());
        transport.send(out);
        events.onAudio(stereo, position);
    }

    @Override
    public void onEvent(RecordingEvent event, Duration position) {
        events.onEvent(event, position);
    }

    @Override
    public void onFinished() {
        events.onFinished();
    }

    @Override
    public void onError(SessionException error) {
        events.onError(error);
    }

    @Override
    public void close() {
        if (started) {
            transport.close();
        }
    }
}
