package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Resampler;
import io.parley.audio.SpectralNoiseSuppressor;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.spi.TurnContext;
import io.parley.spi.TurnPrediction;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import io.parley.turn.AdaptiveTurnDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of Parley's inbound audio path per 20 ms frame of 16 kHz speech: the noise suppressor,
 * DspVad, the turn detector, and the 48-to-16 kHz resampler a WebRTC session puts in front of
 * them. The input is a pocketsphinx-testdata recording in pink noise at 15 dB SNR, cycled.
 * Run with the GC profiler to see allocation per operation:
 *
 * <pre>mvn -q -B -pl benchmarks exec:exec -Dbench.args="AudioPipelineBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AudioPipelineBenchmark {

    private static final Path SPEECH = SpeechCorpus.POCKETSPHINX.resolve("librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
    private static final Duration MIN = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(3);

    private AudioClip clip;
    private AudioClip clip48;
    private AudioFrame frame;
    private AudioFrame frame48;
    private AudioFrame resampled;
    private int index;
    private int frames;
    private SpectralNoiseSuppressor suppressor;
    private Vad vad;
    private Vad pipelineVad;
    private SpectralNoiseSuppressor pipelineSuppressor;
    private AdaptiveTurnDetector turn;
    private Resampler resampler;
    private boolean wasSpeech;
    private TurnContext context;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        AudioClip speech = Wav.read(SPEECH);
        float[] noise = Noises.pink(speech.length(), 5);
        double e = 0;
        for (short s : speech.samples()) {
            e += (double) s * s;
        }
        double g = Math.sqrt(e / speech.length()) / Math.pow(10, 15 / 20.0);
        short[] mixed = new short[speech.length()];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(speech.samples()[i] + g * noise[i])));
        }
        clip = new AudioClip(AudioFormat.PCM_16K_MONO, mixed);
        clip48 = clip.resample(48_000);
        frames = clip.frameCount(20) - 1;
        frame = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, 320);
        frame48 = AudioFrame.allocate(AudioFormat.PCM_48K_MONO, 960);
        resampler = Resampler.create(48_000, 16_000, 1);
        resampled = AudioFrame.allocate(AudioFormat.PCM_16K_MONO, resampler.outputCapacity(960));
        suppressor = new SpectralNoiseSuppressor();
        vad = DspVad.defaults().create(AudioFormat.PCM_16K_MONO);
        pipelineSuppressor = new SpectralNoiseSuppressor();
        pipelineVad = DspVad.defaults().create(AudioFormat.PCM_16K_MONO);
        turn = new AdaptiveTurnDetector();
        context = new TurnContext(Duration.ZERO, "my number is 415 555", List.of(), MIN, MAX);
    }

    private AudioFrame next() {
        index = index + 1 == frames ? 0 : index + 1;
        return clip.frame(index, 20, frame);
    }

    /** DspVad alone. */
    @Benchmark
    public VadResult dspVad() {
        return vad.process(next());
    }

    /** SpectralNoiseSuppressor alone, in place. */
    @Benchmark
    public AudioFrame suppressor() {
        AudioFrame f = next();
        suppressor.process(f, f);
        return f;
    }

    /**
     * What a session does per inbound frame: suppress, detect, and ask the turn detector when
     * speech has just ended (as the session does, rather than every frame).
     */
    @Benchmark
    public Object suppressorVadTurn() {
        AudioFrame f = next();
        pipelineSuppressor.process(f, f);
        VadResult r = pipelineVad.process(f);
        boolean speech = r.speech();
        Object out = r;
        if (wasSpeech && !speech) {
            out = turn.predict(context);
        }
        wasSpeech = speech;
        return out;
    }

    /** One turn-detector prediction on a transcript. */
    @Benchmark
    public TurnPrediction turnPredict() {
        return turn.predict(context);
    }

    /** Resampling one 20 ms WebRTC frame from 48 kHz to 16 kHz. */
    @Benchmark
    public AudioFrame resample48to16() {
        index = index + 1 == frames ? 0 : index + 1;
        clip48.frame(index, 20, frame48);
        resampler.process(frame48, resampled);
        return resampled;
    }
}
