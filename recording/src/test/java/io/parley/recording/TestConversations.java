package io.parley.recording;

import io.parley.testing.VirtualClock;
import io.parley.recording.store.RecordingStore;

/** Records the standard two-turn conversation with a barge-in and a tag into a store. */
public final class TestConversations {

    private TestConversations() {
    }

    /** Records it as {@code name} with {@code clock}; the clock ends 4.3 s later. */
    public static Recording record(RecordingStore store, VirtualClock clock, String name) {
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user("123", "STRYK").agent("bot", "Bot")
                .model("claude-3-5-sonnet").sessionId("s1").build();
        rec.start(name);
        SessionRecorderTest.twoTurnsWithBargeIn(new ScriptedConversation(clock, rec));
        rec.tag("found-solution");
        rec.stop();
        return store.load(name);
    }
}
