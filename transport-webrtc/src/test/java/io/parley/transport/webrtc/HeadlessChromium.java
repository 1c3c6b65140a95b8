package io.parley.transport.webrtc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium with a WAV file as its microphone. Closing kills it and every
 * process it spawned, and deletes its profile.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Process process;
    private final Path profile;
    private final Path log;

    private HeadlessChromium(Process process, Path profile, Path log) {
        this.process = process;
        this.profile = profile;
        this.log = log;
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    static HeadlessChromium open(URI page, Path microphoneWav) throws IOException {
        Path profile = Files.createTempDirectory("parley-chromium-");
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        List<String> cmd = List.of(BINARY.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--user-data-dir=" + profile,
                "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphoneWav,
                "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                page.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new HeadlessChromium(p, profile, log);
    }

    /** The browser's console and error output so far, for failure messages. */
    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a 48 kHz mono 16-bit WAV of a sine that loops without a click (whole cycles). */
    static Path toneWav(double hz, double amplitude, int seconds) throws IOException {
        int rate = 48_000;
        int n = rate * seconds;
        byte[] wav = new byte[44 + 2 * n];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(wav).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * n)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        Path f = Files.createTempFile("parley-tone-", ".wav");
        Files.write(f, wav);
        return f;
    }
}
