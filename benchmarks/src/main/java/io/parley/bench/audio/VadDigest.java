package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.Wav;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A digest of every per-frame output of {@link DspVad} (the probability's exact bits and the
 * speech decision) over real recordings, clean and in noise, so that a change meant to make
 * the detector cheaper without changing what it decides can be checked by comparing the
 * digests before and after it: any differing bit in any frame changes them.
 *
 * <p>The audio: every recording of pocketsphinx-testdata, and every prompt of
 * asterisk-core-sounds-en-wav (8 kHz telephone recordings), each on its own and, for the
 * pocketsphinx set, mixed with pink noise at 10 and 0 dB SNR, clicks and impulsive sounds at
 * 10 dB ({@link Noises}, fixed seeds); each corpus also as one long stream, recordings back
 * to back with a second of digital silence or faint noise between, so that the state carried
 * over a long call (noise resets after silence, the talker's level) is covered. The detector
 * runs in the ways sessions run it: 16 kHz mono in 20 ms frames (the default pipeline) and in
 * 10 ms frames, 8 kHz (no decimation), 48 kHz stereo, and with the talker gate on. Each line
 * prints one variant's frames, speech frames and digest; the last line the digest of all.
 *
 * <p>Run: {@code mvn -q -B -o -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.VadDigest}
 */
public final class VadDigest {

    private static final Path ASTERISK = Path.of("/usr/share/asterisk/sounds/en");

    private long total = 1;
    private long frames;

    private VadDigest() {
    }

    public static void main(String[] args) throws IOException {
        long began = System.nanoTime();
        VadDigest d = new VadDigest();
        List<AudioClip> pocketsphinx = new ArrayList<>();
        for (SpeechCorpus.Named n : new SpeechCorpus().realSpeech()) {
            pocketsphinx.add(n.clip());
        }
        List<AudioClip> asterisk8k = asteriskPrompts();
        List<AudioClip> asterisk16k = new ArrayList<>();
        for (AudioClip c : asterisk8k) {
            asterisk16k.add(c.resample(16_000));
        }
        DspVad defaults = DspVad.defaults();
        DspVad gated = DspVad.builder().talkerGateDb(14).build();

        d.each("pocketsphinx 16k 20ms clean", defaults, pocketsphinx, 20, null, 0);
        d.each("pocketsphinx 16k 20ms pink 10dB", defaults, pocketsphinx, 20, "pink", 10);
        d.each("pocketsphinx 16k 20ms pink 0dB", defaults, pocketsphinx, 20, "pink", 0);
        d.each("pocketsphinx 16k 20ms clicks 10dB", defaults, pocketsphinx, 20, "clicks", 10);
        d.each("pocketsphinx 16k 20ms impulsive 10dB", defaults, pocketsphinx, 20, "impulsive", 10);
        d.each("pocketsphinx 16k 10ms clean", defaults, pocketsphinx, 10, null, 0);
        d.each("pocketsphinx 16k 20ms pink 10dB gate 14", gated, pocketsphinx, 20, "pink", 10);
        d.each("asterisk 8k 20ms clean", defaults, asterisk8k, 20, null, 0);
        d.each("asterisk 16k 20ms clean", defaults, asterisk16k, 20, null, 0);
        d.each("asterisk 16k 20ms pink 10dB", defaults, asterisk16k, 20, "pink", 10);
        List<AudioClip> stereo48k = new ArrayList<>();
        for (AudioClip c : pocketsphinx) {
            stereo48k.add(stereo(c.resample(48_000)));
        }
        d.each("pocketsphinx 48k stereo 20ms clean", defaults, stereo48k, 20, null, 0);
        d.stream("pocketsphinx 16k 20ms one stream, silence between", defaults, pocketsphinx, false);
        d.stream("pocketsphinx 16k 20ms one stream, faint noise between", defaults, pocketsphinx, true);
        d.stream("asterisk 16k 20ms one stream, faint noise between", defaults, asterisk16k, true);
        d.stream("asterisk 16k 20ms one stream, silence between", defaults, asterisk16k, false);
        System.out.printf(Locale.ROOT, "digest of all %d frames: %016x (%.1f s)%n", d.frames, d.total,
                (System.nanoTime() - began) / 1e9);
    }

    /** Every prompt of the Asterisk set, sorted by path, at its own 8 kHz. */
    static List<AudioClip> asteriskPrompts() throws IOException {
        if (!Files.isDirectory(ASTERISK)) {
            throw new IllegalStateException(ASTERISK + " is missing: install the Debian package asterisk-core-sounds-en-wav");
        }
        List<AudioClip> out = new ArrayList<>();
        try (var walk = Files.walk(ASTERISK.toRealPath())) {
            for (Path p : walk.filter(p -> p.toString().endsWith(".wav")).sorted().toList()) {
                out.add(Wav.read(p));
            }
        }
        return out;
    }

    /** Each clip through a fresh detector, optionally mixed with noise at {@code snrDb}. */
    private void each(String name, DspVad config, List<AudioClip> clips, int millis, String noise, double snrDb) {
        long digest = 1;
        long n = 0;
        long speech = 0;
        long seed = 1;
        for (AudioClip c : clips) {
            AudioClip in = noise == null ? c : mix(c, noise, snrDb, seed++);
            Vad vad = config.create(in.format());
            AudioFrame f = AudioFrame.allocate(in.format(), in.format().samplesFor(millis));
            for (int i = 0, count = in.frameCount(millis); i < count; i++) {
                VadResult r = vad.process(in.frame(i, millis, f));
                digest = 31 * digest + Float.floatToRawIntBits(r.probability());
                digest = 31 * digest + (r.speech() ? 1 : 0);
                n++;
                speech += r.speech() ? 1 : 0;
            }
        }
        report(name, n, speech, digest);
    }

    /** All clips as one stream through one detector, a second of silence or faint noise between them. */
    private void stream(String name, DspVad config, List<AudioClip> clips, boolean noiseBetween) {
        AudioFormat format = clips.get(0).format();
        AudioClip gap = noiseBetween
                ? new AudioClip(format, scaled(Noises.pink(format.sampleRate(), 99), 30))
                : new AudioClip(format, new short[format.sampleRate()]);
        Vad vad = config.create(format);
        AudioFrame f = AudioFrame.allocate(format, format.samplesFor(20));
        long digest = 1;
        long n = 0;
        long speech = 0;
        for (AudioClip c : clips) {
            for (AudioClip part : new AudioClip[] {c, gap}) {
                // Frames keep their place in the clip; the detector only reads their samples.
                for (int i = 0, count = part.frameCount(20); i < count; i++) {
                    VadResult r = vad.process(part.frame(i, 20, f));
                    digest = 31 * digest + Float.floatToRawIntBits(r.probability());
                    digest = 31 * digest + (r.speech() ? 1 : 0);
                    n++;
                    speech += r.speech() ? 1 : 0;
                }
            }
        }
        report(name, n, speech, digest);
    }

    private void report(String name, long n, long speech, long digest) {
        System.out.printf(Locale.ROOT, "%-56s %8d frames %7d speech  %016x%n", name, n, speech, digest);
        total = 31 * total + digest;
        frames += n;
    }

    /** The clip plus the named noise, scaled to {@code snrDb} below the clip's mean power. */
    static AudioClip mix(AudioClip c, String noise, double snrDb, long seed) {
        short[] s = c.samples();
        int rate = c.format().sampleRate();
        float[] z = switch (noise) {
            case "pink" -> Noises.pink(s.length, seed);
            case "clicks" -> Noises.clicks(s.length, seed);
            case "impulsive" -> Noises.impulsive(s.length, rate, seed);
            default -> throw new IllegalArgumentException(noise);
        };
        double e = 0;
        for (short v : s) {
            e += (double) v * v;
        }
        double g = Math.sqrt(e / Math.max(1, s.length)) / Math.pow(10, snrDb / 20);
        short[] out = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(s[i] + g * z[i])));
        }
        return new AudioClip(c.format(), out);
    }

    static short[] scaled(float[] unitRms, double rms) {
        short[] out = new short[unitRms.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.round(unitRms[i] * rms);
        }
        return out;
    }

    /** The mono clip on two channels, the second at a little over half the level of the first. */
    private static AudioClip stereo(AudioClip mono) {
        short[] s = mono.samples();
        short[] out = new short[2 * s.length];
        for (int i = 0; i < s.length; i++) {
            out[2 * i] = s[i];
            out[2 * i + 1] = (short) (s[i] * 9 / 16);
        }
        return new AudioClip(new AudioFormat(mono.format().sampleRate(), 2), out);
    }
}
