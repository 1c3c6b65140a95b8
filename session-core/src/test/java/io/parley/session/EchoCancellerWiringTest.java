package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFrame;
import io.parley.spi.EchoCanceller;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the session drives an {@link EchoCanceller}, in virtual time: the far end of each frame
 * before the frame, the canceller's output (not the microphone's) to the VAD and recognizer,
 * reset before the first frame of a run, close once when the session stops.
 */
class EchoCancellerWiringTest {

    /** Mutes every frame during which the agent played: a crude but exact canceller. */
    private static final class MutingCanceller implements EchoCanceller {
        final List<String> calls = new ArrayList<>();
        long farSamples;
        boolean agentPlayed;

        @Override
        public void played(AudioFrame farEnd) {
            farSamples += farEnd.length();
            agentPlayed = true;
        }

        @Override
        public void cancel(AudioFrame nearEnd, AudioFrame out) {
            assertThat(out).isNotSameAs(nearEnd);
            assertThat(out.length()).isEqualTo(nearEnd.length());
            assertThat(out.timestampNanos()).isEqualTo(nearEnd.timestampNanos());
            if (agentPlayed) {
                Arrays.fill(out.samples(), 0, out.length(), (short) 0);
            } else {
                System.arraycopy(nearEnd.samples(), 0, out.samples(), 0, nearEnd.length());
            }
            agentPlayed = false;
            if (calls.isEmpty() || !calls.get(calls.size() - 1).equals("cancel")) {
                calls.add("cancel");
            }
        }

        @Override
        public void reset() {
            calls.add("reset");
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void speechDuringTheAgentIsWhatTheCancellerLeavesAndItIsClosedOnStop() {
        MutingCanceller canceller = new MutingCanceller();
        SessionHarness h = new SessionHarness();
        h.canPause = true;
        h.agentSetup = a -> a.reply(t -> t.startsWith("tell") ? "Once upon a time there was a very long story" : "Sure.");
        h.user.say(500, 1000, "tell me a story");
        // While the agent speaks (from about 2.5 s): muted by the canceller, so no barge-in.
        h.user.say(3500, 800, "stop please");
        h.extra = b -> b.echoCancellation(canceller);
        h.build().start();
        h.advanceTo(9000);

        assertThat(h.userTurns).containsExactly("tell me a story");
        assertThat(h.playbacks).noneMatch(e -> e.kind() == PlaybackEvent.Kind.INTERRUPTED || e.kind() == PlaybackEvent.Kind.PAUSED);
        assertThat(h.speech).as("one onset: the question").filteredOn(UserSpeech::speaking).hasSize(1);
        assertThat(canceller.farSamples).as("the far end of what played").isGreaterThan(16_000 * 2);
        assertThat(canceller.calls).containsExactly("reset", "cancel");
        h.session.close();
        assertThat(canceller.calls).containsExactly("reset", "cancel", "close");
        assertThat(h.errors).isEmpty();
    }

    @Test
    void nullIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VoiceSession.builder().echoCancellation(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("echoCancellation");
    }
}
