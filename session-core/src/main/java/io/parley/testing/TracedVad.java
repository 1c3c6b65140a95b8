package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Vad;
import io.parley.spi.VadProvider;
import io.parley.spi.VadResult;

/**
 * A VAD whose onsets and offsets, with the timestamps of the audio they were decided on, go
 * into a chaos session's trace: beside the session's own events they show how late its audio
 * came and when it was heard.
 */
final class TracedVad implements VadProvider {

    private final VadProvider provider;
    private final SessionProbe probe;

    TracedVad(VadProvider provider, SessionProbe probe) {
        this.provider = provider;
        this.probe = probe;
    }

    @Override
    public String name() {
        return provider.name();
    }

    @Override
    public Vad create(AudioFormat format) {
        Vad vad = provider.create(format);
        return new Vad() {
            private boolean speech;

            @Override
            public VadResult process(AudioFrame frame) {
                VadResult r = vad.process(frame);
                if (r.speech() != speech) {
                    speech = r.speech();
                    probe.vad(speech, frame.timestampNanos());
                }
                return r;
            }

            @Override
            public void reset() {
                speech = false;
                vad.reset();
            }
        };
    }
}
