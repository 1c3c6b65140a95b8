package io.parley.examples.demo;

import io.parley.agent.langchain4j.LlmAgent;
import io.parley.agent.langchain4j.LlmAgents;
import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.EspeakTts;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.recording.EventType;
import io.parley.recording.Recording;
import io.parley.recording.SessionRecorder;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.store.FileRecordingStore;
import io.parley.session.PlaybackEvent;
import io.parley.session.SessionConfig;
import io.parley.session.SessionException;
import io.parley.session.SessionListener;
import io.parley.session.TurnMetrics;
import io.parley.session.VoiceSession;
import io.parley.spi.Transport;
import io.parley.spi.TtsProvider;
import io.parley.text.speech.SpeechText;
import io.parley.time.Clock;
import io.parley.turn.AdaptiveTurnDetector;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Parley's first-run demo: a spoken conversation with a Parley agent that needs no account, no
 * key and no network. Speech recognition is PocketSphinx, the voices are FreeTTS, voice activity
 * and turn detection are Parley's own. By default a scripted caller speaks real recordings and
 * synthesized lines, pauses mid-sentence once and interrupts the agent once; {@code --in} plays a
 * recording of your choice and {@code --mic} lets you talk yourself.
 *
 * <p>Run it with {@code bin/parley demo [options]}; {@code --help} lists the options. The call is
 * recorded with {@link SessionRecorder}; the output folder, named at the end, holds that
 * recording (stereo audio and event log), its exported transcript, the agent's audio and the
 * caller's synthesized lines. Exit codes: 0 done, 1 the conversation
 * failed, 2 bad arguments or input file, 3 something missing on this machine, 4 output not writable.
 */
public final class Demo {

    private static final String GREETING = "Hello, this is Parley, running entirely on this computer."
            + " Ask me the time, how long I have been listening, or what I heard.";
    private static final String QUICK_GREETING = "Hello, this is Parley. How can I help?";
    private static final String SESSION_ID = "parley-demo";
    /** Name of the recording in the output folder's recording store. */
    static final String RECORDING = "parley-demo";

    private final DemoOptions options;
    private final PrintStream out;

    private Demo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo and exits with its exit code. */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    /**
     * Runs the demo; what it says goes to {@code out}, why it could not run to {@code err}.
     *
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            new Demo(DemoOptions.parse(args), out).run();
            return 0;
        } catch (DemoException e) {
            (e.exitCode() == 0 ? out : err).println(e.exitCode() == 0 ? e.getMessage() : "parley demo: " + e.getMessage());
            return e.exitCode();
        }
    }

    private void run() throws DemoException {
        Path dir = createOutputDir();
        if (options.in() == null && !options.mic()) {
            CallerScript.checkTestdata();
        }
        List<CallerLine> fileLines = options.in() != null ? CallerScript.fromFile(options.in()) : null;

        out.print("Loading models:");
        out.flush();
        PocketSphinxStt stt = step("speech recognizer (PocketSphinx en-us)", () -> {
            // Frequent interim results let the turn detector see a trailing "and" before it commits.
            // The caller is synthesized speech, which the rescoring pass recognizes far better (5 % vs 15 % WER).
            PocketSphinxStt.Builder b = PocketSphinxStt.builder().interimInterval(Duration.ofMillis(100)).rescore(true);
            if (options.modelDir() != null) {
                b.modelDir(options.modelDir());
            }
            return b.build();
        });
        TtsProvider agentVoice = options.espeak()
                ? step("agent voice (eSpeak NG)", EspeakTts::create)
                : step("agent voice (FreeTTS kevin16)", FreeTtsTts::create);
        DspVad vad = step("voice activity detector", DspVad::defaults);
        AdaptiveTurnDetector turns = step("turn detector", AdaptiveTurnDetector::new);
        out.println(" ready.");

        Clock clock = Clock.system();
        FileRecordingStore store = FileRecordingStore.open(dir.resolve("recordings"));
        SessionRecorder recorder = SessionRecorder.builder(store).clock(clock)
                .user("caller", "Caller").agent("parley-demo", "Parley").sessionId(SESSION_ID).build();
        Transport transport;
        SimulatedCaller caller = null;
        ConversationLog log = new ConversationLog(out, clock.now(), options.interims());
        if (options.mic()) {
            transport = MicTransport.open();
            out.println("Talking through the default microphone. Say \"goodbye\" to finish (use headphones).");
        } else {
            List<CallerLine> lines = fileLines;
            if (lines == null) {
                out.print("Preparing the caller:");
                FreeTtsTts callerVoice = step("caller voice (FreeTTS, higher pitch)",
                        () -> FreeTtsTts.builder().pitch(135).wordsPerMinute(165).build());
                CallerScript script = new CallerScript(callerVoice, dir);
                lines = options.quick() ? script.quick() : script.full();
                out.println(" " + lines.size() + " lines ready.");
            }
            caller = new SimulatedCaller(clock, lines, note -> {
                log.note(note);
                recorder.message(EventType.SYSTEM_MESSAGE, note);
            });
            transport = caller;
        }

        CompletableFuture<Void> saidGoodbye = new CompletableFuture<>();
        VoiceSession.Builder builder = VoiceSession.builder()
                .config(SessionConfig.builder().sessionId(SESSION_ID).awayTimeout(Duration.ofMinutes(5))
                        // PocketSphinx's final pass over a long turn can take seconds on a busy machine.
                        .sttFinalTimeout(Duration.ofSeconds(6)).build())
                .clock(clock)
                .stt(stt)
                .tts(agentVoice)
                .vad(vad)
                .turnDetector(turns)
                .transport(transport)
                .listener(log)
                .listener(goodbyeWatcher(saidGoodbye))
                .listener(recorder)
                .audioListener(recorder);
        // An OpenAI-compatible or Anthropic endpoint in the environment makes the agent an LLM;
        // without one the demo runs on its own offline agent.
        Optional<LlmAgent.Builder> llm = LlmAgents.fromEnvironment();
        if (llm.isPresent()) {
            builder.streamingAgent(llm.get()
                            .instructions("You are Parley's demo agent on a phone line. Answer in one or two short spoken sentences.")
                            .clock(clock).build())
                    .speechText(SpeechText.defaults(Locale.US));
            out.println("Agent: a language model from the environment (OPENAI_* or ANTHROPIC_*).");
        } else {
            builder.agent(new SessionAgent(clock));
        }
        if (caller != null) {
            builder.listener(caller.cues());
        }
        VoiceSession session = builder.build();
        Instant started = clock.now();
        out.println("Conversation (times from the start of the session):");
        if (store.exists(RECORDING)) {
            // The demo's own recording from an earlier run into the same --out folder.
            store.delete(RECORDING);
        }
        recorder.start(RECORDING);
        try {
            try {
                session.start();
            } catch (SessionException e) {
                throw new DemoException(3, "the session could not start: " + e.getMessage());
            }
            session.say(options.quick() ? QUICK_GREETING : GREETING);
            boolean completed = await(caller != null ? caller.finished() : saidGoodbye);
            if (!completed) {
                out.println("The conversation did not finish within " + options.maxSeconds() + " s; stopping.");
            }
        } finally {
            session.stop();
            recorder.stop();
        }
        Duration length = Duration.between(started, clock.now());
        writeOutputs(dir, store);
        summary(log, length, dir);
        if (log.userTurns() == 0) {
            throw new DemoException(1, "no caller turn was recognised; see the errors above");
        }
    }

    private boolean await(CompletableFuture<Void> done) throws DemoException {
        try {
            done.get(options.maxSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException(1, "interrupted");
        } catch (ExecutionException e) {
            throw new DemoException(1, "the conversation failed: " + e.getCause());
        }
    }

    /** Completes {@code done} once the agent has said goodbye (the end of a --mic conversation). */
    private static SessionListener goodbyeWatcher(CompletableFuture<Void> done) {
        return new SessionListener() {
            @Override
            public void onPlayback(PlaybackEvent event) {
                if (event.kind() == PlaybackEvent.Kind.FINISHED && event.text().startsWith("Goodbye")) {
                    done.complete(null);
                }
            }
        };
    }

    private <T> T step(String what, Supplier<T> load) throws DemoException {
        out.print(" " + what + "...");
        out.flush();
        long t0 = System.nanoTime();
        try {
            T value = load.get();
            out.print(" " + (System.nanoTime() - t0) / 1_000_000 + " ms;");
            out.flush();
            return value;
        } catch (SessionException e) {
            out.println(" failed.");
            throw new DemoException(3, e.getMessage());
        } catch (IllegalArgumentException e) {
            out.println(" failed.");
            throw new DemoException(2, e.getMessage());
        }
    }

    private Path createOutputDir() throws DemoException {
        Path dir = options.out().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DemoException(4, "cannot create the output folder " + dir + ": " + e);
        }
        return dir;
    }

    /** Exports the recording's transcript and pulls the agent's side out of its stereo audio. */
    private void writeOutputs(Path dir, FileRecordingStore store) throws DemoException {
        try {
            Recording recording = store.load(RECORDING);
            RecordingExporter exporter = RecordingExporter.create();
            try (OutputStream txt = Files.newOutputStream(dir.resolve("transcript.txt"));
                 OutputStream html = Files.newOutputStream(dir.resolve("transcript.html"))) {
                exporter.export(recording, ExportFormat.TXT, txt);
                exporter.export(recording, ExportFormat.HTML, html);
            }
            AudioTrack track = recording.audio().orElseThrow(() -> new DemoException(1, "the recording has no audio"));
            short[] agent = new short[Math.toIntExact(track.frames())];
            short[] chunk = new short[2 * 4096];
            int at = 0;
            for (int n; (n = track.read(at, chunk, 4096)) > 0; at += n) {
                for (int i = 0; i < n; i++) {
                    agent[at + i] = chunk[2 * i + 1];
                }
            }
            Wav.write(dir.resolve("agent.wav"), new AudioFormat(track.sampleRate(), 1), agent);
        } catch (IOException | SessionException e) {
            throw new DemoException(4, "cannot write the demo's output to " + dir + ": " + e.getMessage());
        }
    }

    private static List<Long> millis(List<TurnMetrics> metrics, java.util.function.Function<TurnMetrics, Duration> part) {
        List<Long> out = new ArrayList<>();
        for (TurnMetrics m : metrics) {
            Duration d = part.apply(m);
            if (d != null) {
                out.add(d.toMillis());
            }
        }
        out.sort(null);
        return out;
    }

    private static double mean(List<Long> sorted) {
        return sorted.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    private static long p90(List<Long> sorted) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.9 * sorted.size()) - 1));
    }

    private void summary(ConversationLog log, Duration length, Path dir) {
        List<TurnMetrics> metrics = log.metrics();
        out.println();
        out.println("Summary");
        out.printf(Locale.ROOT, "  conversation    %.1f s%n", length.toMillis() / 1000.0);
        out.printf(Locale.ROOT, "  caller turns    %d (%d words heard)%n", log.userTurns(), log.wordsHeard());
        out.printf(Locale.ROOT, "  agent replies   %d%n", log.agentReplies());
        out.printf(Locale.ROOT, "  barge-ins       %d%n", log.bargeIns());
        List<Long> total = millis(metrics, TurnMetrics::userToAgentAudio);
        if (total.isEmpty()) {
            out.println("  latency         no turn was answered");
        } else {
            out.printf(Locale.ROOT, "  latency         user stopped -> agent audio: mean %.0f ms, p90 %d ms (%d turns)%n",
                    mean(total), p90(total), total.size());
            out.printf(Locale.ROOT, "    end of turn   mean %.0f ms, p90 %d ms  (silence until the turn detector commits)%n",
                    mean(millis(metrics, TurnMetrics::endOfTurnDelay)), p90(millis(metrics, TurnMetrics::endOfTurnDelay)));
            out.printf(Locale.ROOT, "    STT final     mean %.0f ms, p90 %d ms  (PocketSphinx ends the utterance)%n",
                    mean(millis(metrics, TurnMetrics::sttFinalDelay)), p90(millis(metrics, TurnMetrics::sttFinalDelay)));
            out.printf(Locale.ROOT, "    agent         mean %.0f ms, p90 %d ms%n",
                    mean(millis(metrics, TurnMetrics::agentFirstText)), p90(millis(metrics, TurnMetrics::agentFirstText)));
            out.printf(Locale.ROOT, "    TTS first     mean %.0f ms, p90 %d ms  (the synthesizer's first audio)%n",
                    mean(millis(metrics, TurnMetrics::ttsFirstAudio)), p90(millis(metrics, TurnMetrics::ttsFirstAudio)));
        }
        out.printf(Locale.ROOT, "  errors          %d%n", log.errors().size());
        out.println("Output folder: " + dir);
        out.println("  transcript.txt     the conversation as text (transcript.html: with an audio player)");
        out.println("  recordings/" + RECORDING + "/audio.wav   stereo recording: caller left, agent right");
        out.println("  recordings/" + RECORDING + "/events.jsonl every event of the session, with latencies");
        out.println("  agent.wav          the agent's voice as the caller heard it");
        if (options.in() == null && !options.mic()) {
            out.println("  caller-NN.wav      the caller's synthesized lines");
        }
    }
}
