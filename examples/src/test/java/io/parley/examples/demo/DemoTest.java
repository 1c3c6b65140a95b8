package io.parley.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real demo end to end (real recognizer, voices, VAD, turn detector, real time). */
class DemoTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void quickConversationHasItsTurnsAndTheBargeIn(@TempDir Path dir) throws Exception {
        Run r = run("--quick", "--no-interims", "--out", dir.toString());
        System.out.println(r.out());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Loading models:").contains(" ready.").contains("Output folder: " + dir.toAbsolutePath());

        List<String> transcript = Files.readAllLines(dir.resolve("transcript.txt"));
        List<String> caller = transcript.stream().filter(l -> l.contains("] Caller: ")).toList();
        List<String> agent = transcript.stream().filter(l -> l.contains("] Parley: ")).toList();
        // Five scripted lines; each is answered (the barge-in line too), after the greeting.
        assertThat(caller).hasSizeGreaterThanOrEqualTo(5);
        assertThat(agent).hasSizeGreaterThanOrEqualTo(6);
        // The mid-sentence pause did not split the question: one turn holds both halves.
        assertThat(caller).anySatisfy(l -> assertThat(l).contains("time").contains("listening"));
        assertThat(agent).anySatisfy(l -> assertThat(l).contains("UTC").contains("listening for"));
        // The real recording was heard.
        assertThat(caller).anySatisfy(l -> assertThat(l).contains("forward"));
        // The barge-in: the long answer was cut where the caller spoke, and the agent answered the interruption.
        assertThat(agent).anySatisfy(l -> assertThat(l).contains("So far I heard").endsWith("[interrupted]"));
        assertThat(agent).anySatisfy(l -> assertThat(l).contains("I stopped talking"));
        assertThat(agent.get(agent.size() - 1)).contains("Goodbye");
        assertThat(r.out()).containsPattern("barge-ins\\s+1");
        Path recording = dir.resolve("recordings").resolve(Demo.RECORDING);
        assertThat(Files.readString(recording.resolve("events.jsonl"))).contains("\"interruption\"").contains("barge_in");

        AudioClip stereo = Wav.read(recording.resolve("audio.wav"));
        assertThat(stereo.format()).isEqualTo(new AudioFormat(16_000, 2));
        assertThat(stereo.duration().toSeconds()).isGreaterThanOrEqualTo(20);
        AudioClip agentAudio = Wav.read(dir.resolve("agent.wav"));
        assertThat(agentAudio.format()).isEqualTo(AudioFormat.PCM_16K_MONO);
        assertThat(agentAudio.samplesPerChannel()).isEqualTo(stereo.samplesPerChannel());
        assertThat(agentAudio.peak()).isGreaterThan(1000);
        assertThat(Wav.read(dir.resolve("caller-01.wav")).duration().toMillis()).isGreaterThan(1000);
        assertThat(dir.resolve("transcript.html")).isNotEmptyFile();
    }

    @Test
    void missingInputFileIsABadArgument(@TempDir Path dir) {
        Run r = run("--in", dir.resolve("nope.wav").toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read").contains("nope.wav");
    }

    @Test
    void fileThatIsNotAWavIsABadArgument(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("notes.wav"), "these are not audio samples");
        Run r = run("--in", bogus.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot read").contains("as a WAV file");
    }

    @Test
    void unsupportedSampleRateIsABadArgument(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("odd-rate.wav");
        Wav.write(wav, new AudioFormat(11_025, 1), new short[11_025]);
        Run r = run("--in", wav.toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("11025 Hz").contains("sox");
    }

    @Test
    void missingSpeechModelSaysWhatToInstall(@TempDir Path dir) {
        Run r = run("--quick", "--model-dir", dir.resolve("no-model").toString(), "--out", dir.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("apt-get install libpocketsphinx3 pocketsphinx-en-us");
    }

    @Test
    void unknownOptionPrintsUsage() {
        Run r = run("--loud");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option '--loud'").contains("usage: bin/parley demo");
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--mic").contains("--in FILE.wav");
    }

    @Test
    void micModeSaysSoWhenThereIsNoDevice(@TempDir Path dir) {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                javax.sound.sampled.AudioSystem.isLineSupported(new javax.sound.sampled.DataLine.Info(
                        javax.sound.sampled.TargetDataLine.class,
                        new javax.sound.sampled.AudioFormat(16_000f, 16, 1, true, false))),
                "this machine has a microphone; the no-device message cannot be observed");
        Run r = run("--mic", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("no microphone");
    }
}
