package io.parley.bench.audio;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of {@link DspVad} per 20 ms frame of 16 kHz audio when one thread serves many callers,
 * as the load harness's drivers do: each operation hands the next of {@code streams} detectors
 * its next frame, so at 2,000 streams every detector's state is cold in the cache, as it is in
 * a server (at 1 stream it is the detector's arithmetic alone). Each caller follows the load
 * harness's pattern: 1.5 s of a pocketsphinx-testdata recording every 6 s, faint noise
 * between. {@code fillOnly} is the cost of handing over the frame alone (subtract it).
 *
 * <pre>mvn -q -B -pl benchmarks exec:exec -Dbench.args="VadStreamsBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VadStreamsBenchmark {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);
    private static final int CYCLE_FRAMES = 300;
    private static final int SPEECH_FRAMES = 75;
    private static final Path SPEECH = SpeechCorpus.POCKETSPHINX.resolve("librivox/sense_and_sensibility_01_austen_64kb-0870.wav");

    @Param({"1", "2000"})
    public int streams;

    /** The callers' audio, cycle after cycle, each cycle a different stretch of the recording. */
    private short[] timeline;
    private int timelineFrames;
    private Vad[] vads;
    private AudioFrame[] frames;
    private int[] position;
    private int next;

    @Setup
    public void setUp() throws IOException {
        short[] speech = Wav.read(SPEECH).resample(FORMAT.sampleRate()).samples();
        int cycles = Math.max(1, speech.length / (SPEECH_FRAMES * FRAME));
        timelineFrames = cycles * CYCLE_FRAMES;
        timeline = new short[timelineFrames * FRAME];
        Random rnd = new Random(7);
        for (int c = 0; c < cycles; c++) {
            int at = c * CYCLE_FRAMES * FRAME;
            System.arraycopy(speech, c * SPEECH_FRAMES * FRAME, timeline, at, SPEECH_FRAMES * FRAME);
            for (int i = at + SPEECH_FRAMES * FRAME; i < at + CYCLE_FRAMES * FRAME; i++) {
                timeline[i] = (short) (rnd.nextGaussian() * 30);
            }
        }
        vads = new Vad[streams];
        frames = new AudioFrame[streams];
        position = new int[streams];
        DspVad config = DspVad.defaults();
        for (int s = 0; s < streams; s++) {
            vads[s] = config.create(FORMAT);
            frames[s] = AudioFrame.allocate(FORMAT, FRAME);
            position[s] = (int) ((long) s * 7919 % timelineFrames);
        }
    }

    /** The next caller's next frame, filled; returns its caller. */
    private int advance() {
        int s = next;
        next = s + 1 == streams ? 0 : s + 1;
        int k = position[s];
        position[s] = k + 1 == timelineFrames ? 0 : k + 1;
        AudioFrame f = frames[s];
        System.arraycopy(timeline, k * FRAME, f.samples(), 0, FRAME);
        f.setLength(FRAME);
        f.setTimestampNanos(k * 20_000_000L);
        return s;
    }

    @Benchmark
    public int fillOnly() {
        return advance();
    }

    @Benchmark
    public VadResult frame() {
        int s = advance();
        return vads[s].process(frames[s]);
    }
}
