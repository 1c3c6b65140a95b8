package io.parley.recording.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.recording.EventType;
import io.parley.testing.VirtualClock;
import io.parley.recording.Recording;
import io.parley.recording.RecordingException;
import io.parley.recording.SessionRecorder;
import io.parley.recording.TestConversations;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.ConsentType;
import io.parley.recording.store.FileRecordingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionAnalyzerTest {

    @TempDir
    Path dir;

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));

    @Test
    void analysesTalkTimeTurnsInterruptionsLatencyAndConfidence() {
        Recording r = TestConversations.record(FileRecordingStore.open(dir), clock, "call");
        ConversationAnalysis a = SessionAnalyzer.create().analyze(r);
        // User: 1000 + 800 ms of turns plus 200 ms talking over the agent; agent: 1000 + 600 ms.
        assertThat(a.userTalk()).isEqualTo(Duration.ofMillis(2000));
        assertThat(a.agentTalk()).isEqualTo(Duration.ofMillis(1600));
        assertThat(a.overlap()).isEqualTo(Duration.ofMillis(200));
        assertThat(a.silence()).isEqualTo(Duration.ofMillis(900));
        assertThat(a.userTalkRatio()).isEqualTo(2000.0 / 3600);
        assertThat(a.turns()).isEqualTo(2);
        assertThat(a.interruptions()).isEqualTo(1);
        assertThat(a.responseLatency().count()).isEqualTo(2);
        assertThat(a.responseLatency().p50()).isEqualTo(Duration.ofMillis(900));
        assertThat(a.confidenceMean().getAsDouble()).isEqualTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.confidenceMin().getAsDouble()).isEqualTo(0.8);
        assertThat(a.lowConfidenceTurns()).isZero();
        assertThat(SessionAnalyzer.builder().lowConfidence(0.85).build().analyze(r).lowConfidenceTurns()).isEqualTo(1);
    }

    @Test
    void statisticsCountAuthorsCommandsActivityGapsAndTopics() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user("123", "STRYK").agent("bot", "Bot").build();
        rec.start("oauth");
        say(rec, EventType.USER_MESSAGE, "!ai How do I implement OAuth2?", 1);
        say(rec, EventType.BOT_RESPONSE, "OAuth2 is an authorization framework with tokens.", 1);
        say(rec, EventType.USER_MESSAGE, "!ai Show me the token refresh code", 2);
        say(rec, EventType.BOT_RESPONSE, "Here's a token refresh implementation.", 1);
        say(rec, EventType.USER_MESSAGE, "!run python refresh.py", 20);
        say(rec, EventType.BOT_RESPONSE, "Output: token refreshed successfully", 1);
        say(rec, EventType.USER_MESSAGE, "!git status", 3);
        rec.stop();
        SessionStats s = SessionAnalyzer.create().stats(store.load("oauth"));
        assertThat(s.messages()).isEqualTo(7);
        assertThat(s.messagesPerAuthor()).containsExactly(java.util.Map.entry("STRYK", 4L), java.util.Map.entry("Bot", 3L));
        assertThat(s.commandsUsed()).containsExactly(java.util.Map.entry("!ai", 2L), java.util.Map.entry("!git", 1L),
                java.util.Map.entry("!run", 1L));
        assertThat(s.mostActive()).get().satisfies(w -> {
            assertThat(w.messages()).isEqualTo(4);
            assertThat(w.start()).isEqualTo(Instant.parse("2025-11-08T15:45:00Z"));
            assertThat(w.end()).isEqualTo(Instant.parse("2025-11-08T16:00:00Z"));
        });
        assertThat(s.longestGap()).get().extracting(SessionStats.Gap::length).isEqualTo(Duration.ofMinutes(20));
        assertThat(s.topics()).startsWith("refresh", "token", "oauth2");
        assertThat(s.topics()).doesNotContain("the", "show", "!ai", "ai");
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(29));
    }

    @Test
    void analyticsNeedConsentWhenARegistryIsGiven() {
        Recording r = TestConversations.record(FileRecordingStore.open(dir), clock, "call");
        ConsentRegistry consents = ConsentRegistry.inMemory(java.time.Clock.fixed(Instant.parse("2025-11-09T00:00:00Z"), ZoneOffset.UTC));
        SessionAnalyzer guarded = SessionAnalyzer.builder().consents(consents).build();
        assertThatThrownBy(() -> guarded.stats(r)).isInstanceOfSatisfying(RecordingException.class,
                e -> assertThat(e.problem()).isEqualTo(RecordingException.Problem.NO_CONSENT)).hasMessageContaining("analytics");
        consents.grant("123", ConsentType.ANALYTICS);
        assertThat(guarded.analyze(r).turns()).isEqualTo(2);
        assertThatThrownBy(() -> SessionAnalyzer.builder().activeWindow(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private void say(SessionRecorder rec, EventType type, String text, int minutesLater) {
        clock.advance(Duration.ofMinutes(minutesLater));
        rec.message(type, text);
    }
}
