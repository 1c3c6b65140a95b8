package io.parley.bench.audio;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * The audio of the benchmarks' many callers, as the load harness speaks it: 1.5 s of a
 * pocketsphinx-testdata recording every 6 s, faint noise between, each cycle a different
 * stretch of the recording. Callers share the timeline and start at different frames of it.
 */
final class CallerTimeline {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    static final int FRAME = FORMAT.samplesFor(20);
    private static final int CYCLE_FRAMES = 300;
    private static final int SPEECH_FRAMES = 75;
    private static final Path SPEECH = SpeechCorpus.POCKETSPHINX.resolve("librivox/sense_and_sensibility_01_austen_64kb-0870.wav");

    private final short[] samples;
    private final int frames;

    CallerTimeline() throws IOException {
        short[] speech = Wav.read(SPEECH).resample(FORMAT.sampleRate()).samples();
        int cycles = Math.max(1, speech.length / (SPEECH_FRAMES * FRAME));
        frames = cycles * CYCLE_FRAMES;
        samples = new short[frames * FRAME];
        Random rnd = new Random(7);
        for (int c = 0; c < cycles; c++) {
            int at = c * CYCLE_FRAMES * FRAME;
            System.arraycopy(speech, c * SPEECH_FRAMES * FRAME, samples, at, SPEECH_FRAMES * FRAME);
            for (int i = at + SPEECH_FRAMES * FRAME; i < at + CYCLE_FRAMES * FRAME; i++) {
                samples[i] = (short) (rnd.nextGaussian() * 30);
            }
        }
    }

    /** How many 20 ms frames the timeline holds before it repeats. */
    int frames() {
        return frames;
    }

    /** Fills {@code f} with frame {@code k}, timestamped where it lies. */
    void fill(AudioFrame f, int k) {
        System.arraycopy(samples, k * FRAME, f.samples(), 0, FRAME);
        f.setLength(FRAME);
        f.setTimestampNanos(k * 20_000_000L);
    }

    /**
     * {@code count} callers served in turn by one thread, as a load driver serves its sessions,
     * each at its own place in the timeline.
     */
    final class Callers {
        private final AudioFrame[] frames;
        private final int[] position;
        private int next;

        Callers(int count) {
            frames = new AudioFrame[count];
            position = new int[count];
            for (int c = 0; c < count; c++) {
                frames[c] = AudioFrame.allocate(FORMAT, FRAME);
                position[c] = (int) ((long) c * 7919 % CallerTimeline.this.frames);
            }
        }

        /** Fills the next caller's next frame; returns that caller. */
        int advance() {
            int c = next;
            next = c + 1 == frames.length ? 0 : c + 1;
            int k = position[c];
            position[c] = k + 1 == CallerTimeline.this.frames ? 0 : k + 1;
            fill(frames[c], k);
            return c;
        }

        /** Caller {@code c}'s latest frame. */
        AudioFrame frame(int c) {
            return frames[c];
        }

        /** Where in the timeline caller {@code c}'s latest frame lies. */
        int latest(int c) {
            return position[c] == 0 ? CallerTimeline.this.frames - 1 : position[c] - 1;
        }
    }
}
