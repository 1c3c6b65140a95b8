package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.testing.api.BuilderContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reply handles, generateReply, the committed-turn and reply events, and argument checks. */
class ReplyApiTest {

    @Test
    void respondReturnsAHandleThatCompletesWhenTheReplyWasSpoken() {
        SessionHarness h = new SessionHarness();
        List<TurnCommit> commits = new ArrayList<>();
        List<SpeechHandle> replies = new ArrayList<>();
        h.extra = b -> b.listener(new SessionListener() {
            @Override
            public void onTurnCommitted(TurnCommit turn) {
                commits.add(turn);
            }

            @Override
            public void onReply(SpeechHandle reply) {
                replies.add(reply);
            }
        });
        h.build().start();

        SpeechHandle reply = h.session.respond("what time is it");
        h.advanceTo(300);
        // The text is complete long before it has been heard.
        assertThat(reply.text()).isCompletedWithValue("It is noon.");
        assertThat(reply.playout()).isNotDone();
        h.advanceTo(5000);

        assertThat(reply.playout()).isCompleted();
        assertThat(reply.playout().join().playedText()).isEqualTo("It is noon.");
        assertThat(reply.turnId()).isEqualTo(1);
        assertThat(commits).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("what time is it");
            assertThat(c.typed()).isTrue();
        });
        assertThat(replies).containsExactly(reply);
    }

    @Test
    void aSpokenTurnIsCommittedWithItsTextAndTimingAndItsReplyIsObservable() {
        SessionHarness h = new SessionHarness();
        List<TurnCommit> commits = new ArrayList<>();
        List<SpeechHandle> replies = new ArrayList<>();
        h.extra = b -> b.listener(new SessionListener() {
            @Override
            public void onTurnCommitted(TurnCommit turn) {
                commits.add(turn);
            }

            @Override
            public void onReply(SpeechHandle reply) {
                replies.add(reply);
            }
        });
        h.user.say(500, 1000, "what time is it");
        h.build().start();
        h.advanceTo(8000);

        assertThat(commits).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("what time is it");
            assertThat(c.typed()).isFalse();
            assertThat(c.interimFallback()).isFalse();
            assertThat(c.endOfTurnDelay()).isEqualTo(SessionHarness.ms(500));
            assertThat(c.transcriptDelay()).isEqualTo(SessionHarness.ms(150));
        });
        assertThat(replies).singleElement().satisfies(r -> {
            assertThat(r.turnId()).isEqualTo(1);
            assertThat(r.playout().join().playedText()).isEqualTo("It is noon.");
        });
    }

    @Test
    void generateReplyLetsTheAgentSpeakFirstWithItsInstructions() {
        SessionHarness h = new SessionHarness();
        h.agentSetup = a -> a.reply(t -> t.isEmpty() ? "Hello, how can I help?" : "?");
        h.build().start();

        SpeechHandle greeting = h.session.generateReply("greet the caller");
        h.advanceTo(5000);

        assertThat(h.agent.calls()).singleElement().satisfies(c -> {
            assertThat(c.transcript()).isEmpty();
            assertThat(c.context().instructions()).isEqualTo("greet the caller");
        });
        assertThat(greeting.playout().join().playedText()).isEqualTo("Hello, how can I help?");
        assertThat(h.session.history()).extracting(t -> t.text()).containsExactly("Hello, how can I help?");
    }

    @Test
    void sayTextIsReportedAsAgentText() {
        SessionHarness h = new SessionHarness();
        List<AgentText> texts = new ArrayList<>();
        h.extra = b -> b.listener(new SessionListener() {
            @Override
            public void onAgentText(AgentText text) {
                texts.add(text);
            }
        });
        h.build().start();
        PlaybackHandle hello = h.session.say("hello there");
        h.advanceTo(100);

        assertThat(texts).singleElement().satisfies(t -> {
            assertThat(t.chunk()).isEqualTo("hello there");
            assertThat(t.turnId()).isZero();
            assertThat(t.speechId()).isEqualTo(hello.id());
        });
    }

    @Test
    void nullArgumentsAreRefusedLikeSayNull() {
        SessionHarness h = new SessionHarness();
        h.build().start();
        PlaybackHandle said = h.session.say("hi");
        SpeechHandle reply = h.session.respond("hi");

        assertThatThrownBy(() -> h.session.say(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> said.awaitPlayout(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reply.awaitPlayout(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.session.generateReply(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.session.respond(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionAndConfigBuildersRefuseNull() throws Exception {
        // The scan covers the whole module; the audio and turn builders are another package's.
        assertThat(BuilderContract.nullSetterViolations(VoiceSession.class))
                .filteredOn(v -> v.startsWith("VoiceSession.") || v.startsWith("SessionConfig.")).isEmpty();
        assertThatThrownBy(() -> UserTurn.builder(null, Runnable::run, (id, text, t) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
