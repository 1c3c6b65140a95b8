package io.parley.bench.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** The nice value is read from the right field of a task's stat line, whatever its thread is called. */
class ThreadNiceTest {

    @Test
    void niceIsField19EvenWhenTheThreadNameHoldsSpacesAndParentheses() {
        StringJoiner stat = new StringJoiner(" ");
        stat.add("4321").add("(a (b) c)").add("S");
        for (int field = 4; field <= 52; field++) {
            stat.add(field == 18 ? "25" : field == 19 ? "-5" : Integer.toString(field * 100));
        }
        assertThat(ThreadNice.nice(stat.toString())).isEqualTo(-5);
    }

    @Test
    void aDriverThreadIsReportedAtTheNiceItRunsAt() throws Exception {
        // A new thread starts at its creator's nice: the test's, which a niced build raises.
        int mine = ThreadNice.nice(Files.readString(Path.of("/proc/thread-self/stat")));
        Thread driver = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "load-driver-test");
        driver.setDaemon(true);
        driver.start();
        try {
            assertThat(ThreadNice.describe()).matches("drivers " + mine + "(, .*)?");
        } finally {
            driver.interrupt();
        }
    }
}
