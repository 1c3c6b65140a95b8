package io.parley.recording;

import io.parley.testing.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.recording.playback.RecordingPlayer;
import io.parley.recording.store.FileRecordingStore;
import io.parley.testing.api.BuilderContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every builder of the module refuses null with an IllegalArgumentException naming the parameter. */
class BuilderContractTest {

    @TempDir
    Path dir;

    @Test
    void buildersReachableThroughBuilderRefuseNull() throws Exception {
        assertThat(BuilderContract.nullSetterViolations(SessionRecorder.class)).isEmpty();
    }

    @Test
    void buildersTakingARequiredArgumentRefuseNullToo() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        SessionRecorder.Builder rec = SessionRecorder.builder(store);
        for (Runnable r : new Runnable[] {() -> rec.clock(null), () -> rec.consents(null), () -> rec.redactor(null),
                () -> rec.listener(null), () -> rec.listenerExecutor(null), () -> rec.model(null), () -> rec.sessionId(null),
                () -> rec.holdback(null), () -> FileRecordingStore.builder(dir).encryption(null),
                () -> FileRecordingStore.builder(dir).flushPolicy(null), () -> FileRecordingStore.builder(dir).wallClock(null),
                () -> RecordingPlayer.builder(TestConversations.record(store, new VirtualClock(java.time.Instant.EPOCH), "p"))
                        .sink(null)}) {
            assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must");
        }
    }
}
