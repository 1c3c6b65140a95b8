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
 * <p>libwebrtc works on 10 ms blocks; each 20 ms session frame is two, cancelled with no
 * added delay (frames of other lengths are held back by less than one block). The far end
 * waits in a queue (primed with 20 ms, at most 120 ms) and goes in a block per near block, so
 * steps in the playout estimate do not shift the reference under the adaptive filter. It
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
    /** Longest near-end frame handed over at once: the session slices at 20 ms. */
    private static final int FRAME_MILLIS = 20;
    /**
     * Far end queued before it is fed after running dry (20 ms): the session hands it over as
     * playout is estimated to advance, in steps of up to a frame, so the queue absorbs the steps
     * instead of feeding silence between them.
     */
    private static final int PRIME_MILLIS = 20;
    /** Far end queued beyond which the oldest is dropped (120 ms): the reference fell behind. */
    private static final int MAX_QUEUE_MILLIS = 120;
    /**
     * A voiced frame is the user's unless cancellation left less than this share of its
     * energy (-12 dB): then it was mostly the agent's echo, and what the detector heard is its
     * residue or noise reshaped by the suppression. A user 6 dB quieter than the echo keeps
     * about -7 dB of the frame; converged AEC3 removes 20 to 35 dB of echo alone.
     */
    private static final double ECHO_RESIDUE = Math.pow(10, -12 / 10.0);
    /** Mean square below which (about -70 dBFS) a frame is too quiet to judge by what was removed. */
    private static final double QUIET = 1e-7 * 32768.0 * 32768.0;
    /**
     * While the echo may be coming back, a voiced frame is also the user's only if what is left
     * stands this far (12 dB) above the output's noise floor: the residue of a weak stretch of
     * echo (a soft word, the reverberation) is too little to remove in proportion, and the
     * suppression reshapes the noise under it into something a spectral detector can take for
     * speech.
     */
    private static final double FLOOR_MARGIN = Math.pow(10, 12 / 10.0);
    /** The output noise floor rises by 0.05 dB per frame (2.5 dB a second) when nothing quieter comes. */
    private static final double FLOOR_RISE = Math.pow(10, 0.05 / 10);
    /**
     * Frames after the last one with audible far end during which its echo may still come back
     * (one second: the longest echo delay AEC3 follows plus the reverberation).
     */
    private static final int ECHO_FRAMES = 50;
    /**
     * Voiced frames that still count after one that was clearly the user's (200 ms of 20 ms
     * frames), so the quiet ends of the user's words over a loud echo do not end their speech.
     */
    private static final int HOLD_FRAMES = 10;

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
    private int farPrime;
    private int farMax;
    /** The far end as it played, waiting for the near blocks it goes with. */
    private SampleRing farQueue;
    /** Whether the queue holds enough to feed a block per near block (it ran dry otherwise). */
    private boolean primed;
    /** Whether audible far end was handed over since the last frame. */
    private boolean farHeard;
    /** Sums of squares of the last frame before and after cancellation, and its length. */
    private double inEnergy;
    private double outEnergy;
    private int lastLength;
    /** Whether the user is speaking, by {@link #userSpeech}. */
    private boolean talking;
    /** The last three voiced frames, one bit each: set if clearly not echo. */
    private int recent;
    /** Voiced frames left that count as the user's without being clearly theirs. */
    private int hold;
    /** Mean square of the quietest recent output, rising slowly. */
    private double floor = -1;
    /** Frames left during which the far end's echo may still come back. */
    private int echoFrames;

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
        farHeard |= energy(src, n) > QUIET * n;
        int room = farQueue.capacity() - farQueue.size();
        if (n > room) {
            // Far more than the capture has caught up with: keep the newest.
            int drop = Math.min(farQueue.size(), n - room);
            farQueue.drop(drop);
            if (n > farQueue.capacity()) {
                farQueue.add(src, n - farQueue.capacity(), farQueue.capacity());
                return;
            }
        }
        farQueue.add(src, 0, n);
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
        echoFrames = farHeard ? ECHO_FRAMES : Math.max(0, echoFrames - 1);
        farHeard = false;
        if (farQueue.size() > farMax) {
            // The reference ran ahead of the capture (a long burst of playout estimates): resync.
            farQueue.drop(farQueue.size() - farPrime);
        }
        nearQueue.add(nearEnd.samples(), 0, nearEnd.length());
        while (nearQueue.size() >= nearBlock) {
            feedFarBlock();
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
        inEnergy = energy(nearEnd.samples(), n);
        outEnergy = energy(dst, n);
        lastLength = n;
        double meanSquare = outEnergy / Math.max(1, n);
        floor = floor < 0 ? meanSquare : Math.min(floor * FLOOR_RISE, Math.max(meanSquare, QUIET));
    }

    /**
     * The detector's verdict, unless the far end may still be echoing and cancellation removed
     * nearly all of the frame ({@link #ECHO_RESIDUE}) or left it near the noise floor
     * ({@link #FLOOR_MARGIN}): the agent's echo, not the user, however speech-like its residue.
     * While the echo may come back, the user's speech starts after two such clear frames out
     * of three voiced ones (one borderline frame of echo is not a barge-in) and lasts while
     * clear frames keep coming within {@link #HOLD_FRAMES}.
     */
    @Override
    public boolean userSpeech(AudioFrame cancelled, boolean voice) {
        if (!voice) {
            talking = false;
            recent = 0;
            return false;
        }
        boolean clear = echoFrames == 0 || inEnergy <= QUIET * lastLength
                || outEnergy >= inEnergy * ECHO_RESIDUE && outEnergy >= floor * FLOOR_MARGIN * lastLength;
        recent = (recent << 1 | (clear ? 1 : 0)) & 7;
        if (clear && (talking || echoFrames == 0 || Integer.bitCount(recent) >= 2)) {
            talking = true;
            hold = HOLD_FRAMES;
            return true;
        }
        if (talking && hold > 0) {
            hold--;
            return true;
        }
        talking = false;
        return false;
    }

    private static double energy(short[] x, int n) {
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += (double) x[i] * x[i];
        }
        return e;
    }

    /**
     * The far end for the next near block: the next block of the queue once it is primed,
     * what is left of it padded with silence when it runs dry, silence while it is empty.
     */
    private void feedFarBlock() {
        int queued = farQueue.size();
        if (!primed && queued >= farPrime) {
            primed = true;
        }
        if (primed && queued >= farBlock) {
            farQueue.pollBytes(farIn, farBlock);
            return;
        }
        int n = primed ? queued : 0;
        farQueue.pollBytes(farIn, n);
        Arrays.fill(farIn, 2 * n, farIn.length, (byte) 0);
        primed = false;
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
        primed = false;
        farHeard = false;
        hold = 0;
        talking = false;
        recent = 0;
        floor = -1;
        echoFrames = 0;
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
    }

    private void far(AudioFormat format) {
        farBlock = blockSamples(format, "output");
        farFormat = format;
        farConfig = new AudioProcessingStreamConfig(format.sampleRate(), format.channels());
        farIn = new byte[farBlock * 2];
        farOut = new byte[farBlock * 2];
        farPrime = format.samplesFor(PRIME_MILLIS);
        farMax = format.samplesFor(MAX_QUEUE_MILLIS);
        farQueue = new SampleRing(2 * farMax);
        primed = false;
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
