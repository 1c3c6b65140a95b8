package io.parley.examples.demo;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.examples.demo.CallerLine.Cue;
import io.parley.session.SessionException;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The simulated caller's lines: real recordings from Debian's {@code pocketsphinx-testdata} and
 * sentences synthesized at run time in a second voice, including one with a pause in the middle
 * and one that interrupts the agent. Every synthesized line is also written to the output folder.
 */
final class CallerScript {

    /** Where Debian's pocketsphinx-testdata puts its recordings. */
    static final Path TESTDATA = Path.of("/usr/share/pocketsphinx/test/data");

    private static final Duration GAP = Duration.ofMillis(700);
    private static final Duration MID_SENTENCE_PAUSE = Duration.ofMillis(900);
    private static final Duration BARGE_IN_AFTER = Duration.ofMillis(2500);

    private final TtsProvider voice;
    private final Path outDir;
    private int synthesized;

    CallerScript(TtsProvider voice, Path outDir) {
        this.voice = voice;
        this.outDir = outDir;
    }

    /** Checks that the recordings the script plays are installed. */
    static void checkTestdata() throws DemoException {
        for (Path p : List.of(TESTDATA.resolve("goforward.raw"), TESTDATA.resolve("librivox"))) {
            if (!Files.isReadable(p)) {
                throw new DemoException(3, "the caller's real recordings are missing (" + p
                        + "); on Debian or Ubuntu install them with: apt-get install pocketsphinx-testdata");
            }
        }
    }

    /** The full conversation: seven caller lines, about a minute and a half. */
    List<CallerLine> full() throws DemoException {
        List<CallerLine> lines = new ArrayList<>();
        lines.add(say("Hello, can you hear me?", Cue.AFTER_AGENT));
        lines.add(recording("recording librivox/...0880.wav", "he was not an ill disposed young man",
                TESTDATA.resolve("librivox/sense_and_sensibility_01_austen_64kb-0880.wav")));
        lines.add(pausedLine());
        lines.add(say("What did you hear so far?", Cue.AFTER_AGENT));
        lines.add(bargeIn());
        lines.add(recording("recording goforward.raw", "go forward ten meters", TESTDATA.resolve("goforward.raw")));
        lines.add(say("Thank you. Bye bye!", Cue.AFTER_AGENT));
        return lines;
    }

    /** A shorter conversation for CI: the pause, a real recording, the barge-in and goodbye. */
    List<CallerLine> quick() throws DemoException {
        List<CallerLine> lines = new ArrayList<>();
        lines.add(pausedLine());
        lines.add(recording("recording goforward.raw", "go forward ten meters", TESTDATA.resolve("goforward.raw")));
        lines.add(say("What did you hear so far?", Cue.AFTER_AGENT));
        lines.add(bargeIn());
        lines.add(say("Thank you. Bye bye!", Cue.AFTER_AGENT));
        return lines;
    }

    /** One line made of a whole recording of the user's choice. */
    static List<CallerLine> fromFile(Path wav) throws DemoException {
        AudioClip clip;
        try {
            clip = Wav.read(wav);
        } catch (IOException | IllegalArgumentException e) {
            throw new DemoException(2, "cannot read " + wav + " as a WAV file: " + e.getMessage());
        }
        return List.of(new CallerLine("file " + wav.getFileName(), "(your recording)", toDemoFormat(clip, wav),
                Cue.AFTER_AGENT, GAP));
    }

    /** 16 kHz mono, converting the rates Parley's resampler supports and mixing stereo down. */
    static short[] toDemoFormat(AudioClip clip, Path source) throws DemoException {
        AudioFormat f = clip.format();
        if (f.sampleRate() != 16_000 && !io.parley.audio.Resampler.supports(f.sampleRate())) {
            throw new DemoException(2, source + " is " + f.sampleRate() + " Hz; the demo accepts 8000, 16000, 22050, 24000,"
                    + " 44100 or 48000 Hz (convert it with: sox " + source + " -r 16000 -c 1 -b 16 out.wav)");
        }
        short[] mono = clip.samples();
        if (f.channels() > 1) {
            int n = clip.samplesPerChannel();
            mono = new short[n];
            for (int i = 0; i < n; i++) {
                int sum = 0;
                for (int c = 0; c < f.channels(); c++) {
                    sum += clip.samples()[i * f.channels() + c];
                }
                mono[i] = (short) (sum / f.channels());
            }
        }
        AudioClip m = new AudioClip(new AudioFormat(f.sampleRate(), 1), mono);
        return f.sampleRate() == 16_000 ? mono : m.resample(16_000).samples();
    }

    private CallerLine pausedLine() throws DemoException {
        // The turn detector has to hear that "...the time and" is unfinished and wait instead of
        // answering half a question.
        short[] first = synthesize("Please tell me the time, and");
        short[] second = synthesize("how long have you been listening?");
        short[] audio = concat(first, new short[(int) (16 * MID_SENTENCE_PAUSE.toMillis())], second);
        String text = "Please tell me the time, and ... how long have you been listening?";
        save(text, audio);
        return new CallerLine("synthesized, " + MID_SENTENCE_PAUSE.toMillis() + " ms pause mid-sentence", text, audio,
                Cue.AFTER_AGENT, GAP);
    }

    private CallerLine bargeIn() throws DemoException {
        String text = "Wait a moment, please.";
        short[] audio = synthesize(text);
        save(text, audio);
        return new CallerLine("synthesized, barges in " + BARGE_IN_AFTER.toMillis() + " ms into the reply", text, audio,
                Cue.WHILE_AGENT_SPEAKS, BARGE_IN_AFTER);
    }

    private CallerLine say(String text, Cue cue) throws DemoException {
        short[] audio = synthesize(text);
        save(text, audio);
        return new CallerLine("synthesized", text, audio, cue, GAP);
    }

    private static CallerLine recording(String label, String text, Path file) throws DemoException {
        try {
            AudioClip clip = file.toString().endsWith(".raw")
                    ? Wav.readRaw(file, AudioFormat.PCM_16K_MONO)
                    : Wav.read(file);
            return new CallerLine(label, text, toDemoFormat(clip, file), Cue.AFTER_AGENT, GAP);
        } catch (IOException e) {
            throw new DemoException(3, "cannot read the recording " + file + ": " + e.getMessage()
                    + " (apt-get install pocketsphinx-testdata)");
        }
    }

    private void save(String text, short[] audio) throws DemoException {
        synthesized++;
        Path file = outDir.resolve(String.format("caller-%02d.wav", synthesized));
        try {
            Wav.write(file, AudioFormat.PCM_16K_MONO, audio);
        } catch (IOException e) {
            throw new DemoException(4, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Synthesizes {@code text} with the caller's voice into 16 kHz mono samples. */
    private short[] synthesize(String text) throws DemoException {
        List<short[]> chunks = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try (TtsStream s = voice.open(new TtsRequest("caller", AudioFormat.PCM_16K_MONO, ""), new TtsListener() {
            @Override
            public void onAudio(AudioFrame frame) {
                chunks.add(Arrays.copyOf(frame.samples(), frame.length()));
            }

            @Override
            public void onComplete() {
                done.complete(null);
            }

            @Override
            public void onError(SessionException error) {
                done.completeExceptionally(error);
            }
        })) {
            s.pushText(text);
            s.flush();
            done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException(1, "interrupted while synthesizing the caller's lines");
        } catch (ExecutionException | TimeoutException e) {
            throw new DemoException(1, "could not synthesize the caller's line '" + text + "': " + e);
        }
        return concat(chunks.toArray(new short[0][]));
    }

    private static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
