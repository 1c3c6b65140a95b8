package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.spi.EchoCanceller;

/**
 * An {@link EchoCanceller} that passes everything to another and keeps the voice activity
 * detector's last verdict on its output. The session asks the canceller first and hands the
 * suppressor only the canceller's answer, so without this an {@link OnsetProbe} behind a
 * canceller takes the canceller's verdict for the detector's, and its split shows the
 * canceller's delay as the detector's (and none of its own).
 */
final class VerdictTap implements EchoCanceller {

    private final EchoCanceller inner;
    /** The detector's verdict on the last frame judged (audio thread only). */
    private boolean voice;

    VerdictTap(EchoCanceller inner) {
        this.inner = inner;
    }

    /** The detector's verdict on the frame the canceller judged last. */
    boolean voice() {
        return voice;
    }

    @Override
    public void played(AudioFrame farEnd) {
        inner.played(farEnd);
    }

    @Override
    public void cancel(AudioFrame nearEnd, AudioFrame out) {
        inner.cancel(nearEnd, out);
    }

    @Override
    public boolean userSpeech(AudioFrame cancelled, boolean voice) {
        this.voice = voice;
        return inner.userSpeech(cancelled, voice);
    }

    @Override
    public void reset() {
        inner.reset();
    }

    @Override
    public void close() {
        inner.close();
    }
}
