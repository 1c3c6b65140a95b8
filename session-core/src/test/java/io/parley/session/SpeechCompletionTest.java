package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.spi.TtsListener;
import io.parley.spi.TtsProvider;
import io.parley.spi.TtsRequest;
import io.parley.spi.TtsStream;
import io.parley.testing.FakeTts;
import io.parley.testing.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every speech ends, whatever its synthesizer does: the session-side completion timeout, and
 * replies replaced while they are still being generated (ENGINE-BUGS 1-12). Virtual time.
 */
class SpeechCompletionTest {

    @Test
    void aSynthesizerThatNeverCompletesEndsTheSpeechAsPlayedSoFarWithATimeout() {
        SessionHarness h = new SessionHarness();
        h.config.ttsCompletionTimeout(Duration.ofSeconds(3));
        h.extra = b -> b.tts(new StallingTts(h.clock, 500));
        h.build().start();

        PlaybackHandle say = h.session.say("Hello there, how are you?");
        h.advanceTo(2000);
        assertThat(h.session.state()).isEqualTo(SessionState.SPEAKING);
        assertThat(say.playout()).isNotDone();
        h.advanceTo(6000);

        assertThat(say.playout()).isCompleted();
        PlaybackResult r = say.playout().join();
        assertThat(r.interrupted()).isFalse();
        assertThat(r.played()).isEqualTo(Duration.ofMillis(500));
        assertThat(h.errors).anySatisfy(e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(h.session.state()).isEqualTo(SessionState.LISTENING);
        // The stalled stream was closed.
        h.advanceTo(6100);
        assertThat(StallingTts.closed).isPositive();
    }

    @Test
    void aSynthesizerThatSendsNothingFailsThePlayoutWithATimeoutAndTheQueueMovesOn() {
        SessionHarness h = new SessionHarness();
        h.config.ttsCompletionTimeout(Duration.ofSeconds(2));
        StallingTts tts = new StallingTts(h.clock, 0);
        h.extra = b -> b.tts(tts);
        h.build().start();

        PlaybackHandle first = h.session.say("Nothing will come of this.");
        PlaybackHandle second = h.session.say("Nor of this.");
        h.advanceTo(10_000);

        assertThat(first.playout()).isCompletedExceptionally();
        assertThat(second.playout()).isCompletedExceptionally();
        try {
            first.playout().join();
        } catch (CompletionException e) {
            assertThat(((SessionException) e.getCause()).code()).isEqualTo(ErrorCode.TIMEOUT);
        }
        assertThat(h.session.state()).isEqualTo(SessionState.LISTENING);
    }

    @Test
    void aReplyReplacedWhileStillBeingGeneratedEndsAndTheNewReplyIsSpoken() {
        SessionHarness h = new SessionHarness();
        h.config.interruptions(false);
        h.agentSetup = a -> a.reply(t -> "Well let me think about " + t).interval(Duration.ofMillis(800));
        List<SpeechHandle> replies = new ArrayList<>();
        h.extra = b -> b.listener(new SessionListener() {
            @Override
            public void onReply(SpeechHandle reply) {
                replies.add(reply);
            }
        });
        h.user.say(500, 1000, "first question");
        h.user.say(2600, 3100, "second question");
        h.build().start();
        h.advanceTo(20_000);

        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).playout()).isCompleted();
        assertThat(replies.get(0).playout().join().interrupted()).isTrue();
        assertThat(replies.get(1).playout()).isCompleted();
        assertThat(replies.get(1).playout().join().playedText()).isEqualTo("Well let me think about second question");
        assertThat(h.session.state()).as(h.stateLog() + " " + h.playbackLog()).isEqualTo(SessionState.LISTENING);
    }

    @Test
    void aReplyNobodyHeardYetIsDroppedWhenANewerTurnIsAnswered() {
        SessionHarness h = new SessionHarness();
        h.config.interruptions(false).ttsCompletionTimeout(Duration.ofSeconds(10));
        h.tts = FakeTts.builder(h.clock).firstAudioLatency(Duration.ofMillis(6000)).build();
        List<SpeechHandle> replies = new ArrayList<>();
        h.extra = b -> b.listener(new SessionListener() {
            @Override
            public void onReply(SpeechHandle reply) {
                replies.add(reply);
            }
        });
        h.user.say(500, 1000, "first question");
        h.user.say(2000, 2500, "second question");
        h.build().start();
        h.advanceTo(25_000);

        assertThat(replies).hasSize(2);
        PlaybackResult first = replies.get(0).playout().join();
        assertThat(first.interrupted()).as(first + " " + h.stateLog() + h.playbackLog() + h.userTurns).isTrue();
        assertThat(first.played()).isZero();
        assertThat(replies.get(1).playout().join().playedText()).isEqualTo("It is noon.");
        assertThat(h.session.state()).isEqualTo(SessionState.LISTENING);
    }

    @Test
    void stopCompletesEveryQueuedAndPlayingHandleBehindAStalledSynthesizer() {
        SessionHarness h = new SessionHarness();
        h.extra = b -> b.tts(new StallingTts(h.clock, 300));
        h.build().start();
        List<PlaybackHandle> handles = List.of(h.session.say("One."), h.session.say("Two."), h.session.say("Three."));
        h.advanceTo(2000);
        h.session.stopAsync();
        h.advanceTo(2100);

        for (PlaybackHandle p : handles) {
            assertThat(p.playout()).isDone();
        }
        assertThat(h.session.state()).isEqualTo(SessionState.ENDED);
    }

    /** Sends {@code audioMillis} of audio once text is flushed, then never completes. */
    static final class StallingTts implements TtsProvider {
        static volatile int closed;
        private final VirtualClock clock;
        private final int audioMillis;

        StallingTts(VirtualClock clock, int audioMillis) {
            this.clock = clock;
            this.audioMillis = audioMillis;
        }

        @Override
        public String name() {
            return "stalling";
        }

        @Override
        public TtsStream open(TtsRequest request, TtsListener listener) {
            return new TtsStream() {
                @Override
                public void pushText(String chunk) {
                }

                @Override
                public void flush() {
                    if (audioMillis > 0) {
                        clock.schedule(() -> {
                            AudioFrame f = AudioFrame.allocate(request.format(), request.format().samplesFor(audioMillis));
                            f.setLength(f.capacity());
                            listener.onAudio(f);
                        }, 50, TimeUnit.MILLISECONDS);
                    }
                }

                @Override
                public void cancel() {
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }
    }
}
