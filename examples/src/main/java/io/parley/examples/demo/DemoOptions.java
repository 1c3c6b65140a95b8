package io.parley.examples.demo;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The demo's command line.
 *
 * @param mic          talk through the default microphone and speakers
 * @param in           a caller recording to play instead of the scripted caller, or null
 * @param out          the output folder
 * @param quick        the short scripted conversation (used by CI)
 * @param espeak       use eSpeak NG (GPL-3, optional) for the agent's voice instead of FreeTTS
 * @param interims     print interim transcripts
 * @param modelDir     PocketSphinx model directory, or null for Debian's
 * @param maxSeconds   longest the conversation may run
 */
record DemoOptions(boolean mic, Path in, Path out, boolean quick, boolean espeak, boolean interims, Path modelDir,
                   int maxSeconds) {

    static final String USAGE = """
            usage: bin/parley demo [options]
              (default)            a scripted caller talks to a Parley agent, everything offline
              --quick              a shorter scripted conversation (about 30 s)
              --in FILE.wav        play your own caller recording (8-48 kHz PCM16 WAV) instead
              --mic                talk yourself, through the default microphone and speakers
              --out DIR            where to write the recording and transcript [target/parley-demo/<time>]
              --espeak             agent voice from eSpeak NG (GPL-3, needs apt-get install espeak-ng)
              --no-interims        do not print interim transcripts
              --model-dir DIR      PocketSphinx en-us model directory [/usr/share/pocketsphinx/model/en-us]
              --max-seconds N      stop the conversation after N seconds [300]
              --help               this text""";

    /**
     * Parses {@code args}.
     *
     * @throws DemoException (exit code 2) on an unknown option or a missing value
     */
    static DemoOptions parse(String[] args) throws DemoException {
        boolean mic = false;
        Path in = null;
        Path out = null;
        boolean quick = false;
        boolean espeak = false;
        boolean interims = true;
        Path modelDir = null;
        int maxSeconds = 300;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--mic" -> mic = true;
                case "--in" -> in = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--quick" -> quick = true;
                case "--espeak" -> espeak = true;
                case "--no-interims" -> interims = false;
                case "--model-dir" -> modelDir = Path.of(value(args, ++i, a));
                case "--max-seconds" -> {
                    String v = value(args, ++i, a);
                    try {
                        maxSeconds = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new DemoException(2, "--max-seconds needs a number, got '" + v + "'\n" + USAGE);
                    }
                    if (maxSeconds < 5 || maxSeconds > 3600) {
                        throw new DemoException(2, "--max-seconds must be within 5..3600, got " + maxSeconds);
                    }
                }
                case "--help", "-h" -> throw new DemoException(0, USAGE);
                default -> throw new DemoException(2, "unknown option '" + a + "'\n" + USAGE);
            }
        }
        if (mic && in != null) {
            throw new DemoException(2, "--mic and --in cannot be combined\n" + USAGE);
        }
        if (out == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
            out = Path.of("target", "parley-demo", stamp);
        }
        return new DemoOptions(mic, in, out, quick, espeak, interims, modelDir, maxSeconds);
    }

    private static String value(String[] args, int i, String option) throws DemoException {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new DemoException(2, option + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
