package io.parley.providers.local.stt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.parley.audio.AudioFormat;
import io.parley.providers.local.tts.FreeTtsTts;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many sessions recognise at once, as on the group server: decoders are created, decode and are
 * freed on several threads together. The native library keeps process-wide state (its log file)
 * that each decoder used to replace on creation, closing the one other threads were writing to;
 * that aborted the JVM in CI (exit 134 in the server's group session test).
 */
class PocketSphinxThreadsTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 4;

    /** Reads the libraries' process-wide log handle, which the binding never needs to. */
    interface LogHandle extends Library {
        Pointer err_get_logfp();
    }

    /**
     * The race itself is too narrow to hit on demand (a write landing in the instant another
     * decoder closes the handle), so this checks its cause: creating and using decoders leaves
     * the handle alone, with logging off.
     */
    @Test
    void decodersLeaveTheProcessWideLogHandleAlone() throws Exception {
        PocketSphinxStt stt = PocketSphinxStt.builder().grammar(PocketSphinxClosedLoopTest.ASSISTANT_GRAMMAR).build();
        LogHandle log = Native.load("sphinxbase", LogHandle.class);
        for (int i = 0; i < 3; i++) {
            CollectingSttListener listener = new CollectingSttListener();
            try (SttStream stream = stt.open(new SttRequest("log" + i, AudioFormat.PCM_16K_MONO, Duration.ZERO, ""),
                    listener)) {
                SpeechFixtures.feed(stream, SpeechFixtures.silence(200));
                stream.finalizeUtterance();
                listener.nextFinal();
                assertThat(log.err_get_logfp()).as("log handle after decoder %d", i).isNull();
            }
        }
    }

    @Test
    void decodersCreatedUsedAndFreedOnManyThreadsAtOnce() throws Exception {
        short[] speech = SpeechFixtures.speak(FreeTtsTts.create(), "turn on the living room lights");
        PocketSphinxStt stt = PocketSphinxStt.builder().grammar(PocketSphinxClosedLoopTest.ASSISTANT_GRAMMAR)
                .interimInterval(Duration.ofMillis(40)).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    List<String> heard = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        CollectingSttListener listener = new CollectingSttListener();
                        try (SttStream stream = stt.open(new SttRequest("s" + id + "-" + round,
                                AudioFormat.PCM_16K_MONO, Duration.ZERO, ""), listener)) {
                            SpeechFixtures.feed(stream, speech);
                            stream.finalizeUtterance();
                            heard.add(listener.nextFinal().text());
                        }
                        assertThat(listener.errors).isEmpty();
                    }
                    return heard;
                }));
            }
            for (Future<List<String>> result : results) {
                assertThat(result.get(120, TimeUnit.SECONDS))
                        .hasSize(ROUNDS).containsOnly("turn on the living room lights");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
