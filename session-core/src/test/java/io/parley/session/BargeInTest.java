package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.spi.ConversationTurn;
import io.parley.testing.FakeStt;
import io.parley.testing.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BargeInTest {

    private static final String STORY = "Once upon a time there was a very long story about many things";

    /** The agent starts telling the story at 2470 ms and would talk for about four seconds. */
    private static SessionHarness storyteller(boolean canPause, int minWords) {
        SessionHarness h = new SessionHarness();
        h.canPause = canPause;
        h.config.interruptionMinWords(minWords);
        h.agentSetup = a -> a.reply(t -> t.startsWith("tell") ? STORY : "Sure.");
        h.user.say(500, 1000, "tell me a story");
        return h;
    }

    /** A recognizer with word timings that, starved of CPU, publishes nothing for {@code forMs} from {@code fromMs}. */
    private static void stallRecognizer(SessionHarness h, int fromMs, int forMs) {
        h.stt = FakeStt.builder(h.clock, h.user).wordTimings(true).stall(Duration.ofMillis(fromMs), Duration.ofMillis(forMs)).build();
    }

    @Test
    void speechAboveThresholdsCutsTheAgentAtOnceAndKeepsOnlyWhatWasPlayed() {
        SessionHarness h = storyteller(false, 0);
        h.user.say(3500, 800, "stop please");
        h.build().start();

        h.advanceTo(8000);

        // Speech at 3500 lasts the 500 ms minimum at 4000: barge-in then.
        assertThat(h.transport.events()).extracting(InMemoryTransport.Event::action, e -> e.at().toMillis())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InMemoryTransport.Action.CLEAR, 4000L));
        assertThat(h.stateLog()).startsWith(
                "INITIAL->LISTENING@0",
                "LISTENING->PROCESSING@2000",
                "PROCESSING->SPEAKING@2470",
                "SPEAKING->LISTENING@4000",
                // The interrupting words are a turn of their own: speech ends at 4300.
                "LISTENING->PROCESSING@4800");
        PlaybackEvent cut = h.playbacks.stream().filter(e -> e.kind() == PlaybackEvent.Kind.INTERRUPTED).findFirst().orElseThrow();
        assertThat(cut.played()).isEqualTo(Duration.ofMillis(1530));
        // Word timings: "was" ends at 1460 ms of audio, the next "a" at 1560.
        assertThat(cut.playedText()).isEqualTo("Once upon a time there was");
        assertThat(h.tts.streams().get(0).cancelled()).isTrue();
        // Nothing was handed to the transport after the clear, until the next reply.
        assertThat(h.transport.firstSentAfter(Duration.ofMillis(4001))).isGreaterThan(Duration.ofMillis(4800));
        assertThat(h.session.history()).containsSubsequence(
                new ConversationTurn(ConversationTurn.Role.USER, "tell me a story", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "Once upon a time there was", true),
                new ConversationTurn(ConversationTurn.Role.USER, "stop please", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "Sure.", false));
    }

    @Test
    void speechShorterThanMinDurationDoesNotInterrupt() {
        SessionHarness h = storyteller(false, 0);
        h.user.say(3500, 300, "uh huh");
        h.build().start();

        h.advanceTo(9000);

        assertThat(h.transport.events()).isEmpty();
        assertThat(h.playbackLog()).containsExactly("STARTED@2470", "FINISHED@" + (2470 + h.tts.durationOf(STORY).toMillis()));
        assertThat(h.userTurns).containsExactly("tell me a story");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("tell me a story", STORY);
    }

    @Test
    void tooFewWordsDoNotInterruptAndEnoughWordsDo() {
        SessionHarness few = storyteller(false, 3);
        few.user.say(3500, 1000, "yes yes");
        few.build().start();
        few.advanceTo(9000);
        assertThat(few.transport.events()).isEmpty();
        assertThat(few.playbacks).extracting(PlaybackEvent::kind)
                .containsExactly(PlaybackEvent.Kind.STARTED, PlaybackEvent.Kind.FINISHED);

        SessionHarness enough = storyteller(false, 3);
        enough.user.say(3500, 1000, "no stop right there");
        enough.build().start();
        enough.advanceTo(9000);
        // The third word is heard in the frame ending at 4020 and reported 100 ms later.
        assertThat(enough.transport.events()).extracting(e -> e.at().toMillis()).containsExactly(4100L);
        assertThat(enough.stateLog()).contains("SPEAKING->LISTENING@4100");
    }

    @Test
    void wordlessSoundPausesAndPlaybackResumesAfterTheFalseInterruptionTimeout() {
        SessionHarness h = storyteller(true, 0);
        h.user.noise(3500, 700);
        h.build().start();

        h.advanceTo(12000);

        // Paused at the onset (fast barge-in), resumed when no words came within two seconds.
        assertThat(h.transport.events()).extracting(e -> e.action() + "@" + e.at().toMillis())
                .containsExactly("PAUSE@3500", "RESUME@5500");
        long story = h.tts.durationOf(STORY).toMillis();
        // Two seconds of pause push the end of playout back by exactly that much.
        assertThat(h.playbackLog()).containsExactly("STARTED@2470", "PAUSED@3500", "RESUMED@5500",
                "FINISHED@" + (2470 + story + 2000));
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("tell me a story", STORY);
        assertThat(h.stateLog()).doesNotContain("SPEAKING->LISTENING@4000");
    }

    @Test
    void aShortSoundPausesTheAgentOnlyWhileItLasts() {
        SessionHarness h = storyteller(true, 0);
        h.user.noise(3500, 200);
        h.build().start();

        h.advanceTo(12000);

        // Paused at the onset, resumed as soon as the sound ended too short to interrupt.
        assertThat(h.transport.events()).extracting(e -> e.action() + "@" + e.at().toMillis())
                .containsExactly("PAUSE@3500", "RESUME@3700");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("tell me a story", STORY);
        assertThat(h.userTurns).containsExactly("tell me a story");
    }

    @Test
    void pausedPlaybackWaitsForARecognizerThatHasNotYetPublishedTheSpeech() {
        SessionHarness h = storyteller(true, 0);
        // The user talks over the story for 1.8 s while the recognizer, starved of CPU, publishes
        // nothing from 3500 to 6100: its words come 600 ms after the false-interruption timeout.
        h.user.say(3500, 1800, "wait stop talking now");
        stallRecognizer(h, 3500, 2600);
        h.build().start();

        h.advanceTo(12000);

        // Resumed at 5500 with no words yet, the barge-in was dropped and the story played on.
        assertThat(h.transport.events()).extracting(e -> e.action() + "@" + e.at().toMillis())
                .containsExactly("PAUSE@3500", "CLEAR@6100", "RESUME@6100");
        assertThat(h.userTurns).containsExactly("tell me a story", "wait stop talking now");
    }

    @Test
    void pausedPlaybackIsDecidedWhenTheResultCoveringTheSpeechArrives() {
        SessionHarness h = storyteller(true, 2);
        // One word, too few to interrupt, while the recognizer publishes nothing from 3500 to
        // 6150: its result, which covers the whole speech, comes 650 ms after the timeout.
        h.user.say(3500, 600, "wait");
        stallRecognizer(h, 3500, 2650);
        h.build().start();

        h.advanceTo(12000);

        // The verdict (too few words: carry on) is taken on that result, not at a later look.
        assertThat(h.transport.events()).extracting(e -> e.action() + "@" + e.at().toMillis())
                .containsExactly("PAUSE@3500", "RESUME@6150");
        assertThat(h.userTurns).containsExactly("tell me a story");
    }

    @Test
    void pausedPlaybackResumesOnceARecognizerThatHeardNoWordsCatchesUp() {
        SessionHarness h = storyteller(true, 0);
        // A wordless sound while the recognizer is stalled: it publishes no result at all, only
        // how far its results reach (past the sound from 6150 on).
        h.user.noise(3500, 700);
        stallRecognizer(h, 3500, 2650);
        h.build().start();

        h.advanceTo(12000);

        // Resumed within 100 ms of catching up, long before the bound (3500 + 2 s + 3 s).
        assertThat(h.transport.events()).extracting(e -> e.action() + "@" + e.at().toMillis())
                .containsExactly("PAUSE@3500", "RESUME@6200");
        assertThat(h.userTurns).containsExactly("tell me a story");
    }

    @Test
    void pausedPlaybackIsCutWhenWordsFollow() {
        SessionHarness h = storyteller(true, 0);
        // A wordless 600 ms sound pauses playback at its onset, 3500; words start at 4400.
        h.user.noise(3500, 600);
        h.user.say(4400, 600, "wait");
        h.build().start();

        h.advanceTo(9000);

        // "wait" is heard in the first frame at 4400 and reported 100 ms later; the cleared
        // output is unpaused at once so the next reply can play.
        assertThat(h.transport.events()).extracting(e -> e.action() + "@" + e.at().toMillis())
                .containsExactly("PAUSE@3500", "CLEAR@4500", "RESUME@4500");
        PlaybackEvent cut = h.playbacks.stream().filter(e -> e.kind() == PlaybackEvent.Kind.INTERRUPTED).findFirst().orElseThrow();
        // Playback stopped at the pause: 3500 - 2470.
        assertThat(cut.played()).isEqualTo(Duration.ofMillis(1030));
        assertThat(h.userTurns).containsExactly("tell me a story", "wait");
    }

    @Test
    void speechResumingAfterAShortGapKeepsPlaybackPausedUntilItsWordsCut() {
        SessionHarness h = storyteller(true, 0);
        h.stt = io.parley.testing.FakeStt.builder(h.clock, h.user).interimDelay(Duration.ofMillis(800)).build();
        // A wordless 600 ms stretch pauses playback at 3500; after a 100 ms gap the user says
        // "wait" (400 ms), whose words the recognizer only reports at 5000.
        h.user.noise(3500, 600);
        h.user.say(4200, 400, "wait");
        h.build().start();

        h.advanceTo(9000);

        // The second stretch is short on its own but not counted from the pause, so playback
        // stays paused (no resume at 4600) until the words cut the reply.
        assertThat(h.transport.events()).extracting(e -> e.action() + "@" + e.at().toMillis())
                .containsExactly("PAUSE@3500", "CLEAR@5000", "RESUME@5000");
        assertThat(h.userTurns).containsExactly("tell me a story", "wait");
    }

    @Test
    void aReplyThatEndsWhilePausedAtAnOnsetDoesNotHoldTheNextReply() {
        SessionHarness h = new SessionHarness();
        h.canPause = true;
        // Long enough that only the end of the paused speech can release the pause in time.
        h.config.falseInterruptionTimeout(Duration.ofSeconds(30));
        h.user.say(500, 1000, "tell me");
        // A wordless onset at 3000 pauses the playback; words follow at 3600.
        h.user.noise(3000, 500);
        h.user.say(3600, 800, "and tomorrow");
        // The first reply's only sentence plays at once; the agent completes it 1100 ms after
        // its first text, while the onset at 3000 holds the playback paused.
        h.extra = b -> b.streamingAgent((context, transcript, sink) -> {
            if (transcript.startsWith("tell")) {
                h.clock.schedule(() -> sink.write("Yes. "), 200, TimeUnit.MILLISECONDS);
                h.clock.schedule(sink::complete, 1100, TimeUnit.MILLISECONDS);
            } else {
                h.clock.schedule(() -> {
                    sink.write("Sunny.");
                    sink.complete();
                }, 200, TimeUnit.MILLISECONDS);
            }
        });
        h.build().start();

        h.advanceTo(9000);

        // The first reply was all played before the onset and ends under the pause: the
        // transport resumes with it, the user's words make an ordinary turn, and its reply plays.
        assertThat(h.playbacks).as(h.playbackLog().toString()).extracting(PlaybackEvent::kind).containsExactly(PlaybackEvent.Kind.STARTED,
                PlaybackEvent.Kind.PAUSED, PlaybackEvent.Kind.FINISHED, PlaybackEvent.Kind.STARTED, PlaybackEvent.Kind.FINISHED);
        assertThat(h.transport.events()).extracting(InMemoryTransport.Event::action)
                .containsExactly(InMemoryTransport.Action.PAUSE, InMemoryTransport.Action.RESUME);
        assertThat(h.userTurns).containsExactly("tell me", "and tomorrow");
        assertThat(h.session.history()).extracting(ConversationTurn::text).containsExactly("tell me", "Yes.", "and tomorrow", "Sunny.");
        assertThat(h.session.state()).isEqualTo(SessionState.LISTENING);
    }

    @Test
    void uninterruptibleSpeechPlaysThrough() {
        SessionHarness h = new SessionHarness();
        h.user.say(1000, 1500, "hello are you there");
        h.build().start();

        PlaybackHandle notice = h.session.say(STORY, SayOptions.UNINTERRUPTIBLE);
        h.advanceTo(8000);

        assertThat(notice.playout()).isCompleted();
        assertThat(notice.playout().join().interrupted()).isFalse();
        assertThat(h.transport.events()).isEmpty();
    }

    @Test
    void interruptCutsCurrentAndQueuedSpeech() {
        SessionHarness h = new SessionHarness();
        h.build().start();
        PlaybackHandle first = h.session.say("first sentence here");
        PlaybackHandle second = h.session.say("second sentence");
        h.advanceTo(500);

        h.session.interrupt();
        h.clock.runPending();

        assertThat(first.interrupted()).isTrue();
        assertThat(second.interrupted()).isTrue();
        assertThat(second.playout().join().played()).isZero();
        assertThat(h.session.state()).isEqualTo(SessionState.LISTENING);
        assertThat(h.transport.events()).extracting(InMemoryTransport.Event::action).containsExactly(InMemoryTransport.Action.CLEAR);
    }

    @Test
    void speakingBeforeTheReplyIsHeardMergesBothUtterancesIntoOneTurn() {
        SessionHarness h = new SessionHarness();
        h.agentSetup = a -> a.reply(t -> "Booked for " + t).firstTextLatency(Duration.ofMillis(1000));
        h.user.say(500, 1000, "call me at");
        h.user.say(2100, 800, "five thirty");
        h.build().start();

        h.advanceTo(8000);

        // The first reply was still being generated at 2600 when the new speech qualified.
        assertThat(h.agent.calls()).extracting(c -> c.transcript()).containsExactly("call me at", "call me at five thirty");
        assertThat(h.agent.calls().get(0).context().cancelled()).isTrue();
        assertThat(h.stateLog()).contains("PROCESSING->LISTENING@2600");
        assertThat(h.session.history()).containsExactly(
                new ConversationTurn(ConversationTurn.Role.USER, "call me at five thirty", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "Booked for call me at five thirty", false));
    }

    @Test
    void anAnnouncementEndingBetweenTheCommitAndTheBargeInDoesNotLoseTheCarriedTurn() {
        SessionHarness h = new SessionHarness();
        h.agentSetup = a -> a.reply(t -> "Booked for " + t).firstTextLatency(Duration.ofMillis(3000));
        h.user.say(500, 1000, "call me at");
        h.user.say(3700, 800, "five thirty");
        h.build().start();
        // The user talks over an announcement that cannot be interrupted; it ends at 3320,
        // after "call me at" was committed (2000) and while its reply is still being generated.
        String notice = "Calls on this line are recorded for quality and training";
        PlaybackHandle announcement = h.session.say(notice, SayOptions.UNINTERRUPTIBLE);

        h.advanceTo(12000);

        assertThat(announcement.playout()).isCompleted();
        assertThat(h.playbackLog()).as(h.stateLog().toString()).startsWith("STARTED@100", "FINISHED@3320");
        // "five thirty" interrupts the reply nobody heard at 4200: both utterances are one turn,
        // although the announcement entered the history after the first was committed.
        assertThat(h.agent.calls()).extracting(c -> c.transcript()).containsExactly("call me at", "call me at five thirty");
        assertThat(h.userTurns).containsExactly("call me at", "call me at five thirty");
        assertThat(h.session.history()).containsExactly(
                new ConversationTurn(ConversationTurn.Role.AGENT, notice, false),
                new ConversationTurn(ConversationTurn.Role.USER, "call me at five thirty", false),
                new ConversationTurn(ConversationTurn.Role.AGENT, "Booked for call me at five thirty", false));
    }

    @Test
    void aBargeInOverAnAnnouncementCarriesBackTheTurnWhoseReplyNobodyHeard() {
        SessionHarness h = new SessionHarness();
        h.agentSetup = a -> a.reply(t -> "Booked for " + t).firstTextLatency(Duration.ofMillis(3000));
        h.user.say(500, 1000, "call me at");
        h.user.say(2600, 800, "five thirty");
        h.build().start();
        // An announcement queued before "call me at" is committed (2000) plays from 1900 to 5120;
        // the reply waits behind it, still being generated.
        h.advanceTo(1800);
        h.session.say("Calls on this line are recorded for quality and training");

        h.advanceTo(12000);

        // "five thirty" cuts the announcement and the unheard reply at 3100: the state was
        // SPEAKING (the announcement), not PROCESSING, and the turn goes on all the same.
        assertThat(h.stateLog()).contains("SPEAKING->LISTENING@3100");
        assertThat(h.agent.calls()).extracting(c -> c.transcript()).containsExactly("call me at", "call me at five thirty");
        assertThat(h.userTurns).containsExactly("call me at", "call me at five thirty");
        assertThat(h.session.history()).extracting(ConversationTurn::text)
                .doesNotContain("call me at").contains("call me at five thirty", "Booked for call me at five thirty");
    }
}
