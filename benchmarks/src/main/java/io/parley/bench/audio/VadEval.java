package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFrame;
import io.parley.audio.SpectralNoiseSuppressor;
import io.parley.audio.vad.DspVad;
import io.parley.providers.local.vad.SileroVad;
import io.parley.spi.Vad;
import io.parley.spi.VadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Scores DspVad, DspVad behind the SpectralNoiseSuppressor, and Silero VAD side by side on
 * labelled real and synthesized speech in generated noise, and prints one table.
 *
 * <p>The test stream is real speech only: every pocketsphinx-testdata recording and a set of
 * asterisk-core-sounds-en-wav telephone prompts (see {@link SpeechCorpus}), each preceded by
 * 0.6-1.4 s of faint room noise (pink, 60 dB below the speech). The impulsive condition mixes
 * in knocks, typing and a dropped object ({@link Noises#impulsive}). Three streams without any
 * speech (digital zeros, +-2 LSB dither, and pink noise that starts after three seconds of
 * zeros) count false speech segments, of which there should be none; each recording is also
 * played after half a second of digital zeros, to time how soon its first syllable is heard. Labels come from the clean stream ({@link GroundTruth}); a 20 ms frame is
 * speech when either of its 10 ms blocks is. The noisy streams add pink noise, six-talker
 * babble (other espeak sentences) or clicks, at 15 and 5 dB SNR measured against the RMS of
 * the labelled speech.
 *
 * <p>"DspVad+gate" is DspVad with {@code talkerGateDb(14)}, which discounts sound far below
 * the recent speech level (background talk).
 *
 * <p>Scores are per 20 ms frame, for the debounced decision each detector reports
 * ({@code speech()}) and for its raw probability at 0.5. False-alarm rate is the share of
 * non-speech frames called speech. CPU is the evaluating thread's CPU time per 20 ms frame,
 * after a warm-up pass, including the suppressor where it is used and the frame copy.
 *
 * <p>The scored split is described above; {@code tuning} as the argument runs the tuning split
 * instead (other Asterisk prompts, other gaps and noise seeds), on which DspVad's constants
 * are chosen before they are checked on the scored split.
 *
 * <p>Run: {@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.audio.VadEval [-Dbench.args=tuning]}
 */
public final class VadEval {

    private static final int FRAME_MS = 20;

    private VadEval() {
    }

    public static void main(String[] args) throws Exception {
        boolean tuning = args.length > 0 && args[0].equals("tuning");
        if (args.length > 0 && !tuning) {
            throw new IllegalArgumentException("usage: VadEval [tuning]");
        }
        SpeechCorpus corpus = new SpeechCorpus();
        List<SpeechCorpus.Named> clips = new ArrayList<>(tuning ? List.of() : corpus.realSpeech());
        int realCount = clips.size();
        clips.addAll(tuning ? corpus.tuningPrompts() : corpus.telephonePrompts());
        // The tuning split differs in speech, gaps and every noise seed.
        int seed = tuning ? 100 : 0;
        Stream stream = Stream.build(clips, new Random(42 + seed));
        System.out.printf(Locale.ROOT, "%s split (real speech only): %d pocketsphinx-testdata recordings + %d asterisk-core-sounds-en-wav prompts,"
                + " %.1f s, %.0f%% speech frames; gaps hold room noise 60 dB below the speech; load average %s%n",
                tuning ? "Tuning" : "Scored", realCount, clips.size() - realCount, stream.clean.length / 16_000.0,
                100.0 * stream.speechFraction(), io.parley.bench.local.FinalizeLatency.loadAverage());
        System.out.println("Labels: energy on the clean signal (>= floor+12 dB and >= peak-40 dB per 10 ms, gaps < 200 ms bridged, islands < 40 ms dropped)");
        System.out.println();

        float[] pink = Noises.pink(stream.clean.length, 1 + seed);
        float[] babble = Noises.babble(stream.clean.length, corpus.babbleSpeech(), 6, 2 + seed);
        float[] clicks = Noises.clicks(stream.clean.length, 3 + seed);
        float[] impulsive = Noises.impulsive(stream.clean.length, 16_000, 4 + seed);

        try (SileroVad silero = SileroVad.defaults()) {
            Detector[] detectors = {
                new Detector("DspVad", () -> DspVad.defaults().create(SpeechCorpus.FORMAT), false),
                new Detector("DspVad+NS", () -> DspVad.defaults().create(SpeechCorpus.FORMAT), true),
                new Detector("DspVad+gate", () -> DspVad.builder().talkerGateDb(14).build().create(SpeechCorpus.FORMAT), false),
                new Detector("Silero", () -> silero.create(SpeechCorpus.FORMAT), false),
            };
            // -Dvadeval.only=DspVad scores one detector, for quick tuning runs.
            String only = System.getProperty("vadeval.only");
            if (only != null) {
                detectors = java.util.Arrays.stream(detectors).filter(d -> d.name.equals(only)).toArray(Detector[]::new);
            }
            for (Detector d : detectors) {
                d.run(stream.cleanClip(), stream.frameLabels); // warm-up
            }
            System.out.println("| condition   | detector    | precision | recall |   F1  | false alarm | false segs/min | F1 (p>=0.5) | CPU us/frame |");
            System.out.println("|-------------|-------------|-----------|--------|-------|-------------|----------------|-------------|--------------|");
            String[] names = {"clean", "pink 15dB", "pink 5dB", "babble 15dB", "babble 5dB", "clicks 15dB", "clicks 5dB",
                "impulse 15dB", "impulse 5dB"};
            float[][] noises = {null, pink, pink, babble, babble, clicks, clicks, impulsive, impulsive};
            double[] snrs = {Double.NaN, 15, 5, 15, 5, 15, 5, 15, 5};
            for (int c = 0; c < names.length; c++) {
                AudioClip audio = noises[c] == null ? stream.cleanClip() : stream.mix(noises[c], snrs[c]);
                for (Detector d : detectors) {
                    Score s = d.run(audio, stream.frameLabels);
                    System.out.printf(Locale.ROOT, "| %-11s | %-11s |   %.3f   | %.3f  | %.3f |    %.3f    |     %5.1f      |    %.3f    |    %7.2f   |%n",
                            names[c], d.name, s.precision(), s.recall(), s.f1(), s.falseAlarmRate(), s.falseSegmentsPerMinute(),
                            s.rawF1, s.microsPerFrame);
                }
            }
            System.out.println();
            System.out.println("No speech at all, 60 s each: false speech segments (any is wrong)");
            System.out.println("| input                                         | detector    | false segments | speech frames |");
            System.out.println("|-----------------------------------------------|-------------|----------------|---------------|");
            int len = 60 * 16_000;
            short[] zeros = new short[len];
            short[] lsb = new short[len];
            short[] afterZeros = new short[len];
            Random r = new Random(5 + seed);
            float[] pinkTail = Noises.pink(len, 6 + seed);
            for (int i = 0; i < len; i++) {
                // Dither of +-2 LSB, about -85 dBFS peak and -90 dBFS RMS: a muted microphone's last bits.
                lsb[i] = (short) (r.nextInt(5) - 2);
                // Three seconds of digital zeros, then pink noise at -45 dBFS RMS.
                afterZeros[i] = i < 3 * 16_000 ? 0 : (short) Math.round(pinkTail[i] * 32768 * Math.pow(10, -45 / 20.0));
            }
            String[] silentNames = {"digital silence (zeros)", "near-silence (+-2 LSB dither)", "pink noise -45 dBFS after 3 s of zeros"};
            short[][] silent = {zeros, lsb, afterZeros};
            boolean[] none = new boolean[len / 16_000 * 1000 / FRAME_MS];
            for (int c = 0; c < silent.length; c++) {
                for (Detector d : detectors) {
                    Score sc = d.run(new AudioClip(SpeechCorpus.FORMAT, silent[c]), none);
                    System.out.printf(Locale.ROOT, "| %-45s | %-11s |      %3d       |     %5d     |%n", silentNames[c], d.name,
                            sc.falseSegments, sc.fp);
                }
            }
            System.out.println();
            System.out.println("Each recording after 0.5 s of digital zeros: ms from its first sound (10 ms >= -40 dBFS) to speech onset");
            System.out.println("| detector    | recordings | median | p90 | max | never heard |");
            System.out.println("|-------------|------------|--------|-----|-----|-------------|");
            for (Detector d : detectors) {
                int[] delays = onsetsAfterZeros(clips, d);
                int heard = delays.length - (int) java.util.Arrays.stream(delays).filter(x -> x == Integer.MAX_VALUE).count();
                int last = Math.max(0, heard - 1);
                System.out.printf(Locale.ROOT, "| %-11s |     %3d    |  %4d  | %3d | %3d |      %d      |%n", d.name, delays.length,
                        delays[last / 2], delays[(int) (0.9 * last)], delays[last], delays.length - heard);
            }
            if (only != null) {
                return;
            }
            System.out.println();
            System.out.println("SpectralNoiseSuppressor on the same mixes (output aligned by its latency):");
            System.out.println("| condition   | SDR in | SDR out | SDR gain | noise cut in pauses | speech level vs clean |");
            System.out.println("|-------------|--------|---------|----------|---------------------|-----------------------|");
            for (int c = 1; c < names.length; c++) {
                double[] m = suppressorMetrics(stream, stream.mix(noises[c], snrs[c]));
                System.out.printf(Locale.ROOT, "| %-11s | %5.1f  |  %5.1f  |  %+5.1f   |       %5.1f dB      |       %+5.1f dB        |%n",
                        names[c], m[0], m[1], m[1] - m[0], m[2], m[3]);
            }
        }
    }

    /**
     * For each clip after half a second of digital zeros: the delay from its first sound to
     * the detector's first speech frame in ms, sorted, with {@code Integer.MAX_VALUE} where
     * speech was never reported. A speaker who starts right after a silent stream opens (or a
     * muted microphone) must be heard from the first syllable, not once the noise estimate has
     * learned the speech as background.
     */
    private static int[] onsetsAfterZeros(List<SpeechCorpus.Named> clips, Detector d) {
        int lead = SpeechCorpus.FORMAT.sampleRate() / 2;
        int block = SpeechCorpus.FORMAT.sampleRate() / 100;
        int[] out = new int[clips.size()];
        for (int c = 0; c < clips.size(); c++) {
            short[] speech = clips.get(c).clip().samples();
            int first = 0;
            while (first + block <= speech.length && blockDb(speech, first, block) < -40) {
                first += block;
            }
            short[] s = new short[lead + speech.length];
            System.arraycopy(speech, 0, s, lead, speech.length);
            AudioClip clip = new AudioClip(SpeechCorpus.FORMAT, s);
            Vad vad = d.factory.get();
            AudioFrame frame = AudioFrame.allocate(clip.format(), clip.format().samplesFor(FRAME_MS));
            out[c] = Integer.MAX_VALUE;
            for (int i = 0; i < clip.frameCount(FRAME_MS); i++) {
                if (vad.process(clip.frame(i, FRAME_MS, frame)).speech()) {
                    out[c] = i * FRAME_MS - (lead + first) * 1000 / SpeechCorpus.FORMAT.sampleRate();
                    break;
                }
            }
        }
        java.util.Arrays.sort(out);
        return out;
    }

    private static double blockDb(short[] s, int from, int n) {
        double e = 0;
        for (int i = from; i < from + n; i++) {
            e += (double) s[i] * s[i];
        }
        return 10 * Math.log10(e / n / (32768.0 * 32768.0) + 1e-12);
    }

    /**
     * Signal-to-distortion ratio of the input and of the aligned output against the clean
     * speech over the whole stream (residual noise and speech distortion both count as
     * error), the energy removed from frames labelled non-speech, and the output's energy in
     * speech frames relative to the clean speech's.
     */
    private static double[] suppressorMetrics(Stream stream, AudioClip noisy) {
        SpectralNoiseSuppressor ns = new SpectralNoiseSuppressor();
        AudioFrame frame = AudioFrame.allocate(noisy.format(), noisy.format().samplesFor(FRAME_MS));
        short[] out = new short[noisy.length()];
        int o = 0;
        for (int i = 0; i < noisy.frameCount(FRAME_MS); i++) {
            noisy.frame(i, FRAME_MS, frame);
            ns.process(frame, frame);
            System.arraycopy(frame.samples(), 0, out, o, frame.length());
            o += frame.length();
        }
        int lag = (int) noisy.format().samplesForNanos(ns.latencyNanos());
        short[] clean = stream.clean;
        short[] in = noisy.samples();
        int per = SpeechCorpus.FORMAT.samplesFor(FRAME_MS);
        double sig = 0, errIn = 0, errOut = 0, pauseIn = 0, pauseOut = 0, speechClean = 0, speechOut = 0;
        for (int i = 0; i + lag < out.length; i++) {
            double s = clean[i];
            double x = in[i];
            double z = out[i + lag];
            sig += s * s;
            errIn += (x - s) * (x - s);
            errOut += (z - s) * (z - s);
            int f = i / per;
            if (f < stream.frameLabels.length) {
                if (stream.frameLabels[f]) {
                    speechClean += s * s;
                    speechOut += z * z;
                } else {
                    pauseIn += x * x;
                    pauseOut += z * z;
                }
            }
        }
        return new double[] {
            10 * Math.log10(sig / errIn), 10 * Math.log10(sig / errOut),
            10 * Math.log10(pauseIn / pauseOut), 10 * Math.log10(speechOut / speechClean)};
    }

    /** The labelled test stream. */
    static final class Stream {
        final short[] clean;
        final boolean[] frameLabels;
        final double speechRms;

        private Stream(short[] clean, boolean[] blockLabels) {
            this.clean = clean;
            int frames = clean.length / SpeechCorpus.FORMAT.samplesFor(FRAME_MS);
            this.frameLabels = new boolean[frames];
            int per = FRAME_MS / GroundTruth.BLOCK_MS;
            double e = 0;
            long n = 0;
            int block = SpeechCorpus.FORMAT.samplesFor(GroundTruth.BLOCK_MS);
            for (int b = 0; b < blockLabels.length; b++) {
                if (blockLabels[b]) {
                    if (b / per < frames) {
                        frameLabels[b / per] = true;
                    }
                    for (int i = b * block; i < (b + 1) * block; i++) {
                        e += (double) clean[i] * clean[i];
                    }
                    n += block;
                }
            }
            this.speechRms = Math.sqrt(e / n);
        }

        static Stream build(List<SpeechCorpus.Named> clips, Random rnd) {
            int block = SpeechCorpus.FORMAT.samplesFor(GroundTruth.BLOCK_MS);
            List<short[]> parts = new ArrayList<>();
            List<boolean[]> labels = new ArrayList<>();
            for (SpeechCorpus.Named c : clips) {
                int gapBlocks = 60 + rnd.nextInt(81);
                parts.add(new short[gapBlocks * block]);
                labels.add(new boolean[gapBlocks]);
                boolean[] l = GroundTruth.label(c.clip());
                parts.add(java.util.Arrays.copyOf(c.clip().samples(), l.length * block));
                labels.add(l);
            }
            parts.add(new short[100 * block]);
            labels.add(new boolean[100]);
            int total = parts.stream().mapToInt(p -> p.length).sum();
            short[] all = new short[total];
            // A real microphone is never digitally silent between utterances: faint room noise
            // 60 dB below the speech (digital silence has its own test).
            float[] room = Noises.pink(total, 99);
            boolean[] lab = new boolean[total / block];
            int o = 0;
            int lo = 0;
            for (int i = 0; i < parts.size(); i++) {
                System.arraycopy(parts.get(i), 0, all, o, parts.get(i).length);
                System.arraycopy(labels.get(i), 0, lab, lo, labels.get(i).length);
                o += parts.get(i).length;
                lo += labels.get(i).length;
            }
            Stream plain = new Stream(all, lab);
            double g = plain.speechRms / 1000.0;
            for (int i = 0; i < total; i++) {
                all[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(all[i] + g * room[i])));
            }
            return new Stream(all, lab);
        }

        AudioClip cleanClip() {
            return new AudioClip(SpeechCorpus.FORMAT, clean);
        }

        /** The clean stream plus {@code noise} (unit RMS) scaled to {@code snrDb} below the speech. */
        AudioClip mix(float[] noise, double snrDb) {
            double g = speechRms / Math.pow(10, snrDb / 20);
            short[] out = new short[clean.length];
            for (int i = 0; i < out.length; i++) {
                long v = Math.round(clean[i] + g * noise[i]);
                out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            }
            return new AudioClip(SpeechCorpus.FORMAT, out);
        }

        double speechFraction() {
            int n = 0;
            for (boolean b : frameLabels) {
                n += b ? 1 : 0;
            }
            return n / (double) frameLabels.length;
        }
    }

    /** A detector under test. */
    private static final class Detector {
        final String name;
        final java.util.function.Supplier<Vad> factory;
        final boolean suppress;

        Detector(String name, java.util.function.Supplier<Vad> factory, boolean suppress) {
            this.name = name;
            this.factory = factory;
            this.suppress = suppress;
        }

        Score run(AudioClip audio, boolean[] labels) {
            Vad vad = factory.get();
            SpectralNoiseSuppressor ns = suppress ? new SpectralNoiseSuppressor() : null;
            int frames = labels.length;
            AudioFrame frame = AudioFrame.allocate(audio.format(), audio.format().samplesFor(FRAME_MS));
            boolean[] decision = new boolean[frames];
            boolean[] raw = new boolean[frames];
            // The suppressor delays audio by a fixed latency; score each decision against the
            // frame it is about by looking that many frames later (rounded) for suppressed runs.
            int lagFrames = 0;
            // Thread CPU time rather than wall time: on a shared machine the thread is often
            // descheduled, which says nothing about what the detector costs.
            java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < frames; i++) {
                audio.frame(i, FRAME_MS, frame);
                if (ns != null) {
                    ns.process(frame, frame);
                }
                VadResult r = vad.process(frame);
                decision[i] = r.speech();
                raw[i] = r.probability() >= 0.5f;
            }
            long elapsed = cpu.getCurrentThreadCpuTime() - start;
            if (ns != null) {
                lagFrames = (int) Math.round(ns.latencyNanos() / (FRAME_MS * 1e6));
            }
            Score s = new Score();
            Score rs = new Score();
            for (int i = 0; i < frames; i++) {
                int j = Math.min(frames - 1, i + lagFrames);
                s.add(labels[i], decision[j]);
                rs.add(labels[i], raw[j]);
            }
            // A false speech segment: a run of speech decisions that touches no labelled speech.
            int i = 0;
            while (i < frames) {
                int j = Math.min(frames - 1, i + lagFrames);
                if (!decision[j]) {
                    i++;
                    continue;
                }
                boolean touches = false;
                int k = i;
                while (k < frames && decision[Math.min(frames - 1, k + lagFrames)]) {
                    touches |= labels[k];
                    k++;
                }
                if (!touches) {
                    s.falseSegments++;
                }
                i = k;
            }
            s.minutes = frames * FRAME_MS / 60_000.0;
            s.rawF1 = rs.f1();
            s.microsPerFrame = elapsed / 1e3 / frames;
            return s;
        }
    }

    /** Frame counts and the ratios derived from them. */
    static final class Score {
        long tp, fp, fn, tn;
        int falseSegments;
        double minutes;
        double rawF1;
        double microsPerFrame;

        void add(boolean truth, boolean said) {
            if (truth && said) {
                tp++;
            } else if (said) {
                fp++;
            } else if (truth) {
                fn++;
            } else {
                tn++;
            }
        }

        double precision() {
            return tp + fp == 0 ? 0 : tp / (double) (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 0 : tp / (double) (tp + fn);
        }

        double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        double falseSegmentsPerMinute() {
            return minutes == 0 ? 0 : falseSegments / minutes;
        }

        double falseAlarmRate() {
            return fp + tn == 0 ? 0 : fp / (double) (fp + tn);
        }
    }
}
