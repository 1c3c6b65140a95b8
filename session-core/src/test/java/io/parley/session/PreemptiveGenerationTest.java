package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.testing.FakeAgent;
import io.parley.testing.FakeStt;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PreemptiveGenerationTest {

    private static SessionHarness session(PreemptiveStrategy strategy, UnaryOperator<String> revise) {
        SessionHarness h = new SessionHarness();
        h.config.preemptiveGeneration(true).preemptiveStrategy(strategy);
        h.user.say(500, 1000, "what time is it now");
        h.stt = FakeStt.builder(h.clock, h.user).reviseFinal(revise).build();
        h.agentSetup = a -> a.reply(t -> "Answer to " + t);
        return h.build().start();
    }

    @Test
    void similarFinalTranscriptKeepsThePreemptiveReplyAndSpeaksSooner() {
        // The final drops one word: 4 of 5 words shared, exactly the 0.8 threshold.
        SessionHarness h = session(PreemptiveStrategy.USE_IF_SIMILAR, t -> t.replace(" now", ""));
        h.advanceTo(5000);

        // The agent started on the interim transcript when speech ended at 1500.
        assertThat(h.agent.calls()).extracting(FakeAgent.Call::transcript, FakeAgent.Call::preemptive)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("what time is it now", true));
        assertThat(h.tts.streams()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Answer to what time is it now"));
        // Its text was ready at 1700; the final came at 2150, so audio starts 100 ms later.
        assertThat(h.stateLog()).contains("PROCESSING->SPEAKING@2250");
        assertThat(h.metrics).singleElement().satisfies(m -> assertThat(m.preemptiveUsed()).isTrue());
    }

    @Test
    void dissimilarFinalTranscriptRegenerates() {
        SessionHarness h = session(PreemptiveStrategy.USE_IF_SIMILAR, t -> "what is the weather like");
        h.advanceTo(5000);

        assertThat(h.agent.calls()).extracting(FakeAgent.Call::transcript)
                .containsExactly("what time is it now", "what is the weather like");
        assertThat(h.agent.calls().get(0).context().cancelled()).isTrue();
        assertThat(h.tts.streams()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Answer to what is the weather like"));
        assertThat(h.metrics).singleElement().satisfies(m -> assertThat(m.preemptiveUsed()).isFalse());
    }

    @Test
    void discardAlwaysRegeneratesEvenForTheSameText() {
        SessionHarness h = session(PreemptiveStrategy.DISCARD, t -> t);
        h.advanceTo(5000);

        assertThat(h.agent.calls()).extracting(FakeAgent.Call::preemptive).containsExactly(true, false);
        assertThat(h.agent.calls().get(0).context().cancelled()).isTrue();
        assertThat(h.stateLog()).contains("PROCESSING->SPEAKING@2470");
    }

    @Test
    void alwaysUseKeepsTheReplyWhateverTheFinalSays() {
        SessionHarness h = session(PreemptiveStrategy.ALWAYS_USE, t -> "something else entirely");
        h.advanceTo(5000);

        assertThat(h.agent.calls()).hasSize(1);
        assertThat(h.tts.streams()).singleElement().satisfies(s -> assertThat(s.text()).isEqualTo("Answer to what time is it now"));
        assertThat(h.userTurns).containsExactly("something else entirely");
    }

    @Test
    void speakingAgainCancelsThePreemptiveReply() {
        SessionHarness h = new SessionHarness();
        h.config.preemptiveGeneration(true);
        h.user.say(500, 1000, "call me at");
        h.user.say(1800, 800, "five thirty");
        h.agentSetup = a -> a.reply(t -> "OK " + t);
        h.build().start();
        h.advanceTo(6000);

        assertThat(h.agent.calls()).extracting(FakeAgent.Call::transcript, FakeAgent.Call::preemptive).containsExactly(
                org.assertj.core.groups.Tuple.tuple("call me at", true),
                org.assertj.core.groups.Tuple.tuple("call me at five thirty", true));
        assertThat(h.agent.calls().get(0).context().cancelled()).isTrue();
        assertThat(h.userTurns).containsExactly("call me at five thirty");
    }
}
