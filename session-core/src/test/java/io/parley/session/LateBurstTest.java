package io.parley.session;

import static io.parley.session.RealThreads.FORMAT;
import static io.parley.session.RealThreads.FRAME;
import static io.parley.session.RealThreads.silence;
import static io.parley.session.RealThreads.speech;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.audio.TestSignals;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Audio held back past the stall bound mid-sentence, then delivered at once and stamped on
 * arrival, as a host that stamps frames when they reach it does after a network or machine
 * stall. The first words are answered (the input looked stopped); the rest must make a turn
 * of their own. Seen on real threads ({@link LateAudioRealThreadTest} beside CPU burners):
 * the burst's frames all carried nearly the same timestamp, so the resumed sentence looked
 * 2 ms long, too short to interrupt the reply, and was discarded as a cough with its words.
 */
class LateBurstTest {

    private final SessionHarness events = new SessionHarness();
    private final VirtualClock clock = events.clock;

    /** Decodes {@link RealThreads#speech} frames into words; each finalize is answered 50 ms later. */
    private final class WordsInSamples implements SttProvider {
        @Override
        public String name() {
            return "words-in-samples";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new SttStream() {
                private final List<String> pending = new ArrayList<>();
                private int lastWord;

                @Override
                public void write(AudioFrame frame) {
                    int w = frame.samples()[0] - 3000;
                    if (w > 0 && w < RealThreads.WORDS.size()) {
                        if (w != lastWord) {
                            lastWord = w;
                            pending.add(RealThreads.WORDS.get(w));
                            listener.onTranscript(Transcript.interim(String.join(" ", pending)));
                        }
                    } else {
                        lastWord = 0;
                    }
                }

                @Override
                public void finalizeUtterance() {
                    String text = String.join(" ", pending);
                    pending.clear();
                    clock.schedule(() -> listener.onTranscript(Transcript.fin(text, true)), 50, TimeUnit.MILLISECONDS);
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aSentenceDeliveredInABurstAfterAStallIsAnsweredNotDiscarded() {
        VoiceSession s = VoiceSession.builder()
                .clock(clock)
                .config(SessionConfig.builder().sessionId("burst").build())
                // A hangover that bridges the sentence's 140 ms pauses, as real detectors' do.
                .vad(new FakeVad(500, Duration.ofMillis(200)))
                .stt(new WordsInSamples())
                .tts(FakeTts.builder(clock).build())
                .streamingAgent(FakeAgent.builder(clock).reply("Saved. Anything else I can do for you today?").build())
                .listener(events)
                .build();
        s.start();
        short[] audio = TestSignals.concat(speech(5, "saved", "to"), silence(7), speech(5, "folder", "five"), silence(7),
                speech(5, "what", "time", "is", "it"), silence(50));
        AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
        for (int i = 0, off = 0; off < audio.length; i++, off += FRAME) {
            // Seven frames in step, then nothing for 2.6 s, then the rest at once.
            clock.advanceTo(Duration.ofMillis(i < 7 ? 20L * (i + 1) : 2740));
            System.arraycopy(audio, off, f.samples(), 0, FRAME);
            s.processAudio(f.setLength(FRAME).setTimestampNanos(clock.nanoTime()));
        }
        clock.advanceTo(Duration.ofMillis(12_000));
        assertThat(events.userTurns).as("%s", events.stateLog()).containsExactly("saved to", "folder five what time is it");
        s.stop();
    }

    /**
     * Plays "what time is it" after two seconds of room tone, every frame stamped on arrival;
     * with {@code holdMillis} &gt; 0 the frames from 400 ms on are held back that long and then
     * delivered at once, long before the user speaks. Returns the session's onset, offset and
     * end of turn, in ms.
     */
    private long[] timings(long holdMillis) {
        SessionHarness h = new SessionHarness();
        VoiceSession s = VoiceSession.builder()
                .clock(h.clock)
                .config(SessionConfig.builder().sessionId("hiccup").build())
                .vad(new FakeVad(500, Duration.ofMillis(60)))
                .stt(new WordsInSamples())
                .tts(FakeTts.builder(h.clock).build())
                .streamingAgent(FakeAgent.builder(h.clock).reply("Noon.").build())
                .listener(h)
                .build();
        s.start();
        short[] audio = TestSignals.concat(silence(100), speech(6, "what", "time", "is", "it"), silence(150));
        AudioFrame f = AudioFrame.allocate(FORMAT, FRAME);
        for (int i = 0, off = 0; off < audio.length; i++, off += FRAME) {
            long due = 20L * (i + 1);
            long at = holdMillis > 0 && i >= 20 && due < 400 + holdMillis ? 400 + holdMillis : due;
            h.clock.advanceTo(Duration.ofMillis(at));
            System.arraycopy(audio, off, f.samples(), 0, FRAME);
            s.processAudio(f.setLength(FRAME).setTimestampNanos(h.clock.nanoTime()));
        }
        h.clock.advanceTo(Duration.ofMillis(8_000));
        s.stop();
        assertThat(h.userTurns).containsExactly("what time is it");
        long origin = java.time.Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long ended = h.states.stream().filter(c -> c.to() == SessionState.PROCESSING).findFirst().orElseThrow().at().toEpochMilli();
        return new long[] {h.speech.get(0).at().toEpochMilli() - origin, h.speech.get(1).at().toEpochMilli() - origin, ended - origin};
    }

    @Test
    void aDeliveryHeldBackOnceDoesNotDelayEveryLaterEndOfSpeech() {
        // A 300 ms network or machine stall 1.6 s before the user speaks: the burst after it
        // keeps its length, and the frames after that, in step again, bring the timeline back,
        // so the user's onset, offset and end of turn are where they are without the stall.
        long[] steady = timings(0);
        // Stamped on arrival: the first frame of speech, 2000-2020 ms, at 2020.
        assertThat(steady[0]).isEqualTo(2_020);
        assertThat(timings(300)).containsExactly(steady);
    }
}
