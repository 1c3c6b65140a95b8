package io.parley.providers.local.stt;

import io.parley.audio.AudioFormat;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TmpFreeFormTimingTest {
    @Test
    void dump() throws Exception {
        FreeTtsTts tts = FreeTtsTts.create();
        PocketSphinxStt stt = PocketSphinxStt.builder().interimInterval(Duration.ofMillis(100)).rescore(true).build();
        CollectingSttListener listener = new CollectingSttListener();
        short[] first = SpeechFixtures.speak(tts, "please tell me the time and");
        try (SttStream stream = stt.open(new SttRequest("s", AudioFormat.PCM_16K_MONO, Duration.ofSeconds(5), "en-US"), listener)) {
            SpeechFixtures.feed(stream, SpeechFixtures.silence(500));
            SpeechFixtures.feed(stream, first);
            SpeechFixtures.feed(stream, SpeechFixtures.silence(800));
            stream.finalizeUtterance();
            Transcript t1 = listener.nextFinal();
            System.out.println("DBG speech 500.." + (500 + first.length / 16));
            for (Transcript t : listener.interims) {
                StringBuilder sb = new StringBuilder("DBG interim");
                t.words().forEach(w -> sb.append(' ').append(w.text()).append('@').append(w.start().toMillis()).append("..").append(w.end().toMillis()));
                System.out.println(sb);
            }
            StringBuilder sb = new StringBuilder("DBG final");
            t1.words().forEach(w -> sb.append(' ').append(w.text()).append('@').append(w.start().toMillis()).append("..").append(w.end().toMillis()));
            System.out.println(sb);
        }
    }
}
