package io.parley.providers.elevenlabs;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.TtsListener;

/**
 * Turns raw mono PCM16LE bytes, in pieces of any size, into frames of the session's format:
 * a byte left over from an odd-sized piece is carried to the next, and each mono sample is
 * copied to every requested channel. One reusable frame; no allocation once it is big enough.
 */
final class PcmAssembler {

    private final AudioFormat format;
    private AudioFrame frame;
    private int carry = -1;
    private long monoSamples;

    PcmAssembler(AudioFormat format) {
        this.format = format;
        this.frame = AudioFrame.allocate(format, format.samplesFor(100));
    }

    /** Mono samples delivered so far: the position of the next sample in the reply. */
    long samplesDelivered() {
        return monoSamples;
    }

    /** Nanoseconds of audio delivered so far. */
    long nanosDelivered() {
        return monoSamples * 1_000_000_000L / format.sampleRate();
    }

    void accept(byte[] b, int off, int len, long timestampNanos, TtsListener listener) {
        int channels = format.channels();
        int samples = (len + (carry >= 0 ? 1 : 0)) / 2;
        if (frame.capacity() < samples * channels) {
            frame = AudioFrame.allocate(format, samples * channels);
        }
        short[] out = frame.samples();
        int k = 0;
        int i = off;
        int end = off + len;
        if (carry >= 0 && len > 0) {
            short s = (short) ((b[i] << 8) | carry);
            for (int c = 0; c < channels; c++) {
                out[k++] = s;
            }
            carry = -1;
            i++;
        }
        for (; i + 1 < end; i += 2) {
            short s = (short) ((b[i + 1] << 8) | (b[i] & 0xFF));
            for (int c = 0; c < channels; c++) {
                out[k++] = s;
            }
        }
        if (i < end) {
            carry = b[i] & 0xFF;
        }
        if (k > 0) {
            frame.setLength(k);
            frame.setTimestampNanos(timestampNanos);
            monoSamples += k / channels;
            listener.onAudio(frame);
        }
    }
}
