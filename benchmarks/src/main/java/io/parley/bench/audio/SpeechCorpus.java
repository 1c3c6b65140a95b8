package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.Wav;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real and synthesized English speech for the audio evaluations, all at 16 kHz mono.
 *
 * <p>Real speech is every recording in Debian's {@code pocketsphinx-testdata} (read
 * LibriVox audiobook sentences, spoken playing-card names, digits and commands by several
 * talkers). Synthesized speech comes from {@code espeak-ng} with a range of voices and speeds,
 * rendered into a cache directory ({@code -Dparley.eval.cache}, default
 * {@code ${java.io.tmpdir}/parley-eval}) the first time and reused afterwards; nothing is
 * downloaded.
 */
final class SpeechCorpus {

    static final AudioFormat FORMAT = AudioFormat.PCM_16K_MONO;
    static final Path POCKETSPHINX = Path.of("/usr/share/pocketsphinx/test/data");

    /** Sentences for the evaluation proper. */
    static final String[] SENTENCES = {
        "Hi, I'd like to book a table for four people tomorrow evening.",
        "My phone number is four one five, five five five, one two three four.",
        "Could you tell me when the pharmacy on Main Street closes tonight?",
        "I was thinking about the blue one, but the price is a bit too high.",
        "Please transfer two hundred dollars from my savings to my checking account.",
        "The train to Edinburgh leaves at half past nine from platform six.",
        "Actually, never mind. Let's go with the first option you mentioned.",
        "We need three large pizzas, one without cheese, and a bottle of water.",
        "What's the weather going to be like in Boston over the weekend?",
        "My card number ends in seven seven two nine, and it expires in March.",
        "I don't remember the password, so I want to reset it, please.",
        "Yes, that's right. Thank you so much for your help today.",
    };

    /** Sentences only used to make babble noise, so babble never contains the test speech. */
    static final String[] BABBLE_SENTENCES = {
        "The committee will meet again on Thursday to review the budget proposal.",
        "She planted tomatoes, beans and a row of sunflowers along the fence.",
        "After the concert we walked along the river until it started raining.",
        "He says the new software update fixed most of the problems we reported.",
        "They found an old map in the attic, folded inside a leather book.",
        "Our flight was delayed by two hours because of fog at the airport.",
        "The children laughed when the puppy chased its tail around the garden.",
        "Remember to bring your passport and a copy of the booking confirmation.",
    };

    private static final String[] VOICES = {"en-us", "en-gb", "en-us+f3", "en-gb-scotland", "en-029", "en-us+m3",
        "en-gb-x-rp+f2", "en-us+f4"};
    private static final int[] SPEEDS = {150, 175, 140, 165, 185, 155, 170, 145};

    private final Path cache;

    SpeechCorpus() {
        this.cache = Path.of(System.getProperty("parley.eval.cache", System.getProperty("java.io.tmpdir") + "/parley-eval"));
    }

    /** Every pocketsphinx-testdata recording, named by file. */
    List<Named> realSpeech() throws IOException {
        if (!Files.isDirectory(POCKETSPHINX)) {
            throw new IllegalStateException(POCKETSPHINX + " is missing: install the Debian package pocketsphinx-testdata");
        }
        List<Named> out = new ArrayList<>();
        try (var walk = Files.walk(POCKETSPHINX)) {
            for (Path p : walk.sorted().toList()) {
                String name = POCKETSPHINX.relativize(p).toString();
                if (name.endsWith(".wav")) {
                    out.add(new Named(name, Wav.read(p).resample(FORMAT.sampleRate())));
                } else if (name.endsWith(".raw")) {
                    out.add(new Named(name, Wav.readRaw(p, FORMAT)));
                }
            }
        }
        return out;
    }

    /** Prompts spoken by Allison for Asterisk (8 kHz telephone recordings), resampled to 16 kHz. */
    List<Named> telephonePrompts() throws IOException {
        return prompts("agent-pass", "check-number-dial-again", "conf-onlyone", "conf-placeintoconf",
                "cannot-complete-as-dialed", "auth-thankyou", "agent-newlocation", "conf-getpin", "all-circuits-busy-now",
                "conf-invalidpin", "conf-kicked", "conf-locked");
    }

    /**
     * Other Asterisk prompts (same talker, none of {@link #telephonePrompts()}), about 140 s:
     * the tuning split, so that detector constants are chosen on material the scored set does
     * not contain.
     */
    List<Named> tuningPrompts() throws IOException {
        return prompts("demo-congrats", "basic-pbx-ivr-main", "vm-review", "vm-opts", "vm-instructions", "dir-instr",
                "vm-intro", "demo-thanks", "queue-youarenext", "vm-nobox", "pbx-invalid", "auth-incorrect", "vm-rec-name",
                "privacy-unident", "tt-allbusy", "demo-enterkeywords", "vm-newuser", "agent-user", "vm-mismatch");
    }

    private static List<Named> prompts(String... names) throws IOException {
        Path dir = Path.of("/usr/share/asterisk/sounds/en");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: install the Debian package asterisk-core-sounds-en-wav (bin/setup-deps)");
        }
        List<Named> out = new ArrayList<>();
        for (String name : names) {
            out.add(new Named("asterisk/" + name, Wav.read(dir.resolve(name + ".wav")).resample(FORMAT.sampleRate())));
        }
        return out;
    }

    /** {@link #SENTENCES} spoken by rotating espeak-ng voices. */
    List<Named> syntheticSpeech() throws IOException, InterruptedException {
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < SENTENCES.length; i++) {
            String voice = VOICES[i % VOICES.length];
            out.add(new Named("espeak/" + voice + "/" + i, synthesize(SENTENCES[i], voice, SPEEDS[i % SPEEDS.length])));
        }
        return out;
    }

    /** {@link #BABBLE_SENTENCES} spoken by rotating voices. */
    List<AudioClip> babbleSpeech() throws IOException, InterruptedException {
        List<AudioClip> out = new ArrayList<>();
        for (int i = 0; i < BABBLE_SENTENCES.length; i++) {
            out.add(synthesize(BABBLE_SENTENCES[i], VOICES[(i + 3) % VOICES.length], SPEEDS[(i + 5) % SPEEDS.length]));
        }
        return out;
    }

    /** Speaks {@code text} with espeak-ng (cached by content) and returns it at 16 kHz. */
    AudioClip synthesize(String text, String voice, int wordsPerMinute) throws IOException, InterruptedException {
        Files.createDirectories(cache);
        String key = Integer.toHexString((voice + "|" + wordsPerMinute + "|" + text).hashCode());
        Path wav = cache.resolve("espeak-" + key + ".wav");
        if (!Files.isRegularFile(wav)) {
            Path tmp = cache.resolve("espeak-" + key + ".tmp.wav");
            Process p = new ProcessBuilder("espeak-ng", "-v", voice, "-s", Integer.toString(wordsPerMinute), "-w", tmp.toString(), text)
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("espeak-ng timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException("espeak-ng failed (" + p.exitValue() + "): " + log + " -- is the Debian package espeak-ng installed?");
            }
            Files.move(tmp, wav, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return Wav.read(wav).resample(FORMAT.sampleRate());
    }

    /** A clip with where it came from. */
    record Named(String name, AudioClip clip) {
    }
}
