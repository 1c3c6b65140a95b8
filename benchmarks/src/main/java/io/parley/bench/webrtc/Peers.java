package io.parley.bench.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.transport.webrtc.TransportSettings;
import io.parley.transport.webrtc.WebRtcEngine;
import io.parley.transport.webrtc.WebRtcTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Helpers shared by the WebRTC harnesses: in-JVM peer pairs, tones, process metrics. */
final class Peers {

    private Peers() {
    }

    /** Two connected transports of one engine: {@code [0]} offered, {@code [1]} answered. */
    static WebRtcTransport[] pair(WebRtcEngine engine, TransportSettings settings) {
        WebRtcTransport a = engine.offer(settings);
        WebRtcTransport b;
        try {
            b = engine.answer(a.localDescription(), settings);
            a.acceptAnswer(b.localDescription());
        } catch (RuntimeException e) {
            a.close();
            throw e;
        }
        if (!a.awaitConnected(Duration.ofSeconds(10)) || !b.awaitConnected(Duration.ofSeconds(10))) {
            a.close();
            b.close();
            throw new IllegalStateException("peer pair did not connect within 10 s");
        }
        return new WebRtcTransport[] {a, b};
    }

    static AudioFrame sine(AudioFormat format, double hz, double amplitude, int millis) {
        int n = format.sampleRate() * millis / 1000;
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / format.sampleRate()));
        }
        return new AudioFrame(format, s, 0L);
    }

    static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** OS threads of this process (Java and native). */
    static int osThreads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no Threads in /proc/self/status");
    }

    /** Names of this process's OS threads (from /proc/self/task/N/comm), sorted. */
    static java.util.List<String> osThreadNames() throws IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    names.add(Files.readString(t.resolve("comm")).strip());
                } catch (java.nio.file.NoSuchFileException e) {
                    // The thread ended while we listed; it is not there any more.
                }
            }
        }
        java.util.Collections.sort(names);
        return names;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static int intArg(String[] args, int index, int dflt) {
        return args.length > index ? Integer.parseInt(args[index]) : dflt;
    }
}
