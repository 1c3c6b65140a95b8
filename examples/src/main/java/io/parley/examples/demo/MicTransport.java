package io.parley.examples.demo;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;

/**
 * The default microphone and speakers through {@code javax.sound.sampled}, at 16 kHz mono. Use
 * headphones: there is no echo cancellation, so the agent would hear itself through speakers.
 */
final class MicTransport implements Transport {

    private static final javax.sound.sampled.AudioFormat LINE_FORMAT =
            new javax.sound.sampled.AudioFormat(16_000f, 16, 1, true, false);
    private static final int FRAME_BYTES = 640;

    private final TargetDataLine mic;
    private final SourceDataLine speaker;
    private final byte[] outBytes = new byte[16_000 * 2];
    private Thread capture;
    private volatile boolean running;

    private MicTransport(TargetDataLine mic, SourceDataLine speaker) {
        this.mic = mic;
        this.speaker = speaker;
    }

    /**
     * Opens the default capture and playback devices.
     *
     * @throws DemoException (exit code 3) when the machine has no such device
     */
    static MicTransport open() throws DemoException {
        DataLine.Info in = new DataLine.Info(TargetDataLine.class, LINE_FORMAT);
        DataLine.Info out = new DataLine.Info(SourceDataLine.class, LINE_FORMAT);
        if (!AudioSystem.isLineSupported(in)) {
            throw new DemoException(3, "no microphone: javax.sound.sampled reports no capture device that records"
                    + " 16 kHz mono on this machine. Run without --mic for the simulated caller, or --in FILE.wav.");
        }
        if (!AudioSystem.isLineSupported(out)) {
            throw new DemoException(3, "no speakers: javax.sound.sampled reports no playback device for 16 kHz mono"
                    + " on this machine. Run without --mic for the simulated caller, or --in FILE.wav.");
        }
        try {
            TargetDataLine mic = (TargetDataLine) AudioSystem.getLine(in);
            SourceDataLine speaker = (SourceDataLine) AudioSystem.getLine(out);
            mic.open(LINE_FORMAT, FRAME_BYTES * 10);
            speaker.open(LINE_FORMAT, 16_000 * 2);
            return new MicTransport(mic, speaker);
        } catch (LineUnavailableException | IllegalArgumentException e) {
            throw new DemoException(3, "the audio device is present but cannot be opened: " + e.getMessage());
        }
    }

    @Override
    public AudioFormat inputFormat() {
        return AudioFormat.PCM_16K_MONO;
    }

    @Override
    public AudioFormat outputFormat() {
        return AudioFormat.PCM_16K_MONO;
    }

    @Override
    public void start(TransportListener listener) {
        running = true;
        speaker.start();
        mic.start();
        capture = new Thread(() -> {
            byte[] buf = new byte[FRAME_BYTES];
            AudioFrame frame = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, FRAME_BYTES / 2);
            while (running) {
                int n = mic.read(buf, 0, buf.length);
                if (n <= 0) {
                    if (running) {
                        listener.onError(new SessionException(ErrorCode.TRANSPORT_ERROR, "the microphone stopped delivering audio"));
                    }
                    return;
                }
                frame.readPcm16le(buf, 0, n - (n & 1), System.nanoTime());
                listener.onAudio(frame);
            }
        }, "parley-demo-mic");
        capture.setDaemon(true);
        capture.start();
    }

    @Override
    public void send(AudioFrame frame) {
        int n = frame.writePcm16le(outBytes, 0);
        speaker.write(outBytes, 0, n);
    }

    @Override
    public void clearPlayback() {
        speaker.flush();
    }

    @Override
    public long playedSamples() {
        return speaker.getLongFramePosition();
    }

    @Override
    public void close() {
        running = false;
        mic.stop();
        mic.close();
        speaker.stop();
        speaker.close();
    }
}
