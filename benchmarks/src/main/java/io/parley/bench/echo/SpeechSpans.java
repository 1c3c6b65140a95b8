package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import java.util.Random;

/**
 * How long a user recording's speech lasts to the session's voice activity detector, with no
 * echo: the longest unbroken stretch {@code DspVad} (defaults) calls speech in the recording
 * over the evaluation's microphone noise (-60 dBFS). A recording whose longest stretch is
 * shorter than {@code interruptionMinDuration} cannot interrupt the agent under the default
 * policy, echo or not: each of its stretches ends before it is long enough, and the agent
 * resumes.
 */
final class SpeechSpans {

    private SpeechSpans() {
    }

    /** The longest stretch of speech in {@code clip}, in milliseconds. */
    static long longestMillis(Recordings.Clip clip) {
        Vad vad = DspVad.defaults().create(EchoRoom.FORMAT);
        AudioFrame frame = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        Random random = new Random(1);
        float noise = (float) (Math.pow(10, -60 / 20.0) * 32768 * Math.sqrt(3));
        short[] pcm = clip.pcm();
        int run = 0;
        int longest = 0;
        // The recording, then a second of noise for the detector's hangover to end in.
        int total = pcm.length + EchoRoom.FORMAT.sampleRate();
        for (int pos = 0; pos + EchoRoom.FRAME <= total; pos += EchoRoom.FRAME) {
            short[] s = frame.samples();
            for (int i = 0; i < EchoRoom.FRAME; i++) {
                float v = (pos + i < pcm.length ? pcm[pos + i] : 0) + (random.nextFloat() * 2 - 1) * noise;
                s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
            }
            frame.setLength(EchoRoom.FRAME);
            run = vad.process(frame).speech() ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest * 1000L * EchoRoom.FRAME / EchoRoom.FORMAT.sampleRate();
    }
}
