package io.parley.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server started for a test by {@code bin/pg-test} on a free loopback port and
 * stopped (and its directory removed) by {@link #close()}. Missing PostgreSQL skips the test,
 * except under {@code CI=true}, where it fails.
 */
final class PgCluster implements AutoCloseable {

    final Path dir;
    final String jdbcUrl;

    private PgCluster(Path dir, String jdbcUrl) {
        this.dir = dir;
        this.jdbcUrl = jdbcUrl;
    }

    static PgCluster start() throws Exception {
        Path script = repoRoot().resolve("bin/pg-test");
        Path dir = Files.createTempDirectory("parley-pg");
        // The server may run as the "postgres" user (when tests run as root): it must reach the directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(script.toString(), "start", dir.resolve("pg").toString(), String.valueOf(port))
                .redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/pg-test start did not finish within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() == 3) {
            delete(dir);
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("PostgreSQL is required under CI: " + out);
            }
            Assumptions.abort("PostgreSQL is not installed (bin/setup-deps installs it): " + out);
        }
        if (p.exitValue() != 0) {
            delete(dir);
            throw new AssertionError("bin/pg-test start failed: " + out);
        }
        String[] lines = out.split("\\R");
        return new PgCluster(dir, lines[lines.length - 1]);
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bin/pg-test"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new AssertionError("bin/pg-test not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    @Override
    public void close() throws Exception {
        Process p = new ProcessBuilder(repoRoot().resolve("bin/pg-test").toString(), "stop", dir.resolve("pg").toString())
                .redirectErrorStream(true).start();
        p.waitFor(60, TimeUnit.SECONDS);
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
