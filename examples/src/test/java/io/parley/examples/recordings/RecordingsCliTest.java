package io.parley.examples.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingsCliTest {

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class StepClock extends Clock {
        Instant now = Instant.parse("2025-11-08T15:45:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final StepClock clock = new StepClock();
    String out;
    String err;

    int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        all[0] = "--store";
        all[1] = dir.resolve("store").toString();
        all[2] = "--zone";
        all[3] = "UTC";
        System.arraycopy(args, 0, all, 4, args.length);
        int code = new RecordingsCli(clock, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8)).run(all);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    void later(int minutes) {
        clock.now = clock.now.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void recordsAndBrowsesAConversation() throws Exception {
        assertThat(run("start", "oauth-implementation", "--user", "123", "STRYK")).isZero();
        assertThat(out).contains("Recording started", "Session: oauth-implementation", "Time:    3:45 PM");
        later(1);
        assertThat(run("add", "user", "!ai", "How", "do", "I", "implement", "OAuth2?")).isZero();
        assertThat(out).contains("[3:46 PM] STRYK: !ai How do I implement OAuth2?");
        later(1);
        run("add", "bot", "OAuth2 is an authorization framework.");
        later(2);
        run("add", "user", "!ai Show me token refresh code, mail me at ada@example.com");
        assertThat(out).contains("[REDACTED:email]").doesNotContain("ada@example.com");
        later(1);
        run("add", "bot", "Here is the token refresh implementation.", "--attach", "refresh.py");
        assertThat(out).contains("(attachments: refresh.py)");
        assertThat(run("tag", "found-solution")).isZero();
        assertThat(out).contains("Tag added: found-solution (3:50 PM)");
        assertThat(run("pause")).isZero();
        assertThat(run("add", "user", "not recorded")).isEqualTo(1);
        assertThat(err).contains("recording 'oauth-implementation' is paused");
        assertThat(run("resume")).isZero();
        later(10);
        run("add", "user", "Token refresh works!");
        assertThat(run("start", "other")).isEqualTo(1);
        assertThat(err).contains("'oauth-implementation' is active; stop it first");
        assertThat(run("stop")).isZero();
        assertThat(out).contains("Recording stopped", "Duration: 15m 0s", "Messages: 9");

        assertThat(run("list")).isZero();
        assertThat(out).contains("1. oauth-implementation (15m 0s, 9 msgs, ", ") - 2025-11-08", "Total: 1 recordings, 9 messages");
        assertThat(run("load", "oauth-implementation", "3")).isZero();
        assertThat(out).contains("Messages: 9", "First 3 messages:", "[3:46 PM] STRYK: !ai How do I implement OAuth2?")
                .doesNotContain("Token refresh works");
        assertThat(run("stats", "oauth-implementation")).isZero();
        assertThat(out).contains("Messages: 5", "STRYK: 3 messages", "Commands used: 2", "- !ai: 2",
                "Longest gap: 10m 0s (3:50 PM-4:00 PM)", "- refresh");
        assertThat(run("tags", "oauth-implementation")).isZero();
        assertThat(out).contains("- found-solution (3:50 PM");
        assertThat(run("goto", "oauth-implementation", "found-solution")).isZero();
        assertThat(out).contains("Tag found-solution in oauth-implementation at 3:50 PM", "Token refresh works!");
        assertThat(run("search", "oauth-implementation", "token", "refresh")).isZero();
        assertThat(out).contains("Found 3 matches in oauth-implementation:", "[4:00 PM] STRYK: \"Token refresh works!\"");
        Path exports = dir.resolve("exports");
        assertThat(run("export", "oauth-implementation", "md", exports.toString())).isZero();
        assertThat(Files.readString(exports.resolve("oauth-implementation.md"))).startsWith("# Session: oauth-implementation")
                .contains("- attachment: refresh.py");
        run("export", "oauth-implementation", "json", exports.toString());
        assertThat(Files.readString(exports.resolve("oauth-implementation.json"))).contains("\"attachments\" : [ \"refresh.py\" ]");
        assertThat(run("export", "oauth-implementation", "pdf", exports.toString())).isZero();
        assertThat(exports.resolve("oauth-implementation.pdf")).isNotEmptyFile();

        later(60 * 24);
        assertThat(run("resume", "oauth-implementation")).isZero();
        assertThat(out).contains("Resumed recording: oauth-implementation", "Messages so far: 9");
        run("add", "user", "one more thing");
        run("save", "oauth-complete");
        assertThat(out).contains("Saved oauth-implementation as oauth-complete");
        run("stop");
        assertThat(run("load", "oauth-implementation")).isEqualTo(1);
        assertThat(err).contains("no recording named 'oauth-implementation'");

        run("start", "docker-setup");
        run("add", "user", "How do I write a Dockerfile?");
        run("stop");
        assertThat(run("merge", "oauth-complete", "docker-setup", "--output", "everything")).isZero();
        assertThat(out).contains("oauth-complete: 12 messages", "docker-setup: 3 messages", "Merged into everything (16 messages");
        assertThat(run("search", "Dockerfile")).isZero();
        assertThat(out).contains("Found 2 matches in all recordings:", "docker-setup [", "everything [");
        assertThat(run("delete", "docker-setup")).isZero();
        run("list");
        assertThat(out).contains("Total: 2 recordings");
    }

    @Test
    void reportsUnknownNamesAndBadArgumentsClearly() {
        assertThat(run("load", "nope")).isEqualTo(1);
        assertThat(err).contains("no recording named 'nope'");
        assertThat(run("dance")).isEqualTo(2);
        assertThat(err).contains("unknown command 'dance'", "usage: recordings");
        assertThat(run()).isEqualTo(2);
        assertThat(err).contains("no command given");
        assertThat(run("start", "bad name!")).isEqualTo(2);
        assertThat(err).contains("recording name must be");
        assertThat(run("stop")).isEqualTo(1);
        assertThat(err).contains("no active recording to stop");
        assertThat(run("tag", "x")).isEqualTo(1);
        run("start", "s1");
        run("stop");
        assertThat(run("export", "s1", "docx")).isEqualTo(2);
        assertThat(err).contains("unknown export format 'docx'");
        assertThat(run("goto", "s1", "missing")).isEqualTo(1);
        assertThat(err).contains("no tag 'missing' in recording 's1'");
        assertThat(run("load", "s1", "zero")).isEqualTo(2);
        assertThat(run("merge", "s1", "--output")).isEqualTo(2);
        assertThat(run("merge", "s1", "nope", "--output", "m")).isEqualTo(1);
        assertThat(run("add", "robot", "hi")).isEqualTo(1);
        assertThat(run("--bogus", "list")).isEqualTo(2);
        assertThat(run("--help")).isZero();
        assertThat(out).contains("usage: recordings");
    }

    @Test
    void encryptedStoreNeedsTheKeyFile() throws Exception {
        Path key = dir.resolve("key");
        Files.write(key, new byte[32]);
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        String[] base = {"--store", dir.resolve("enc").toString(), "--key-file", key.toString()};
        RecordingsCli cli = new RecordingsCli(clock, new PrintStream(ignored, true, StandardCharsets.UTF_8),
                new PrintStream(ignored, true, StandardCharsets.UTF_8));
        assertThat(cli.run(concat(base, "start", "secret"))).isZero();
        assertThat(cli.run(concat(base, "add", "user", "classified words"))).isZero();
        assertThat(cli.run(concat(base, "stop"))).isZero();
        try (var files = Files.walk(dir.resolve("enc"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                        .doesNotContain("classified");
            }
        }
        assertThat(cli.run(concat(base, "search", "classified"))).isZero();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        RecordingsCli noKey = new RecordingsCli(clock, new PrintStream(ignored, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        assertThat(noKey.run(new String[] {"--store", dir.resolve("enc").toString(), "load", "secret"})).isEqualTo(1);
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("DECRYPTION_FAILED", "no KeyProvider");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void autoRecordingKeepsOneRecordingPerDayAndStopsWhenTurnedOff() {
        assertThat(run("auto", "on")).isZero();
        assertThat(out).contains("Auto-recording enabled", "auto_2025-11-08");
        assertThat(run("add", "user", "first", "message")).isZero();
        assertThat(out).contains("New session started: auto_2025-11-08");
        assertThat(run("tag", "checkpoint")).isZero();
        clock.now = clock.now.plus(java.time.Duration.ofDays(1));
        assertThat(run("add", "user", "next", "day")).isZero();
        assertThat(out).contains("Stopped auto_2025-11-08", "New session started: auto_2025-11-09");
        assertThat(run("auto", "off")).isZero();
        assertThat(out).contains("Stopped auto_2025-11-09", "Auto-recording disabled");
        assertThat(run("add", "user", "not recorded")).isEqualTo(1);
        assertThat(run("load", "auto_2025-11-08")).isZero();
        assertThat(out).contains("first message");
        assertThat(run("auto", "maybe")).isEqualTo(2);
    }

    @Test
    void anonymizedExportAndComplianceReport() throws Exception {
        run("start", "call-ada", "--user", "u-9", "Ada");
        run("add", "user", "I am Ada, write to ada@example.com");
        run("stop");
        assertThat(run("anonymize", "call-ada", "txt", dir.resolve("out").toString())).isZero();
        String txt;
        try (var files = java.nio.file.Files.list(dir.resolve("out"))) {
            txt = java.nio.file.Files.readString(files.findFirst().orElseThrow());
        }
        // Ada's name as a word: the pseudonyms are random hex (HMAC under a fresh secret) and may hold
        // "ada" inside them, e.g. anon-c084aada.
        assertThat(txt).doesNotContainPattern("(?i)\\bada\\b").contains("user-");
        assertThat(run("compliance", "gdpr")).isZero();
        assertThat(out).contains("Compliance report: GDPR", "call-ada", "no basis on record");
    }
}
