package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.audio.prosody.Prosody;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.spi.TurnContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of prosody on the inbound path per 20 ms frame of 16 kHz speech: {@link ProsodyTracker}
 * on a frame the VAD calls voiced (pitch is sought: the worst case) and on one it does not
 * (level only), and the snapshot taken once per end of speech for {@link TurnContext#prosody()}.
 * The input is a pocketsphinx-testdata recording, cycled. Run with the GC profiler to see
 * allocation per operation:
 *
 * <pre>mvn -q -B -pl benchmarks exec:exec -Dbench.args="ProsodyBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ProsodyBenchmark {

    private static final Path SPEECH = SpeechCorpus.POCKETSPHINX.resolve("librivox/sense_and_sensibility_01_austen_64kb-0870.wav");

    private AudioClip clip;
    private AudioFrame frame;
    private ProsodyTracker tracker;
    private int index;
    private int frames;

    @Setup
    public void setUp() throws IOException {
        clip = Wav.read(SPEECH).resample(16_000);
        frame = AudioFrame.allocate(clip.format(), clip.format().samplesFor(20));
        frames = clip.frameCount(20);
        tracker = new ProsodyTracker(clip.format());
    }

    private AudioFrame next() {
        clip.frame(index, 20, frame);
        index = (index + 1) % frames;
        return frame;
    }

    @Benchmark
    public ProsodyTracker voicedFrame() {
        tracker.process(next(), true);
        return tracker;
    }

    @Benchmark
    public ProsodyTracker unvoicedFrame() {
        tracker.process(next(), false);
        return tracker;
    }

    @Benchmark
    public Prosody snapshotAtEndOfSpeech() {
        tracker.process(next(), true);
        return tracker.snapshot();
    }
}
