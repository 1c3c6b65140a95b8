package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A word loop (any sequence of a vocabulary's words, as a grammar for open answers) on real
 * recordings in noise: the decoder must not explain the noise and the ends of words with extra
 * short words ("a", "of", "is"), which also make a turn detector take finished turns for
 * unfinished ones.
 */
class PocketSphinxWordLoopInNoiseTest {

    @Test
    void aWordLoopInPinkNoiseDoesNotFillUtterancesWithShortWords() throws Exception {
        List<String[]> set = new ArrayList<>();
        Path cards = SpeechFixtures.TESTDATA.resolve("cards");
        for (String line : Files.readAllLines(cards.resolve("cards.transcription"))) {
            set.add(new String[] {cards.resolve(id(line) + ".wav").toString(), ref(line)});
        }
        Path librivox = SpeechFixtures.TESTDATA.resolve("librivox");
        for (String line : Files.readAllLines(librivox.resolve("transcription"))) {
            set.add(new String[] {librivox.resolve(id(line) + ".wav").toString(), ref(line)});
        }
        TreeSet<String> vocabulary = new TreeSet<>();
        set.forEach(s -> vocabulary.addAll(List.of(s[1].split(" "))));
        String loop = "#JSGF V1.0;\ngrammar loop;\npublic <s> = ( " + String.join(" | ", vocabulary) + " )+ ;\n";
        PocketSphinxStt stt = PocketSphinxStt.builder().grammar(loop).wordInsertionPenalty(0.01).silenceProbability(0.1).build();

        CollectingSttListener listener = new CollectingSttListener();
        int errors = 0;
        int words = 0;
        List<String> heard = new ArrayList<>();
        try (SttStream stream = stt.open(new SttRequest("loop", AudioFormat.PCM_16K_MONO, Duration.ZERO, ""), listener)) {
            for (String[] s : set) {
                SpeechFixtures.feed(stream, inPinkNoise(SpeechFixtures.readWav(Path.of(s[0])), 10, s[0].hashCode()));
                stream.finalizeUtterance();
                String hyp = listener.nextFinal().text();
                heard.add(hyp);
                errors += WordErrorRate.errors(s[1], hyp);
                words += WordErrorRate.words(s[1]).size();
            }
        }
        double wer = (double) errors / words;
        System.out.printf("word loop, pink noise 10 dB: WER %.1f %% (%d errors in %d words): %s%n", 100 * wer, errors, words, heard);
        // With PocketSphinx's own penalty and silence probability (0.65, 0.005) the word error rate
        // here is 63 % ("he was not an ill disposed young man" heard as "be his not an ill disposed
        // he and man", "he might even have been made amiable himself" as "a five even of been made
        // he a he a for of still").
        assertThat(wer).as("word error rate; heard %s", heard).isLessThan(0.5);
    }

    @Test
    void thePenaltyAndTheSilenceProbabilityAreProbabilities() {
        for (double bad : new double[] {0, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> PocketSphinxStt.builder().wordInsertionPenalty(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wordInsertionPenalty");
            assertThatThrownBy(() -> PocketSphinxStt.builder().silenceProbability(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("silenceProbability");
        }
        PocketSphinxStt set = PocketSphinxStt.builder().wordInsertionPenalty(0.2).silenceProbability(1).build();
        assertThat(set.wordInsertionPenalty()).isEqualTo(0.2);
        assertThat(set.silenceProbability()).isEqualTo(1.0);
        assertThat(PocketSphinxStt.create().wordInsertionPenalty()).isEqualTo(0.65);
        assertThat(PocketSphinxStt.create().silenceProbability()).isEqualTo(0.005);
    }

    private static String id(String line) {
        return line.substring(line.lastIndexOf('(') + 1, line.lastIndexOf(')'));
    }

    private static String ref(String line) {
        return line.replaceAll("<s>|</s>|\\(.*\\)", "").trim().replaceAll("\\s+", " ");
    }

    /**
     * The recording followed by a second of its quietest, in pink noise (Paul Kellet's filter on
     * seeded Gaussian noise) {@code snrDb} below the recording's power.
     */
    private static short[] inPinkNoise(short[] speech, double snrDb, long seed) {
        short[] s = java.util.Arrays.copyOf(speech, speech.length + 16_000);
        double e = 0;
        for (short v : speech) {
            e += (double) v * v;
        }
        double gain = Math.sqrt(e / speech.length) / Math.pow(10, snrDb / 20);
        Random rnd = new Random(seed);
        double b0 = 0;
        double b1 = 0;
        double b2 = 0;
        double[] pink = new double[s.length];
        double p = 0;
        for (int i = 0; i < s.length; i++) {
            double w = rnd.nextGaussian();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            pink[i] = b0 + b1 + b2 + w * 0.1848;
            p += pink[i] * pink[i];
        }
        double unit = Math.sqrt(p / s.length);
        short[] out = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(s[i] + gain * pink[i] / unit)));
        }
        return out;
    }
}
