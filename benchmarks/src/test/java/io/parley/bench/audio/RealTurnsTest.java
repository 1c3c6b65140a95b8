package io.parley.bench.audio;

import static io.parley.audio.TestSignals.concat;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.Word;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Where the spliced turns' room sound comes from. */
class RealTurnsTest {

    private static final int MS = RealTurns.FORMAT.sampleRate() / 1000;

    /** {@code ms} of noise of about {@code amplitude}, or of a 200 Hz tone when {@code tone}. */
    private static short[] sound(int ms, int amplitude, boolean tone, SplittableRandom random) {
        short[] s = new short[ms * MS];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (tone ? amplitude * Math.sin(2 * Math.PI * 200 * i / (1000.0 * MS)) : random.nextInt(-amplitude, amplitude + 1));
        }
        return s;
    }

    private static double peak(short[] s) {
        int m = 0;
        for (short v : s) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static List<Word> wordAt(int fromMs, int toMs) {
        return List.of(new Word("word", Duration.ofMillis(fromMs), Duration.ofMillis(toMs), Double.NaN, -1));
    }

    @Test
    void aRecordingThatStartsAtOnceGivesTheRoomAroundItsWordsNotTheSoftPartOfAWord() {
        SplittableRandom random = new SplittableRandom(1);
        // 40 ms of room, a word with a soft 150 ms in its middle, 60 ms of room: the quietest
        // 100 ms of the whole recording lies in the word.
        short[] s = concat(sound(40, 3, false, random), sound(300, 8000, true, random), sound(150, 300, true, random),
                sound(300, 8000, true, random), sound(60, 3, false, random));
        short[] room = RealTurns.background(s, wordAt(40, 790));
        assertThat(room.length).isGreaterThanOrEqualTo(40 * MS);
        assertThat(peak(room)).isLessThanOrEqualTo(3);
    }

    @Test
    void aLongLeadInGivesItsQuietest100MsUnlessTheWordAlreadyBeganInIt() {
        SplittableRandom random = new SplittableRandom(2);
        short[] quietLead = concat(sound(300, 20, false, random), sound(500, 8000, true, random), sound(40, 20, false, random));
        short[] room = RealTurns.background(quietLead, wordAt(300, 800));
        assertThat(room.length).isEqualTo(100 * MS);
        assertThat(peak(room)).isBetween(2.0, 20.0);
        // The alignment puts the word 240 ms late: every 100 ms of the lead-in holds some of the
        // word, far louder than the room around it.
        short[] lateAligned = concat(sound(60, 3, false, random), sound(600, 8000, true, random), sound(60, 3, false, random));
        assertThat(peak(RealTurns.background(lateAligned, wordAt(300, 700)))).isLessThanOrEqualTo(3);
    }
}
