package io.parley.bench.echo;

import dev.onvoid.webrtc.media.audio.AudioProcessing;
import dev.onvoid.webrtc.media.audio.AudioProcessingConfig;
import dev.onvoid.webrtc.media.audio.AudioProcessingStats;
import dev.onvoid.webrtc.media.audio.AudioProcessingStreamConfig;
import io.parley.audio.AudioFrame;
import io.parley.audio.echo.AdaptiveEchoCanceller;
import io.parley.audio.vad.DspVad;
import io.parley.echo.webrtc.WebRtcEchoCanceller;
import io.parley.spi.Vad;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The echo canceller frame by frame, offline, for finding a decision on its output: the same
 * rooms, replies, users and draw order as {@link EchoGateSweep} (so a seed gives the same
 * trials), with {@link WebRtcEchoCanceller} in front of {@code DspVad}. Writes one line per
 * 20 ms frame to a tab-separated file: the trial, where the user's true onset lies, the mean
 * squares of the far end, of the echo and of the user as they reach the microphone, of the
 * microphone and of the canceller's output, the detector's verdict on the output, on the
 * microphone and on the user alone (what it would say without echo), the canceller's own
 * verdict, and AEC3's statistics from a second instance fed the same audio (echo return loss
 * and its enhancement, the delay it found). The far end plays on through the barge-ins, unless
 * {@code --far-stops on}: then, as in {@link EchoEval}'s barge-in phase, the agent stops at
 * the adaptive canceller's first user frame after the user's recording began (or at the
 * user's onset plus a second if it never says so), and the trial goes on until the user's
 * recording and 2.5 s of silence are over, so the canceller hears only the start of each
 * reply. {@code --replies N} echo-only replies per five rooms come before each room's eight
 * barge-ins (default 50; {@code 0} for barge-ins only, as {@link EchoEval}'s barge-in phase).
 * At the end it prints, for the adaptive canceller and for the detector on the user alone
 * (no echo), echo onsets over the replies, onsets before the user's recording began, missed
 * barge-ins (nothing within a second of the onset) and the onset to the end of the first
 * user frame, median and p90.
 *
 * <p>{@code java -cp ... io.parley.bench.echo.AecTrace --seed 7 --out /tmp/trace-7.tsv}
 */
public final class AecTrace {

    private static final int[] DELAYS_MS = {100, 140, 175, 210, 250};
    private static final int[] RT60_MS = {300, 450, 350, 500, 400};
    /** With -Dtrace.aec3=false only the adaptive canceller runs (AEC3, its statistics and the gate are left out). */
    private static final boolean WITH_AEC3 = !"false".equals(System.getProperty("trace.aec3"));

    private AecTrace() {
    }

    public static void main(String[] args) throws Exception {
        long seed = 7;
        int replies = 50;
        Path out = null;
        boolean farStops = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--replies" -> replies = Integer.parseInt(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                case "--far-stops" -> farStops = "on".equals(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out FILE is required");
        }
        List<Recordings.Clip> prompts = Recordings.agentPrompts(2.0, 4.5);
        List<Recordings.Clip> users = Recordings.users(0.9);
        Random random = new Random(seed);
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            w.write("trial\tkind\troom\tframe\tonset\tfar\techo\tuser\tmic\tout\tvadOut\tprobOut\tvadMic\tvadUser\taec\terl\terle\tdelay\tgate\tlin\tlinRes\tvadLin\tlinUser\n");
            int trial = 0;
            for (int room = 0; room < DELAYS_MS.length; room++) {
                RoomEcho echo = new RoomEcho(-10, DELAYS_MS[room], RT60_MS[room], random);
                Sim sim = new Sim(echo, random, w, room, farStops);
                for (int r = 0; r < replies / DELAYS_MS.length; r++) {
                    Recordings.Clip p = prompts.get(random.nextInt(prompts.size()));
                    sim.run(trial++, "reply", p.pcm(), null, 0, 1.0);
                }
                for (int t = 0; t < 8; t++) {
                    Recordings.Clip p = prompts.get(random.nextInt(prompts.size()));
                    Recordings.Clip p2 = prompts.get(random.nextInt(prompts.size()));
                    short[] reply = new short[p.pcm().length + p2.pcm().length];
                    System.arraycopy(p.pcm(), 0, reply, 0, p.pcm().length);
                    System.arraycopy(p2.pcm(), 0, reply, p.pcm().length, p2.pcm().length);
                    Recordings.Clip u = users.get(random.nextInt(users.size()));
                    int at = EchoRoom.FORMAT.samplesFor(600 + random.nextInt(1000));
                    sim.run(trial++, "bargein:" + u.name(), reply, u, at, 2.0);
                }
                sim.close();
                allLin.add(sim.lin);
                allNoEcho.add(sim.noEcho);
            }
        }
        System.out.printf(Locale.ROOT, "seed %d, %d replies, far end %s: trace in %s%n", seed, replies,
                farStops ? "stops at the canceller's first user frame" : "plays on", out);
        allLin.print("adaptive canceller");
        allNoEcho.print("detector on the user alone");
    }

    private static final Outcomes allLin = new Outcomes();
    private static final Outcomes allNoEcho = new Outcomes();

    /** What a user-speech verdict did over replies and barge-ins. */
    private static final class Outcomes {
        int echoOnsets;
        int earlyOnsets;
        int missed;
        int leadIns;
        final List<Integer> firstMillis = new java.util.ArrayList<>();

        void add(Outcomes o) {
            echoOnsets += o.echoOnsets;
            earlyOnsets += o.earlyOnsets;
            missed += o.missed;
            leadIns += o.leadIns;
            firstMillis.addAll(o.firstMillis);
        }

        void print(String what) {
            firstMillis.sort(null);
            System.out.printf(Locale.ROOT, "%s: echo onsets over the replies %d, onsets before the user began %d, missed %d of %d,"
                            + " in the lead-in %d, onset -> end of the first user frame median %s / p90 %s ms%n",
                    what, echoOnsets, earlyOnsets, missed, missed + leadIns + firstMillis.size(), leadIns, pct(0.5), pct(0.9));
        }

        private String pct(double q) {
            if (firstMillis.isEmpty()) {
                return "-";
            }
            int i = (int) Math.ceil(q * firstMillis.size()) - 1;
            return String.valueOf(firstMillis.get(Math.max(0, i)));
        }
    }

    /** One microphone in one room, frame by frame; the canceller carries on from trial to trial. */
    private static final class Sim {
        private final RoomEcho echo;
        private final Random random;
        private final BufferedWriter w;
        private final int room;
        private final boolean farStops;
        final Outcomes lin = new Outcomes();
        final Outcomes noEcho = new Outcomes();
        private final WebRtcEchoCanceller aec = WebRtcEchoCanceller.create();
        private final AudioProcessing stats = new AudioProcessing();
        private final AudioProcessingStreamConfig config = new AudioProcessingStreamConfig(EchoRoom.FORMAT.sampleRate(), 1);
        private final Vad vadOut = DspVad.defaults().create(EchoRoom.FORMAT);
        private final Vad vadMic = DspVad.defaults().create(EchoRoom.FORMAT);
        private final Vad vadUser = DspVad.defaults().create(EchoRoom.FORMAT);
        private final Vad vadLin = DspVad.defaults().create(EchoRoom.FORMAT);
        private final Vad vadGate = DspVad.defaults().create(EchoRoom.FORMAT);
        private final io.parley.audio.echo.EchoGate gate = io.parley.audio.echo.EchoGate.create();
        private final AdaptiveEchoCanceller canceller = AdaptiveEchoCanceller.create();
        private final AudioFrame linFrame = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        private final AudioFrame near = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        private final AudioFrame cancelled = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        private final AudioFrame clean = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        private final AudioFrame far = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        private final float[] mic = new float[EchoRoom.FRAME];
        private final float noise = (float) (Math.pow(10, -60 / 20.0) * 32768 * Math.sqrt(3));
        private final int block = EchoRoom.FORMAT.samplesFor(10);
        private final byte[] in = new byte[2 * block];
        private final byte[] rev = new byte[2 * block];
        private final byte[] sink = new byte[2 * block];

        Sim(RoomEcho echo, Random random, BufferedWriter w, int room, boolean farStops) {
            this.echo = echo;
            this.farStops = farStops;
            this.random = random;
            this.w = w;
            this.room = room;
            AudioProcessingConfig c = new AudioProcessingConfig();
            c.echoCanceller.enabled = true;
            c.echoCanceller.enforceHighPassFiltering = true;
            c.noiseSuppression.enabled = false;
            c.gainControl.enabled = false;
            c.highPassFilter.enabled = false;
            stats.applyConfig(c);
        }

        void run(int trial, String kind, short[] reply, Recordings.Clip user, int userAt, double tailSeconds) throws IOException {
            int total = reply.length + (int) (tailSeconds * EchoRoom.FORMAT.sampleRate());
            int onsetFrame = user == null ? -1 : (userAt + user.onsetSample()) / EchoRoom.FRAME;
            int startFrame = user == null ? -1 : userAt / EchoRoom.FRAME;
            if (farStops && user != null) {
                total = userAt + user.pcm().length + EchoRoom.FORMAT.samplesFor(2500);
            }
            int farEnd = reply.length;
            int frame = 0;
            boolean linWas = false;
            int linFirst = -1;
            int cleanFirst = -1;
            for (int pos = 0; pos + EchoRoom.FRAME <= total; pos += EchoRoom.FRAME, frame++) {
                if (farStops && user != null && farEnd == reply.length && (linFirst >= 0 || frame > onsetFrame + 50)) {
                    // The agent paused at the canceller's verdict (or gave up a second after the onset): its reply ends.
                    farEnd = Math.min(reply.length, pos);
                }
                short[] f = far.samples();
                int n = Math.max(0, Math.min(EchoRoom.FRAME, farEnd - pos));
                System.arraycopy(reply, Math.min(pos, reply.length), f, 0, n);
                java.util.Arrays.fill(f, n, EchoRoom.FRAME, (short) 0);
                far.setLength(EchoRoom.FRAME);
                java.util.Arrays.fill(mic, 0f);
                echo.process(f, EchoRoom.FRAME, mic);
                double echoE = 0;
                double userE = 0;
                short[] m = near.samples();
                short[] c = clean.samples();
                for (int i = 0; i < EchoRoom.FRAME; i++) {
                    echoE += (double) mic[i] * mic[i];
                    float nz = (random.nextFloat() * 2 - 1) * noise;
                    float v = mic[i] + nz;
                    float uv = 0;
                    int u = pos + i - userAt;
                    if (user != null && u >= 0 && u < user.pcm().length) {
                        uv = user.pcm()[u];
                    }
                    userE += (double) uv * uv;
                    m[i] = clip(v + uv);
                    c[i] = clip(nz + uv);
                }
                near.setLength(EchoRoom.FRAME);
                clean.setLength(EchoRoom.FRAME);
                boolean micVoice = vadMic.process(near).speech();
                boolean userVoice = vadUser.process(clean).speech();
                boolean said = false;
                boolean gateSaid = false;
                boolean outVoice = false;
                float outProbability = 0;
                double erl = 0;
                double erle = 0;
                int delay = 0;
                if (WITH_AEC3) {
                    aec.played(far);
                    cancelled.setLength(EchoRoom.FRAME);
                    aec.cancel(near, cancelled);
                    var r = vadOut.process(cancelled);
                    outVoice = r.speech();
                    outProbability = r.probability();
                    said = aec.userSpeech(cancelled, outVoice);
                    for (int b = 0; b < 2; b++) {
                        toBytes(f, b * block, rev);
                        stats.processReverseStream(rev, config, config, sink);
                        toBytes(m, b * block, in);
                        stats.processStream(in, config, config, sink);
                    }
                    AudioProcessingStats s = stats.getStatistics();
                    erl = s.echoReturnLoss;
                    erle = s.echoReturnLossEnhancement;
                    delay = s.delayMs;
                    gate.played(far);
                    gateSaid = gate.userSpeech(near, vadGate.process(near).speech());
                }
                canceller.played(far);
                linFrame.setLength(EchoRoom.FRAME);
                canceller.cancel(near, linFrame);
                short[] lf = linFrame.samples();
                double linE = 0;
                double linRes = 0;
                for (int i = 0; i < EchoRoom.FRAME; i++) {
                    linE += (double) lf[i] * lf[i];
                    double res = lf[i] - c[i];
                    linRes += res * res;
                }
                boolean linVoice = vadLin.process(linFrame).speech();
                boolean linUser = canceller.userSpeech(linFrame, linVoice);
                if (user == null) {
                    lin.echoOnsets += linUser && !linWas ? 1 : 0;
                } else if (frame < startFrame) {
                    lin.earlyOnsets += linUser && !linWas ? 1 : 0;
                } else if (linUser && linFirst < 0) {
                    linFirst = frame;
                }
                if (user != null && frame >= onsetFrame && userVoice && cleanFirst < 0) {
                    cleanFirst = frame;
                }
                linWas = linUser;
                w.write(String.format(Locale.ROOT, "%d\t%s\t%d\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%.3f\t%d\t%d\t%d\t%.2f\t%.2f\t%d",
                        trial, kind, room, frame, onsetFrame, ms(f), echoE / EchoRoom.FRAME, userE / EchoRoom.FRAME, ms(m),
                        ms(cancelled.samples()), outVoice ? 1 : 0, outProbability, micVoice ? 1 : 0, userVoice ? 1 : 0,
                        said ? 1 : 0, erl, erle, delay));
                w.write(String.format(Locale.ROOT, "\t%d\t%.1f\t%.1f\t%d\t%d\n", gateSaid ? 1 : 0, linE / EchoRoom.FRAME,
                        linRes / EchoRoom.FRAME, linVoice ? 1 : 0, linUser ? 1 : 0));
            }
            if (user != null) {
                count(lin, linFirst, onsetFrame);
                count(noEcho, cleanFirst, onsetFrame);
            }
        }

        /**
         * The first user frame's end after the true onset; a miss beyond a second; a verdict in
         * the recording's lead-in (a breath before the first word) left out, as in {@link EchoEval}.
         */
        private static void count(Outcomes o, int first, int onsetFrame) {
            if (first >= 0 && first < onsetFrame) {
                o.leadIns++;
            } else if (first < 0 || first - onsetFrame >= 50) {
                o.missed++;
            } else {
                o.firstMillis.add((first - onsetFrame + 1) * 20);
            }
        }

        void close() {
            aec.close();
            stats.dispose();
        }

        private static short clip(float v) {
            return (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }

        private static double ms(short[] x) {
            double e = 0;
            for (int i = 0; i < EchoRoom.FRAME; i++) {
                e += (double) x[i] * x[i];
            }
            return e / EchoRoom.FRAME;
        }

        private static void toBytes(short[] src, int from, byte[] dst) {
            for (int i = 0; i < dst.length / 2; i++) {
                short v = src[from + i];
                dst[2 * i] = (byte) v;
                dst[2 * i + 1] = (byte) (v >> 8);
            }
        }
    }
}
