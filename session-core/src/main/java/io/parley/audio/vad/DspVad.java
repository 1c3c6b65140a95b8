package io.parley.audio.vad;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.spi.Vad;
import io.parley.spi.VadProvider;
import io.parley.spi.VadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Parley's default voice activity detector: pure Java DSP, no model file, a few microseconds
 * per frame.
 *
 * <p>Every 10 ms the latest 12-21 ms of audio is windowed and transformed (JTransforms); the noise power in every
 * bin of the speech band (150 Hz to 4 kHz) is tracked by minimum statistics, so the detector
 * adapts to steady background noise within about a second. The speech probability comes from
 * the per-bin likelihood ratio of "speech plus noise" against "noise" (the statistical model
 * of Sohn, Kim and Sung, with a decision-directed a-priori SNR), averaged over the band: a
 * spectral test that stays reliable where a plain energy threshold drifts with the noise level.
 * Background talk (babble, a television) passes that test too; with
 * {@link Builder#talkerGateDb(float)} set, the probability is also discounted for sounds more
 * than that many dB below the level of the speech recently heard, since the person talking
 * into the microphone is usually the loudest talker. The gate is off by default because it
 * also trims the quiet ends of words, which splits speech into more pieces.
 *
 * <p>Three guards keep it to people talking: a band level below about -75 dBFS (digital
 * silence, a muted microphone's last bits) is never speech, and after a while of it the noise
 * estimate starts afresh from the next sound's quietest moments, so noise that starts after
 * zeros is learned as noise while speech after zeros is still heard; a sudden onset outside
 * speech is held back at least 40 ms and dropped if it decays like a knock, click or dropped
 * object (fallen 12 dB below its peak, or steadily by 6 dB), and so is what it rings out into;
 * and outside speech, a sound more than 25 dB below the talker's recent level (a breath, a
 * distant noise) cannot start speech. From 16 kHz up the audio is analysed at half its rate,
 * which halves the FFT.
 *
 * <p>The decision is debounced the way Silero VAD users know: it switches to speech once the
 * (lightly smoothed) probability has stayed at or above {@code activationThreshold} for
 * {@code minSpeech}, and back to silence once it has stayed below {@code deactivationThreshold}
 * for {@code minSilence}; in heavy noise (the talker less than about 22 dB above the quietest
 * recent sound) up to 100 ms more, because there the quiet ends of words drown and the
 * probability dips inside words. {@code prefixPadding} widens the segments reported by
 * {@link #detect(AudioClip)}. The defaults were chosen on the tuning split of
 * {@code VadEval} in {@code benchmarks} and checked on its scored split.
 *
 * <p>Supports 8 000 to 48 000 Hz (any channel count, mixed down to mono for analysis).
 * Detectors created by {@link #create(AudioFormat)} are not thread-safe and do not allocate
 * per frame. What a frame works in and no later frame needs (its samples, the spectrum) is
 * held once per thread and shared by the detectors that thread runs, so that thousands of
 * streams do not each keep it apart in memory: a thread's first frame, and the first longer
 * frame or window it meets, allocate it.
 */
public final class DspVad implements VadProvider {

    private final float activationThreshold;
    private final float deactivationThreshold;
    private final Duration minSpeech;
    private final Duration minSilence;
    private final Duration prefixPadding;
    private final float sensitivity;
    private final float talkerGateDb;

    private DspVad(Builder b) {
        this.activationThreshold = b.activationThreshold;
        this.deactivationThreshold = b.deactivationThreshold;
        this.minSpeech = b.minSpeech;
        this.minSilence = b.minSilence;
        this.prefixPadding = b.prefixPadding;
        this.sensitivity = b.sensitivity;
        this.talkerGateDb = b.talkerGateDb;
    }

    /** The default configuration (see {@link Builder} for the values). */
    public static DspVad defaults() {
        return builder().build();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "dsp";
    }

    /**
     * A detector for one stream.
     *
     * @throws IllegalArgumentException if the sample rate is below 8 kHz or above 48 kHz
     */
    @Override
    public Vad create(AudioFormat format) {
        Objects.requireNonNull(format, "format");
        if (format.sampleRate() < 8_000 || format.sampleRate() > 48_000) {
            throw new IllegalArgumentException("DspVad supports 8000..48000 Hz, was " + format.sampleRate());
        }
        return new DspVadStream(this, format);
    }

    /**
     * Runs a fresh detector over a whole clip in frames of 20 ms and returns the speech
     * segments, each started {@code prefixPadding} early (clamped at zero) so that word onsets
     * the debounce let through late are included, and merged where they then overlap.
     */
    public List<SpeechSegment> detect(AudioClip clip) {
        Vad vad = create(clip.format());
        AudioFrame frame = AudioFrame.allocate(clip.format(), clip.format().samplesFor(20));
        List<SpeechSegment> out = new ArrayList<>();
        long start = -1;
        long pad = prefixPadding.toNanos();
        int frames = clip.frameCount(20);
        for (int i = 0; i < frames; i++) {
            clip.frame(i, 20, frame);
            boolean speech = vad.process(frame).speech();
            long t = frame.timestampNanos();
            if (speech && start < 0) {
                start = Math.max(0, t - minSpeech.toNanos() - pad);
            } else if (!speech && start >= 0) {
                add(out, start, Math.max(start, t - minSilence.toNanos()));
                start = -1;
            }
        }
        if (start >= 0) {
            add(out, start, clip.durationNanos());
        }
        return out;
    }

    private static void add(List<SpeechSegment> out, long start, long end) {
        if (!out.isEmpty() && out.get(out.size() - 1).endNanos() >= start) {
            SpeechSegment last = out.remove(out.size() - 1);
            out.add(new SpeechSegment(last.startNanos(), Math.max(end, last.endNanos())));
        } else {
            out.add(new SpeechSegment(start, end));
        }
    }

    float activationThreshold() {
        return activationThreshold;
    }

    float deactivationThreshold() {
        return deactivationThreshold;
    }

    Duration minSpeech() {
        return minSpeech;
    }

    Duration minSilence() {
        return minSilence;
    }

    float sensitivity() {
        return sensitivity;
    }

    float talkerGateDb() {
        return talkerGateDb;
    }

    @Override
    public String toString() {
        return "DspVad[activation=" + activationThreshold + ", deactivation=" + deactivationThreshold
                + ", minSpeech=" + minSpeech.toMillis() + "ms, minSilence=" + minSilence.toMillis()
                + "ms, prefixPadding=" + prefixPadding.toMillis() + "ms, sensitivity=" + sensitivity
                + ", talkerGateDb=" + talkerGateDb + "]";
    }

    /**
     * A stretch of detected speech in a clip.
     *
     * @param startNanos offset of the first speech sample from the start of the clip
     * @param endNanos   offset just past the last speech sample
     */
    public record SpeechSegment(long startNanos, long endNanos) {
        public SpeechSegment {
            if (startNanos < 0 || endNanos < startNanos) {
                throw new IllegalArgumentException("invalid segment " + startNanos + ".." + endNanos);
            }
        }

        /** Length of the segment. */
        public Duration duration() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    /** Configuration; every value is checked by {@link #build()}. */
    public static final class Builder {
        private float activationThreshold = 0.5f;
        private float deactivationThreshold = 0.35f;
        private Duration minSpeech = Duration.ofMillis(16);
        private Duration minSilence = Duration.ofMillis(150);
        private Duration prefixPadding = Duration.ofMillis(300);
        private float sensitivity = 1.0f;
        private float talkerGateDb;

        private Builder() {
        }

        /**
         * Discounts sounds more than this many dB below the recently heard speech level as
         * background talk; 0 turns the gate off [0]. About 14 rejects babble 15 dB below the
         * talker, at the price of some recall on quiet word endings.
         */
        public Builder talkerGateDb(float v) {
            talkerGateDb = v;
            return this;
        }

        /** Probability at or above which a frame counts towards speech onset [0.5]. */
        public Builder activationThreshold(float v) {
            activationThreshold = v;
            return this;
        }

        /** Probability below which a frame counts towards the end of speech [0.35]. */
        public Builder deactivationThreshold(float v) {
            deactivationThreshold = v;
            return this;
        }

        /**
         * How long the probability must stay high before speech is declared [16 ms]. Sudden
         * onsets are held back 40 ms or more anyway, to tell a knock or click from a voice.
         */
        public Builder minSpeech(Duration v) {
            requireArg(v, "minSpeech");
            minSpeech = v;
            return this;
        }

        /**
         * How long the probability must stay low before silence is declared (hangover) [150 ms];
         * up to 100 ms more in heavy noise.
         */
        public Builder minSilence(Duration v) {
            requireArg(v, "minSilence");
            minSilence = v;
            return this;
        }

        /** Audio before each onset included in {@link DspVad#detect(AudioClip)} segments [300 ms]. */
        public Builder prefixPadding(Duration v) {
            requireArg(v, "prefixPadding");
            prefixPadding = v;
            return this;
        }

        /**
         * Scales the likelihood ratio before it becomes a probability [1.0]; above 1 finds
         * quieter speech at the cost of more false alarms in noise, below 1 the reverse.
         */
        public Builder sensitivity(float v) {
            sensitivity = v;
            return this;
        }

        /**
         * @throws IllegalArgumentException if a threshold is outside 0..1, the deactivation threshold
         *                                  exceeds the activation threshold, a duration is negative or
         *                                  above 10 s, the sensitivity is not within 0.1..10, or the
         *                                  talker gate is neither 0 nor within 6..40 dB
         */
        public DspVad build() {
            if (!(activationThreshold > 0 && activationThreshold < 1)) {
                throw new IllegalArgumentException("activationThreshold must be within (0, 1), was " + activationThreshold);
            }
            if (!(deactivationThreshold > 0 && deactivationThreshold <= activationThreshold)) {
                throw new IllegalArgumentException("deactivationThreshold must be within (0, activationThreshold="
                        + activationThreshold + "], was " + deactivationThreshold);
            }
            checkDuration("minSpeech", minSpeech);
            checkDuration("minSilence", minSilence);
            checkDuration("prefixPadding", prefixPadding);
            if (!(talkerGateDb == 0 || (talkerGateDb >= 6 && talkerGateDb <= 40))) {
                throw new IllegalArgumentException("talkerGateDb must be 0 (off) or within 6..40, was " + talkerGateDb);
            }
            if (!(sensitivity >= 0.1f && sensitivity <= 10f)) {
                throw new IllegalArgumentException("sensitivity must be within 0.1..10, was " + sensitivity);
            }
            return new DspVad(this);
        }

        private static void checkDuration(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException(name + " must be within 0..10 s, was " + d);
            }
        }
    }

    private static Duration requireArg(Duration v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return v;
    }
}
