package io.parley.recording;

import io.parley.testing.VirtualClock;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.store.FileRecordingStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * Child process for the crash test: records an endless conversation until it is killed. After
 * {@code readyAfter} turns it writes the number of events it has appended to a marker file.
 * Gives up by itself after two minutes so a broken parent never leaves it running.
 *
 * <p>Arguments: store folder, marker file, "plain" or "encrypted", readyAfter.
 */
public final class CrashingRecorderMain {

    static final byte[] KEY = new byte[32];

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path marker = Path.of(args[1]);
        boolean encrypted = args[2].equals("encrypted");
        int readyAfter = Integer.parseInt(args[3]);
        FileRecordingStore.Builder b = FileRecordingStore.builder(root);
        if (encrypted) {
            b.encryption(KeyProvider.of("k1", KEY));
        }
        FileRecordingStore store = b.build();
        VirtualClock clock = new VirtualClock(Instant.parse("2025-11-08T15:45:00Z"));
        SessionRecorder rec = SessionRecorder.builder(store).clock(clock).user("123", "STRYK").agent("bot", "Bot").build();
        rec.start("crashy");
        ScriptedConversation c = new ScriptedConversation(clock, rec);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int turns = 0;
        while (System.nanoTime() < deadline) {
            long t = c.userTurn("question number " + turns, Duration.ofMillis(300), 0.9);
            c.agentReply(t, "answer number " + turns, Duration.ofMillis(200), null);
            turns++;
            if (turns == readyAfter) {
                Path tmp = marker.resolveSibling("marker.tmp");
                Files.writeString(tmp, Long.toString(store.load("crashy").events().size()), StandardCharsets.UTF_8);
                Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        System.exit(3);
    }

    private CrashingRecorderMain() {
    }
}
