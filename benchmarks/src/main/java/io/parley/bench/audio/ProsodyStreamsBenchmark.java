package io.parley.bench.audio;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.audio.prosody.ProsodyTracker;
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
 * Cost of prosody per 20 ms frame of 16 kHz audio when one thread serves many callers, as the
 * load harness's drivers do: each operation hands the next of {@code streams} trackers its
 * next frame, so at 2,000 streams every tracker's state is cold in the cache, as it is in a
 * server. Each caller follows the load harness's pattern: 1.5 s of a pocketsphinx-testdata
 * recording every 6 s, faint noise between; frames are marked voiced where {@link DspVad}'s
 * probability reaches 0.5, and a snapshot is taken where its speech decision ends, as the
 * session's inbound path does. {@code fillOnly} is the cost of handing over the frame alone
 * (subtract it); {@code voiceless} the same frames all marked voiceless (no pitch sought).
 *
 * <pre>mvn -q -B -pl benchmarks exec:exec -Dbench.args="ProsodyStreamsBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ProsodyStreamsBenchmark {

    private static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    private static final int FRAME = FORMAT.samplesFor(20);
    private static final int CYCLE_FRAMES = 300;
    private static final int SPEECH_FRAMES = 75;
    private static final Path SPEECH = SpeechCorpus.POCKETSPHINX.resolve("librivox/sense_and_sensibility_01_austen_64kb-0870.wav");

    @Param({"1", "2000"})
    public int streams;

    /** The callers' audio, cycle after cycle, each cycle a different stretch of the recording. */
    private short[] timeline;
    private boolean[] voiced;
    private boolean[] ends;
    private int timelineFrames;
    private ProsodyTracker[] trackers;
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
        voiced = new boolean[timelineFrames];
        ends = new boolean[timelineFrames];
        Vad vad = DspVad.defaults().create(FORMAT);
        AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
        boolean speaking = false;
        for (int k = 0; k < timelineFrames; k++) {
            fill(f, k);
            VadResult r = vad.process(f);
            voiced[k] = r.probability() >= 0.5f;
            ends[k] = speaking && !r.speech();
            speaking = r.speech();
        }
        trackers = new ProsodyTracker[streams];
        frames = new AudioFrame[streams];
        position = new int[streams];
        for (int s = 0; s < streams; s++) {
            trackers[s] = new ProsodyTracker(FORMAT);
            frames[s] = AudioFrame.allocate(FORMAT, FRAME);
            position[s] = (int) ((long) s * 7919 % timelineFrames);
        }
    }

    private void fill(AudioFrame f, int k) {
        System.arraycopy(timeline, k * FRAME, f.samples(), 0, FRAME);
        f.setLength(FRAME);
        f.setTimestampNanos(k * 20_000_000L);
    }

    /** The next caller's next frame, filled; returns its caller. */
    private int advance() {
        int s = next;
        next = s + 1 == streams ? 0 : s + 1;
        int k = position[s];
        position[s] = k + 1 == timelineFrames ? 0 : k + 1;
        fill(frames[s], k);
        return s;
    }

    @Benchmark
    public int fillOnly() {
        return advance();
    }

    @Benchmark
    public Object frame() {
        int s = advance();
        int k = position[s] == 0 ? timelineFrames - 1 : position[s] - 1;
        ProsodyTracker t = trackers[s];
        t.process(frames[s], voiced[k]);
        return ends[k] ? t.snapshot() : t;
    }

    @Benchmark
    public Object voiceless() {
        int s = advance();
        ProsodyTracker t = trackers[s];
        t.process(frames[s], false);
        return t;
    }
}
