package io.parley.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.audio.TestSignals;
import io.parley.audio.Wav;
import io.parley.spi.Vad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** DspVad on short real recordings in the conditions its targets name (VadEval scores them at length). */
class DspVadConditionsTest {

    private static final AudioFormat F = AudioFormat.PCM_16K_MONO;
    private static final int RATE = 16_000;

    private static AudioClip real(String path) throws IOException {
        Path p = Path.of(path);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " is missing: install the Debian packages named in bin/setup-deps");
        return Wav.read(p).resample(RATE);
    }

    /** Decisions per 20 ms frame. */
    private static boolean[] run(short[] samples) {
        Vad vad = DspVad.defaults().create(F);
        AudioClip clip = new AudioClip(F, samples);
        AudioFrame frame = AudioFrame.allocate(F, F.samplesFor(20));
        boolean[] out = new boolean[clip.frameCount(20)];
        for (int i = 0; i < out.length; i++) {
            out[i] = vad.process(clip.frame(i, 20, frame)).speech();
        }
        return out;
    }

    private static double fraction(boolean[] d, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += d[i] ? 1 : 0;
        }
        return n / (double) (to - from);
    }

    /** First 20 ms frame from {@code fromFrame} on whose level reaches -45 dBFS. */
    private static int onset(short[] s, int fromFrame) {
        for (int f = fromFrame; (f + 1) * 320 <= s.length; f++) {
            double e = 0;
            for (int i = f * 320; i < (f + 1) * 320; i++) {
                e += (double) s[i] * s[i];
            }
            if (10 * Math.log10(e / 320 / (32768.0 * 32768.0) + 1e-12) > -45) {
                return f;
            }
        }
        throw new AssertionError("no sound after frame " + fromFrame);
    }

    @Test
    void speechAfterNearSilenceIsHeardFromItsStart() throws IOException {
        // A telephone prompt after two seconds of a muted line's last bits: the first sound
        // after near-silence must not be taken for the background.
        short[] prompt = real("/usr/share/asterisk/sounds/en/conf-getpin.wav").samples();
        Random r = new Random(3);
        short[] s = new short[2 * RATE + prompt.length + RATE];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (r.nextInt(5) - 2);
        }
        for (int i = 0; i < prompt.length; i++) {
            s[2 * RATE + i] += prompt[i];
        }
        boolean[] d = run(s);
        int on = onset(s, 0);
        assertThat(fraction(d, 0, on)).as("near-silence").isZero();
        assertThat(fraction(d, on, on + 50)).as("the prompt's first second").isGreaterThan(0.8);
    }

    @Test
    void theFirstSyllableAfterDigitalZerosIsHeard() throws IOException {
        // Prompts that start talking right after half a second of digital zeros (a stream that
        // opens silent, a muted microphone): before, the first syllable seeded the noise
        // estimate and speech was heard 200-400 ms late, from the second syllable on.
        for (String name : new String[] {"activated", "at-tone-time-exactly", "added"}) {
            short[] prompt = real("/usr/share/asterisk/sounds/en/" + name + ".wav").samples();
            short[] s = new short[RATE / 2 + prompt.length];
            System.arraycopy(prompt, 0, s, RATE / 2, prompt.length);
            boolean[] d = run(s);
            int heard = 0;
            while (heard < d.length && !d[heard]) {
                heard++;
            }
            assertThat((heard - onset(s, 0)) * 20).as(name + ": ms from the first sound to speech").isBetween(0, 100);
        }
    }

    @Test
    void speechEndsLaterInHeavyNoiseOnly() throws IOException {
        // In heavy noise the quiet ends of words drown, so speech ends up to 100 ms later; at
        // 15 dB SNR and in a quiet room the hangover stays as configured.
        // Seven seconds of reading: the talker's level is known after a second or so of speech.
        short[] words = real("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav").samples();
        for (double snr : new double[] {60, 15, 5}) {
            float[] x = new float[words.length + RATE];
            for (int i = 0; i < words.length; i++) {
                x[RATE + i] = words[i] / 32768f;
            }
            float[] noise = TestSignals.pink(x.length, 1, 11);
            short[] s = TestSignals.pcm(TestSignals.mix(x, noise, snr, RATE));
            DspVadStream vad = (DspVadStream) DspVad.defaults().create(F);
            AudioClip clip = new AudioClip(F, s);
            AudioFrame frame = AudioFrame.allocate(F, F.samplesFor(20));
            for (int i = 0; i < clip.frameCount(20); i++) {
                vad.process(clip.frame(i, 20, frame));
            }
            long extra = vad.extraHangover().toMillis();
            if (snr > 10) {
                assertThat(extra).as("extra hangover at %.0f dB SNR", snr).isZero();
            } else {
                assertThat(extra).as("extra hangover at %.0f dB SNR", snr).isBetween(70L, 110L);
            }
        }
    }

    @Test
    void speechEndsInQuietSteadyRoomToneAfterTheLastWord() throws IOException {
        // A talker's words, then only their room's steady tone at -50 dBFS, some 35-40 dB below
        // them: the turn must end soon after the last word, or the user is never answered.
        for (String path : new String[] {"/usr/share/pocketsphinx/test/data/cards/001.wav",
                "/usr/share/asterisk/sounds/en/check-number-dial-again.wav"}) {
            short[] words = real(path).samples();
            short[] tone = roomTone(quietest(words), 3 * RATE, -50);
            short[] s = java.util.Arrays.copyOf(words, words.length + tone.length);
            System.arraycopy(tone, 0, s, words.length, tone.length);
            boolean[] d = run(s);
            int lastWord = lastLoud(words);
            assertThat(fraction(d, 0, lastWord)).as(path + ": the words").isGreaterThan(0.3);
            assertThat(fraction(d, lastWord + 25, d.length)).as(path + ": room tone from 500 ms after the last word").isZero();
        }
    }

    /** The quietest 100 ms of a recording: its room sound. */
    private static short[] quietest(short[] s) {
        int len = RATE / 10;
        double best = Double.MAX_VALUE;
        int at = 0;
        for (int i = 0; i + len <= s.length; i += len / 2) {
            double e = 0;
            for (int j = i; j < i + len; j++) {
                e += (double) s[j] * s[j];
            }
            if (e < best) {
                best = e;
                at = i;
            }
        }
        return java.util.Arrays.copyOfRange(s, at, at + len);
    }

    /** Steady room tone at {@code dbfs}: random 40 ms sine-windowed grains of {@code room}, overlap-added. */
    private static short[] roomTone(short[] room, int n, double dbfs) {
        int grain = RATE / 25;
        double[] acc = new double[n];
        Random r = new Random(7);
        for (int at = -grain / 2; at < n; at += grain / 2) {
            int from = r.nextInt(room.length - grain + 1);
            for (int k = Math.max(0, -at); k < grain && at + k < n; k++) {
                acc[at + k] += Math.sin(Math.PI * (k + 0.5) / grain) * room[from + k];
            }
        }
        double e = 0;
        for (double v : acc) {
            e += v * v;
        }
        double gain = 32768 * Math.pow(10, dbfs / 20) / Math.sqrt(e / n + 1e-9);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(acc[i] * gain)));
        }
        return out;
    }

    /** The 20 ms frame after the last one whose level reaches -45 dBFS. */
    private static int lastLoud(short[] s) {
        int last = 0;
        for (int f = 0; (f + 1) * 320 <= s.length; f++) {
            double e = 0;
            for (int i = f * 320; i < (f + 1) * 320; i++) {
                e += (double) s[i] * s[i];
            }
            if (10 * Math.log10(e / 320 / (32768.0 * 32768.0) + 1e-12) > -45) {
                last = f + 1;
            }
        }
        return last;
    }

    @Test
    void aDroppedObjectRingingOutIsNotSpeechButTheTalkerAfterItIs() throws IOException {
        short[] speech = real("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav").samples();
        float[] room = TestSignals.pink(4 * RATE + speech.length, 0.003, 8);
        Random r = new Random(4);
        // A bang at 1 s with 150 ms of ringing at 900 Hz, then bounces 200 and 320 ms later,
        // peaking at -10 dBFS.
        float[] drop = new float[room.length];
        ring(drop, RATE, 900, RATE * 150 / 1000, 1.5, r);
        ring(drop, RATE + RATE / 5, 1300, RATE * 60 / 1000, 0.6, r);
        ring(drop, RATE + RATE * 32 / 100, 700, RATE * 40 / 1000, 0.3, r);
        float peak = 0;
        for (float v : drop) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < room.length; i++) {
            room[i] += drop[i] * 0.3f / peak;
        }
        short[] s = new short[room.length];
        for (int i = 0; i < s.length; i++) {
            float v = room[i] * 32767 + (i >= 3 * RATE && i < 3 * RATE + speech.length ? speech[i - 3 * RATE] : 0);
            s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        boolean[] d = run(s);
        // The bang, its ringing and the louder bounces (1.0-1.32 s); the last bounce, barely
        // above the room noise, is not held back as a transient.
        assertThat(fraction(d, 45, 66)).as("the dropped object at 1.0-1.32 s").isZero();
        int on = onset(s, 150);
        assertThat(fraction(d, on, on + 100)).as("speech from %d", on).isGreaterThan(0.8);
    }

    /** A noisy excitation through a two-pole resonator, decaying over {@code len} samples. */
    private static void ring(float[] out, int at, double freq, int len, double amp, Random rnd) {
        double radius = Math.exp(-4.0 / len);
        double c = 2 * radius * Math.cos(2 * Math.PI * freq / RATE);
        double y1 = 0, y2 = 0;
        for (int i = 0; i < len; i++) {
            double x = i < len / 10 ? rnd.nextGaussian() : 0;
            double y = x + c * y1 - radius * radius * y2;
            y2 = y1;
            y1 = y;
            out[at + i] += (float) (amp * (0.2 * y + 0.3 * x));
        }
    }

    @Test
    void halfbandDecimatorPassesTheSpeechBandAndStopsWhatWouldFoldIntoIt() {
        assertThat(gainDb(1000)).isCloseTo(0, org.assertj.core.api.Assertions.within(0.2));
        assertThat(gainDb(2500)).isCloseTo(0, org.assertj.core.api.Assertions.within(0.5));
        assertThat(gainDb(6000)).isLessThan(-45);
    }

    private static double gainDb(double hz) {
        HalfbandDecimator dec = new HalfbandDecimator();
        int n = 4 * RATE;
        short[] x = new short[n];
        for (int i = 0; i < n; i++) {
            x[i] = (short) Math.round(16384 * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        // Odd block lengths, so the phase must carry over between blocks.
        float[] y = new float[n / 2 + 1];
        short[] block = new short[317];
        int produced = 0;
        for (int from = 0; from < n; from += block.length) {
            int count = Math.min(block.length, n - from);
            System.arraycopy(x, from, block, 0, count);
            produced += dec.process(block, count, 1, 1f / 16384, y, produced, new HalfbandDecimator.Work());
        }
        assertThat(produced).isEqualTo(n / 2);
        double in = 0, outEnergy = 0;
        for (int i = RATE; i < n; i++) {
            double v = x[i] / 16384.0;
            in += v * v;
        }
        for (int i = RATE / 2; i < produced; i++) {
            outEnergy += 2 * y[i] * y[i];
        }
        return 10 * Math.log10(outEnergy / in);
    }
}
