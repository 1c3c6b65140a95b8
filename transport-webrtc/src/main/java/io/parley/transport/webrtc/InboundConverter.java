package io.parley.transport.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.session.ErrorCode;
import io.parley.session.SessionException;

/**
 * Turns libwebrtc's 10 ms chunks (normally 48 kHz mono PCM16LE) into frames of a transport's
 * input format: mixed to its channel count, resampled with {@link Resampler}. Used by one
 * transport's worker thread only; the frames it returns are reused on the next call.
 */
final class InboundConverter {

    /** 10 ms of 48 kHz stereo, the largest chunk libwebrtc's mixer produces. */
    static final int MAX_CHUNK_SAMPLES = 960;

    private final AudioFormat target;
    private AudioFrame mixed;
    private AudioFrame resampled;
    private Resampler resampler;

    InboundConverter(AudioFormat target) {
        this.target = target;
    }

    /**
     * The chunk in the target format, or null when the resampler holds it back for now; silence
     * of the same length when {@code muted}.
     *
     * @throws SessionException {@link ErrorCode#INVALID_AUDIO} for a rate that cannot be converted
     */
    AudioFrame convert(InboundRing.Slot slot, boolean muted) {
        int outCh = target.channels();
        int inCh = slot.channels;
        int frames = slot.bytes / 2 / inCh;
        AudioFrame mix = mixFrame(slot.sampleRate, frames * outCh);
        short[] dst = mix.samples();
        byte[] src = slot.data;
        for (int f = 0; f < frames; f++) {
            int sum = 0;
            for (int c = 0; c < inCh; c++) {
                int i = 2 * (f * inCh + c);
                sum += (short) ((src[i + 1] << 8) | (src[i] & 0xFF));
            }
            short v = muted ? 0 : (short) (sum / inCh);
            for (int c = 0; c < outCh; c++) {
                dst[f * outCh + c] = v;
            }
        }
        mix.setLength(frames * outCh);
        mix.setTimestampNanos(slot.timestampNanos);
        if (slot.sampleRate == target.sampleRate()) {
            return mix;
        }
        Resampler r = resampler(slot.sampleRate);
        if (resampled.capacity() < r.outputCapacity(mix.length())) {
            resampled = AudioFrame.allocate(target, r.outputCapacity(mix.length()));
        }
        r.process(mix, resampled);
        return resampled.length() > 0 ? resampled : null;
    }

    private AudioFrame mixFrame(int rate, int samples) {
        AudioFrame m = mixed;
        if (m == null || m.format().sampleRate() != rate || m.capacity() < samples) {
            m = AudioFrame.allocate(new AudioFormat(rate, target.channels()), Math.max(samples, MAX_CHUNK_SAMPLES));
            mixed = m;
        }
        return m;
    }

    private Resampler resampler(int fromRate) {
        Resampler r = resampler;
        if (r == null || r.inputFormat().sampleRate() != fromRate) {
            if (!Resampler.supports(fromRate)) {
                throw new SessionException(ErrorCode.INVALID_AUDIO, "libwebrtc delivered " + fromRate
                        + " Hz audio, which Resampler cannot convert to " + target.sampleRate() + " Hz");
            }
            r = Resampler.create(fromRate, target.sampleRate(), target.channels());
            resampled = AudioFrame.allocate(target, r.outputCapacity(mixed.capacity()));
            resampler = r;
        }
        return r;
    }
}
