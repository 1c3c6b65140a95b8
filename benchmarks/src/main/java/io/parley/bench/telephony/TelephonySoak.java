package io.parley.bench.telephony;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.bench.session.Hiccups;
import io.parley.bench.session.Recorder;
import io.parley.session.SessionListener;
import io.parley.session.TurnMetrics;
import io.parley.session.UserSpeech;
import io.parley.session.VoiceSession;
import io.parley.spi.SttListener;
import io.parley.spi.SttProvider;
import io.parley.spi.SttRequest;
import io.parley.spi.SttStream;
import io.parley.spi.Transcript;
import io.parley.spi.Transport;
import io.parley.spi.TransportListener;
import io.parley.session.SessionException;
import io.parley.testing.FakeAgent;
import io.parley.testing.FakeTts;
import io.parley.testing.FakeVad;
import io.parley.time.Clock;
import io.parley.transport.websocket.MediaStreamProtocol;
import io.parley.transport.websocket.MediaStreamTransport;
import io.parley.transport.websocket.StreamStats;
import io.parley.transport.websocket.TelephonyRoutes;
import io.parley.transport.websocket.TelephonyServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * N concurrent Twilio calls on loopback at real-time pace, server and callers in one process.
 * Each caller sends 20 ms µ-law media messages on a fixed grid, speaks for 1.2 s every 8 s
 * (staggered), plays the agent's replies out in real time and echoes marks when their audio has
 * played. The callers are {@link WireCallers}: two threads for all calls and pre-encoded frames,
 * so what the soak costs is the server's (reported separately). Each call has its own {@code VoiceSession} (energy VAD, a recognizer that answers at
 * once, the test kit's synthesizer and agent), so the session's own work is cheap and the figures
 * are the transport's.
 *
 * <p>Reported: inbound lateness (frame handed by the transport to the session minus its due
 * time on the caller's grid) p50/p99/max, split where the frame reached the server's socket
 * (the caller began its write): the server's part (socket to session: the WebSocket
 * server, the protocol, µ-law decoding and resampling, the session's inbound path) and the
 * callers' part (behind their schedule); frames lost (sent minus delivered, plus sequence
 * gaps); skipped messages; per turn, caller speech end (the session's VAD offset) to the first
 * agent media message received by the caller, next to the session's own
 * {@code userToAgentAudio}; CPU and load average.
 *
 * <p>Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.main=io.parley.bench.telephony.TelephonySoak -Dbench.args="200 30 20"}
 * (calls, measured seconds, warm-up seconds)
 */
public final class TelephonySoak {

    private static final long FRAME_NANOS = WireCallers.FRAME_NANOS;
    /** Chunks of arrival times kept per call: 20 s, far more than any server lag. */
    static final int ARRIVALS = 1024;

    /** {@code System.nanoTime()} from which frames and turns count; before it the JVM warms up. */
    static volatile long measureFrom = Long.MAX_VALUE;

    /** One call as both ends see it. */
    static final class Probe {
        final String id;
        volatile long gridStart;
        final AtomicLong sent = new AtomicLong();
        long deliveredSamples;
        final long[] lateness;
        int latenessCount;
        volatile MediaStreamTransport transport;
        volatile VoiceSession session;
        final List<Instant> speechEnds = new CopyOnWriteArrayList<>();
        final List<Duration> sessionFigures = new CopyOnWriteArrayList<>();
        final List<Instant> replyStarts = new CopyOnWriteArrayList<>();

        /**
         * {@code frames}: most frames the measured window can hold. The arrays are sized to it:
         * three 64 Ki-entry arrays per call were 1.5 MB each, 600 MB of humongous regions at
         * 200 calls, and the collector's marking cycles and mixed pauses they caused were the
         * harness's own, not the server's.
         */
        Probe(String id, int frames) {
            this.id = id;
            this.lateness = new long[frames];
            this.sendLateness = new long[frames];
            this.serverLateness = new long[frames];
        }

        long startupLateness = -1;
        final long[] sendLateness;
        int sendCount;
        /**
         * When each media chunk reached the server's socket (the caller began its write: on
         * loopback the bytes are in the server's receive buffer microseconds later), by chunk
         * number modulo {@link #ARRIVALS}; 0 when the write found the socket full and the time
         * is not known.
         */
        final AtomicLongArray arrivals = new AtomicLongArray(ARRIVALS);
        final long[] serverLateness;
        int serverCount;
        /** Frames in the window whose arrival time is not known (their write was backed up). */
        long arrivalsUnknown;

        synchronized void sent(long lateNanos) {
            if (sendCount < sendLateness.length) {
                sendLateness[sendCount++] = lateNanos;
            }
        }

        /** Index of the first turn inside the measured window. */
        int firstMeasuredTurn;

        /** Lateness counts once the warm-up is over: before that the sessions start and the JIT compiles. */
        synchronized void delivered(int samples, long now) {
            // The chunk holding this frame's last sample: the frame could not be handed over before it arrived.
            long chunk = (deliveredSamples + samples - 1) / 320 + 1;
            deliveredSamples += samples;
            long due = gridStart + deliveredSamples * 1_000_000_000L / 16_000;
            if (startupLateness < 0) {
                startupLateness = now - due;
            }
            if (due >= measureFrom && latenessCount < lateness.length) {
                lateness[latenessCount++] = now - due;
                long arrived = arrivals.get((int) (chunk % ARRIVALS));
                if (arrived == 0) {
                    arrivalsUnknown++;
                } else if (serverCount < serverLateness.length) {
                    serverLateness[serverCount++] = now - arrived;
                }
            }
        }
    }

    /** A recognizer that has the words as soon as the turn ends: the soak measures transport and session, not recognition. */
    static final class InstantStt implements SttProvider {
        @Override
        public String name() {
            return "instant-stt";
        }

        @Override
        public SttStream open(SttRequest request, SttListener listener) {
            return new SttStream() {
                @Override
                public void write(AudioFrame frame) {
                }

                @Override
                public void finalizeUtterance() {
                    listener.onTranscript(Transcript.fin("what is the answer", true));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private TelephonySoak() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Map<String, Probe> probes = new ConcurrentHashMap<>();
        Clock clock = Clock.system();
        TelephonyServer server = TelephonyRoutes.builder()
                .stream("/twilio", MediaStreamProtocol.twilio(), call -> answer(call, probes.get(call.call().streamId()), clock))
                .build()
                .start("127.0.0.1", 0);
        // The platform's own stalls beside the server's lateness: what every thread of the process suffers alike.
        Hiccups hiccups = new Hiccups();
        hiccups.start();
        WireCallers callers = new WireCallers();
        for (int i = 0; i < calls; i++) {
            // The window, the drain after it and a margin, at 50 frames a second.
            Probe p = new Probe("MZ" + i, (seconds + 15) * 50);
            probes.put(p.id, p);
            callers.connect(server.port(), "/twilio", p, i);
        }
        long t0 = (System.nanoTime() / FRAME_NANOS + 5) * FRAME_NANOS;
        // Calls start over the first half of the warm-up, at most 5 s: every socket is open from
        // the beginning, and the server closes one that has sent no start within 10 s.
        callers.start(t0, Math.min(warmup * 500_000_000L, 5_000_000_000L));
        Thread.sleep(warmup * 1000L);
        String load0 = loadAverage();
        long cpu0 = cpuNanos();
        long callersCpu0 = callers.cpuNanos();
        for (Probe p : probes.values()) {
            p.firstMeasuredTurn = p.speechEnds.size();
        }
        measureFrom = System.nanoTime();
        hiccups.reset();
        Thread.sleep(seconds * 1000L);
        callers.stopPacing();
        Recorder stalls = new Recorder();
        stalls.addAll(hiccups.stalls());
        hiccups.stop();
        // Frames still on their way are late, not lost: wait for them (bounded).
        long sentTotal = probes.values().stream().mapToLong(p -> p.sent.get()).sum();
        long drain = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < drain && probes.values().stream().mapToLong(TelephonySoak::deliveredFrames).sum() < sentTotal) {
            Thread.sleep(20);
        }
        long cpu = cpuNanos() - cpu0;
        long driverCpu = callers.cpuNanos() - callersCpu0;
        String load1 = loadAverage();
        callers.hangUpAll();
        long end = System.nanoTime() + 10_000_000_000L;
        while (server.activeCalls() > 0 && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        report(calls, seconds, warmup, probes, cpu, driverCpu, callers.backedUp.get(), load0, load1, server.activeCalls());
        System.out.printf("  platform stalls in the window (a thread sleeping 1 ms at a time, overslept by): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                stalls.percentile(50), stalls.percentile(99), stalls.percentile(99.9), stalls.percentile(100));
        callers.close();
        server.close();
        System.exit(0);
    }

    private static VoiceSession answer(MediaStreamTransport call, Probe p, Clock clock) {
        p.transport = call;
        VoiceSession s = VoiceSession.builder()
                .clock(clock)
                .transport(new TimedTransport(call, p))
                .vad(new FakeVad())
                .stt(new InstantStt())
                .tts(FakeTts.builder(clock).firstAudioLatency(Duration.ofMillis(50)).build())
                .streamingAgent(FakeAgent.builder(clock).reply("The answer is forty two.").firstTextLatency(Duration.ofMillis(20)).build())
                .build();
        s.addListener(new SessionListener() {
            @Override
            public void onUserSpeech(UserSpeech speech) {
                if (!speech.speaking()) {
                    p.speechEnds.add(speech.at());
                }
            }

            @Override
            public void onTurnMetrics(TurnMetrics m) {
                if (m.userToAgentAudio() != null) {
                    p.sessionFigures.add(m.userToAgentAudio());
                }
            }
        });
        p.session = s;
        return s;
    }

    /** The call's transport, timing each caller frame as it is handed to the session. */
    static final class TimedTransport implements Transport {
        private final MediaStreamTransport t;
        private final Probe p;

        TimedTransport(MediaStreamTransport t, Probe p) {
            this.t = t;
            this.p = p;
        }

        @Override
        public AudioFormat inputFormat() {
            return t.inputFormat();
        }

        @Override
        public AudioFormat outputFormat() {
            return t.outputFormat();
        }

        @Override
        public void start(TransportListener listener) {
            t.start(new TransportListener() {
                @Override
                public void onAudio(AudioFrame frame) {
                    p.delivered(frame.length(), System.nanoTime());
                    listener.onAudio(frame);
                }

                @Override
                public void onDtmf(char digit, Duration duration) {
                    listener.onDtmf(digit, duration);
                }

                @Override
                public void onConnected() {
                    listener.onConnected();
                }

                @Override
                public void onDisconnected(String reason) {
                    listener.onDisconnected(reason);
                }

                @Override
                public void onError(SessionException error) {
                    listener.onError(error);
                }
            });
        }

        @Override
        public void send(AudioFrame frame) {
            t.send(frame);
        }

        @Override
        public void clearPlayback() {
            t.clearPlayback();
        }

        @Override
        public long playedSamples() {
            return t.playedSamples();
        }

        @Override
        public void close() {
            t.close();
        }
    }

    private static long deliveredFrames(Probe p) {
        synchronized (p) {
            return p.deliveredSamples / 320;
        }
    }

    private static void report(int calls, int seconds, int warmup, Map<String, Probe> probes, long cpu, long driverCpu, long backedUp,
                               String load0, String load1, int open) {
        long[] all = probes.values().stream().flatMapToLong(p -> Arrays.stream(p.lateness, 0, p.latenessCount)).sorted().toArray();
        long[] client = probes.values().stream().flatMapToLong(p -> Arrays.stream(p.sendLateness, 0, p.sendCount)).sorted().toArray();
        long[] server = probes.values().stream().flatMapToLong(p -> Arrays.stream(p.serverLateness, 0, p.serverCount)).sorted().toArray();
        long unknown = probes.values().stream().mapToLong(p -> p.arrivalsUnknown).sum();
        long sent = probes.values().stream().mapToLong(p -> p.sent.get()).sum();
        long delivered = probes.values().stream().mapToLong(p -> p.deliveredSamples / 320).sum();
        long gaps = 0;
        long skipped = 0;
        long dropped = 0;
        for (Probe p : probes.values()) {
            StreamStats s = p.transport == null ? null : p.transport.stats();
            if (s != null) {
                gaps += s.chunksMissing();
                skipped += s.skippedTotal();
                dropped += s.samplesDropped();
            }
        }
        long[] startup = probes.values().stream().mapToLong(p -> p.startupLateness).sorted().toArray();
        List<Long> overheads = new ArrayList<>();
        int turns = 0;
        for (Probe p : probes.values()) {
            int n = Math.min(Math.min(p.speechEnds.size(), p.sessionFigures.size()), p.replyStarts.size());
            for (int i = p.firstMeasuredTurn; i < n; i++) {
                long wire = Duration.between(p.speechEnds.get(i), p.replyStarts.get(i)).toNanos();
                overheads.add(wire - p.sessionFigures.get(i).toNanos());
                turns++;
            }
        }
        long[] over = overheads.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("TelephonySoak: %d Twilio calls on loopback, %d s at real-time pace after %d s of warm-up%n", calls, seconds, warmup);
        System.out.printf("  inbound lateness in the measured window (handed to the session - due on caller's grid), %d frames: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                all.length, ms(pct(all, 50)), ms(pct(all, 99)), ms(all.length == 0 ? 0 : all[all.length - 1]));
        System.out.printf("  server side (handed to the session - arrived at the server's socket), %d frames: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms"
                        + " (%d frames whose write was backed up have no arrival time)%n",
                server.length, ms(pct(server, 50)), ms(pct(server, 99)), ms(pct999(server)), ms(server.length == 0 ? 0 : server[server.length - 1]), unknown);
        System.out.printf("  callers behind their schedule (arrived at the server's socket = caller's write began - due): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                ms(pct(client, 50)), ms(pct(client, 99)), ms(pct999(client)), ms(client.length == 0 ? 0 : client[client.length - 1]));
        System.out.printf("  session start: first caller frame reached the session p50 %.0f ms, max %.0f ms after it was due%n",
                ms(pct(startup, 50)), ms(startup.length == 0 ? 0 : startup[startup.length - 1]));
        long unanswered = probes.values().stream().filter(p -> p.transport == null).count();
        System.out.printf("  frames: sent %d, delivered to sessions %d, lost %d (sequence gaps %d, dropped while sessions started %d), skipped messages %d;"
                        + " calls that never started %d%n",
                sent, delivered, Math.max(0, sent - delivered), gaps, dropped / 320, skipped, unanswered);
        System.out.printf("  turns %d: (caller speech end -> first agent media at the caller) - session's userToAgentAudio: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                turns, ms(pct(over, 50)), ms(pct(over, 99)), ms(over.length == 0 ? 0 : over[over.length - 1]));
        System.out.printf("  CPU %.1f s over %d s (%.0f%% of one core): callers' 2 threads %.1f s, server + sessions + JVM %.1f s"
                        + " = %.2f%% of one core per call; caller writes that found the socket full %d%n",
                cpu / 1e9, seconds, 100.0 * cpu / 1e9 / seconds, driverCpu / 1e9, (cpu - driverCpu) / 1e9,
                100.0 * (cpu - driverCpu) / 1e9 / seconds / calls, backedUp);
        System.out.printf("  load average before %s, after %s; calls still open %d%n", load0, load1, open);
    }

    private static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long pct999(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.999 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
