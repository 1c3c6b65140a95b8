package io.parley.providers.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §1 item 12: with the providers' default HTTP clients, a JVM whose last session
 * stopped exits within a second, without the application closing the providers.
 */
class JvmExitTest {

    @Test
    void aJvmExitsWithinOneSecondOfItsLastSessionStopping() throws Exception {
        try (FakeDeepgram fake = new FakeDeepgram()) {
            fake.responder = (conn, message) -> {
                if (DeepgramSttStream.CLOSE_STREAM.equals(message)) {
                    conn.ws.close(1000, null);
                }
            };
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    ExitAfterStopMain.class.getName(), fake.baseUrl()))
                    .redirectErrorStream(true).start();
            long stoppedAt = -1;
            StringBuilder output = new StringBuilder();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.equals("STOPPED")) {
                        stoppedAt = System.nanoTime();
                        break;
                    }
                }
                boolean exited = child.waitFor(30, TimeUnit.SECONDS);
                long exitedAt = System.nanoTime();
                if (!exited) {
                    child.destroyForcibly();
                }
                assertThat(stoppedAt).as("the child stopped its session; output:%n%s", output).isPositive();
                assertThat(exited).as("the child JVM exited").isTrue();
                assertThat(child.exitValue()).as("exit status; output:%n%s", output).isZero();
                assertThat(TimeUnit.NANOSECONDS.toMillis(exitedAt - stoppedAt))
                        .as("ms from the last session stopping to the JVM exiting").isLessThanOrEqualTo(1000);
            }
        }
    }
}
