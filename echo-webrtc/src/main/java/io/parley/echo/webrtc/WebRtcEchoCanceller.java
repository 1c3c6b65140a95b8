package io.parley.echo.webrtc;

import dev.onvoid.webrtc.media.audio.AudioProcessing;
import dev.onvoid.webrtc.media.audio.AudioProcessingConfig;
import dev.onvoid.webrtc.media.audio.AudioProcessingStreamConfig;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import io.parley.spi.EchoCanceller;
import java.util.Arrays;

/**
 * Acoustic echo cancellation by libwebrtc's audio processing module (AEC3), as shipped in the
 * webrtc-java natives: an adaptive filter that learns the echo path from the far-end reference
 * and subtracts its prediction from the microphone, then suppresses what is left. It finds the
 * echo's delay itself (measured here up to 250 ms) and needs no peer connection, audio device
 * or factory, only the native library.
 *
 * <pre>{@code
 * VoiceSession session = VoiceSession.builder()
 *         ...
 *         .echoCancellation(WebRtcEchoCanceller.create())
 *         .build();
 * }</pre>
 *
 * <p>libwebrtc works on 10 ms blocks; each 20 ms session frame is two, cancelled in place
 * with no added delay (frames of other lengths are held back by less than one block). It
 * only echoes the audio the session played, so the reference is what the session hands over;
 * other sounds of the host's own (ringtones, a local media player) are not cancelled.
 *
 * <p>One instance per session, used as {@link EchoCanceller} says: on one thread at a time,
 * allocating nothing per frame after the first (it sets up its buffers for the formats it
 * sees). Input rates must be whole multiples of 100 Hz (8, 16, 24, 32, 48 kHz...). Holds
 * native memory until the session {@link #close() closes} it.
 */
public final class WebRtcEchoCanceller implements EchoCanceller {

    /** Milliseconds per libwebrtc processing block. */
    private static final int BLOCK_MILLIS = 10;
    /** Longest far-end or near-end frame handed over at once: the session slices at 20 ms. */
    private static final int FRAME_MILLIS = 20;

    private AudioProcessing apm;
    /** Whether {@link #apm} has processed audio since it was created. */
    private boolean used;

    private AudioFormat nearFormat;
    private AudioProcessingStreamConfig nearConfig;
    private int nearBlock;
    private byte[] nearIn;
    private byte[] nearOut;
    private SampleRing nearQueue;
    private SampleRing outQueue;

    private AudioFormat farFormat;
    private AudioProcessingStreamConfig farConfig;
    private int farBlock;
    private byte[] farIn;
    private byte[] farOut;
    private SampleRing farQueue;
    /** Far end handed over for the next near frame. */
    private short[] staged;
    private int stagedLength;
    /** Far-end frames owed times the near rate, so the two streams keep the same duration. */
    private long farDebt;

    private WebRtcEchoCanceller(AudioProcessing apm) {
        this.apm = apm;
    }

    /**
     * A canceller for one session. Loads the native library on first use (about 150 ms).
     *
     * @throws SessionException {@link ErrorCode#INVALID_CONFIG} if the webrtc-java native
     *                          library cannot load on this machine
     */
    public static WebRtcEchoCanceller create() {
        return new WebRtcEchoCanceller(newProcessing());
    }

    private static AudioProcessing newProcessing() {
        AudioProcessing processing;
        try {
            processing = new AudioProcessing();
        } catch (LinkageError | RuntimeException e) {
            throw new SessionException(ErrorCode.INVALID_CONFIG, "echo cancellation needs the webrtc-java native library,"
                    + " which did not load (" + e + "); it needs linux-x86_64 with glibc 2.18+, the shared libraries of"
                    + " libpulse0 libudev1 libx11-6 libxfixes3 libxrandr2 libxcomposite1 libdbus-1-3, and an exec-able"
                    + " java.io.tmpdir", e, false);
        }
        AudioProcessingConfig config = new AudioProcessingConfig();
        config.echoCanceller.enabled = true;
        // AEC3's own high-pass filter (below ~80 Hz: no speech, much rumble) is its default.
        config.echoCanceller.enforceHighPassFiltering = true;
        // Only the echo: noise is the noise canceller's business, level the recognizer's.
        config.noiseSuppression.enabled = false;
        config.gainControl.enabled = false;
        config.highPassFilter.enabled = false;
        processing.applyConfig(config);
        return processing;
    }

    @Override
    public void played(AudioFrame farEnd) {
        if (!farEnd.format().equals(farFormat)) {
            far(farEnd.format());
        }
        int n = farEnd.length();
        short[] src = farEnd.samples();
        int from = 0;
        if (n > staged.length) {
            from = n - staged.length;
            n = staged.length;
        }
        if (stagedLength + n > staged.length) {
            // More than a frame's worth (not what the session hands over): keep the newest.
            int keep = staged.length - n;
            System.arraycopy(staged, stagedLength - keep, staged, 0, keep);
            stagedLength = keep;
        }
        System.arraycopy(src, from, staged, stagedLength, n);
        stagedLength += n;
    }

    @Override
    public void cancel(AudioFrame nearEnd, AudioFrame out) {
        if (apm == null) {
            apm = newProcessing();
            used = false;
        }
        if (!nearEnd.format().equals(nearFormat)) {
            near(nearEnd.format());
        }
        if (farFormat == null) {
            // Silence until the agent first plays, at the near end's format.
            far(nearFormat);
        }
        stageFarEnd(nearEnd.samplesPerChannel());
        nearQueue.add(nearEnd.samples(), 0, nearEnd.length());
        while (nearQueue.size() >= nearBlock && farQueue.size() >= farBlock) {
            farQueue.pollBytes(farIn, farBlock);
            check(apm.processReverseStream(farIn, farConfig, farConfig, farOut));
            nearQueue.pollBytes(nearIn, nearBlock);
            check(apm.processStream(nearIn, nearConfig, nearConfig, nearOut));
            outQueue.addBytes(nearOut, nearBlock);
            used = true;
        }
        int n = nearEnd.length();
        short[] dst = out.samples();
        int have = outQueue.size();
        if (have >= n) {
            outQueue.poll(dst, 0, n);
        } else {
            // A frame that ends inside a block: its tail comes out with the next frame, and
            // the output lags the input by that much from now on.
            Arrays.fill(dst, 0, n - have, (short) 0);
            outQueue.poll(dst, n - have, have);
        }
    }

    /**
     * Queues this near frame's far end: as long as the frame, silence where nothing played
     * (playout started or stopped during it), then what played.
     */
    private void stageFarEnd(int nearFrames) {
        farDebt += (long) nearFrames * farFormat.sampleRate();
        int frames = (int) (farDebt / nearFormat.sampleRate());
        farDebt -= (long) frames * nearFormat.sampleRate();
        int wanted = frames * farFormat.channels();
        int take = Math.min(stagedLength, wanted);
        farQueue.addZeros(wanted - take);
        farQueue.add(staged, stagedLength - take, take);
        stagedLength = 0;
    }

    @Override
    public void reset() {
        if (apm == null || used) {
            if (apm != null) {
                apm.dispose();
                apm = null;
            }
            apm = newProcessing();
            used = false;
        }
        if (nearQueue != null) {
            nearQueue.clear();
            outQueue.clear();
        }
        if (farQueue != null) {
            farQueue.clear();
        }
        stagedLength = 0;
        farDebt = 0;
    }

    @Override
    public void close() {
        if (apm != null) {
            apm.dispose();
            apm = null;
        }
    }

    private void near(AudioFormat format) {
        nearBlock = blockSamples(format, "input");
        nearFormat = format;
        nearConfig = new AudioProcessingStreamConfig(format.sampleRate(), format.channels());
        nearIn = new byte[nearBlock * 2];
        nearOut = new byte[nearBlock * 2];
        int frame = format.samplesFor(FRAME_MILLIS);
        nearQueue = new SampleRing(frame + nearBlock);
        outQueue = new SampleRing(frame + 2 * nearBlock);
        farDebt = 0;
    }

    private void far(AudioFormat format) {
        farBlock = blockSamples(format, "output");
        farFormat = format;
        farConfig = new AudioProcessingStreamConfig(format.sampleRate(), format.channels());
        farIn = new byte[farBlock * 2];
        farOut = new byte[farBlock * 2];
        int frame = format.samplesFor(FRAME_MILLIS);
        farQueue = new SampleRing(frame + 2 * farBlock);
        staged = new short[frame];
        stagedLength = 0;
        farDebt = 0;
    }

    private static int blockSamples(AudioFormat format, String which) {
        if (format.sampleRate() % (1000 / BLOCK_MILLIS) != 0) {
            throw new SessionException(ErrorCode.INVALID_AUDIO, "echo cancellation needs a sample rate in whole 100 Hz"
                    + " (10 ms blocks); the session's " + which + " format is " + format);
        }
        return format.samplesFor(BLOCK_MILLIS);
    }

    private static void check(int error) {
        if (error != 0) {
            throw new SessionException(ErrorCode.INTERNAL_ERROR, "libwebrtc audio processing failed with error " + error);
        }
    }
}
