package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.audio.echo.EchoGate;
import io.parley.audio.vad.DspVad;
import io.parley.spi.EchoSuppressor;
import io.parley.spi.Vad;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The echo gate alone, offline and faster than real time, for tuning: the same rooms,
 * recordings and {@code DspVad} as {@link EchoEval}, but no session and no threads. The far end
 * plays on (it is never paused), so detection here is harder than in a session. Prints echo
 * onsets over {@code --replies} replies, and per barge-in the delay from the true speech onset
 * to the first frame counted as user speech (missed if none within 1 s). Beside it, the same
 * delay for {@link IdealGate}, which is told the echo exactly: the floor for a gate that tells
 * the user from the echo by level (tuning seeds 6 to 9: p90 135 to 147 ms, against the gate's
 * 208 to 243).
 *
 * <p>{@code mvn -q -B -pl benchmarks exec:exec -Dbench.main=io.parley.bench.echo.EchoGateSweep
 * -Dbench.args="--margin-db 6"}; {@code --seed} (default 7) draws other replies, users and noise;
 * {@code --share} sets the gate's user share (default 0.5); {@code --echo-db} sets the echo
 * level (default -10; {@code none}: no echo, which leaves the detector's own onset latency).
 * {@code --cold on} gives every reply and every barge-in a new gate, as the first reply of a
 * session meets it: the echo path unknown. (In {@link EchoEval} each room's first barge-in is
 * such a trial, one in eight; here, by default, each room's barge-ins follow its echo replies.)
 */
public final class EchoGateSweep {

    private static final int[] DELAYS_MS = {100, 140, 175, 210, 250};
    private static final int[] RT60_MS = {300, 450, 350, 500, 400};

    private EchoGateSweep() {
    }

    public static void main(String[] args) throws Exception {
        double margin = 6;
        int replies = 50;
        boolean gateOn = true;
        long seed = 7;
        double echoDb = -10;
        double share = 0.5;
        boolean cold = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--margin-db" -> margin = Double.parseDouble(args[i + 1]);
                case "--replies" -> replies = Integer.parseInt(args[i + 1]);
                case "--gate" -> gateOn = "on".equals(args[i + 1]);
                case "--share" -> share = Double.parseDouble(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--cold" -> cold = "on".equals(args[i + 1]);
                case "--echo-db" -> echoDb = "none".equals(args[i + 1]) ? Double.NaN : Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Recordings.Clip> prompts = Recordings.agentPrompts(2.0, 4.5);
        List<Recordings.Clip> users = Recordings.users(0.9);
        Random random = new Random(seed);
        int falseOnsets = 0;
        int detected = 0;
        int trials = 0;
        List<Double> delays = new java.util.ArrayList<>();
        List<Double> idealDelays = new java.util.ArrayList<>();
        IdealGate ideal = new IdealGate(margin, share);
        for (int room = 0; room < DELAYS_MS.length; room++) {
            // Built either way, so a run without echo draws the same replies, users and noise.
            RoomEcho path = new RoomEcho(Double.isNaN(echoDb) ? -10 : echoDb, DELAYS_MS[room], RT60_MS[room], random);
            RoomEcho echo = Double.isNaN(echoDb) ? new RoomEcho() : path;
            EchoGate.Builder settings = EchoGate.builder().marginDb(margin).userShare(share);
            Vad vad = DspVad.defaults().create(EchoRoom.FORMAT);
            Sim sim = new Sim(echo, gateOn ? settings.build() : null, vad, ideal, random);
            for (int r = 0; r < replies / DELAYS_MS.length; r++) {
                if (cold && gateOn) {
                    sim.gate = settings.build();
                }
                Recordings.Clip p = prompts.get(random.nextInt(prompts.size()));
                int o = sim.run(p.pcm(), null, 0, 1.0).onsets;
                if (o > 0 && Boolean.getBoolean("echo.verbose")) {
                    System.out.printf(Locale.ROOT, "room %d reply %d (%s): %d echo onsets%n", room, r, p.name(), o);
                }
                falseOnsets += o;
            }
            for (int t = 0; t < 8; t++) {
                Recordings.Clip p = prompts.get(random.nextInt(prompts.size()));
                Recordings.Clip p2 = prompts.get(random.nextInt(prompts.size()));
                short[] reply = new short[p.pcm().length + p2.pcm().length];
                System.arraycopy(p.pcm(), 0, reply, 0, p.pcm().length);
                System.arraycopy(p2.pcm(), 0, reply, p.pcm().length, p2.pcm().length);
                Recordings.Clip u = users.get(random.nextInt(users.size()));
                if (cold && gateOn) {
                    sim.gate = settings.build();
                }
                int at = EchoRoom.FORMAT.samplesFor(600 + random.nextInt(1000));
                if (Boolean.getBoolean("echo.verbose")) {
                    System.out.printf(Locale.ROOT, "start room %d barge-in %d (%s) user onset at frame %d%n", room, t, u.name(), (at + u.onsetSample()) / EchoRoom.FRAME);
                }
                Sim.Result res = sim.run(reply, u, at, 2.0);
                trials++;
                if (Boolean.getBoolean("echo.verbose")) {
                    System.out.printf(Locale.ROOT, "room %d barge-in %d (%s): onset -> user speech %.0f ms%n", room, t, u.name(), res.detectMs);
                }
                idealDelays.add(res.idealMs < 0 ? Double.POSITIVE_INFINITY : res.idealMs);
                if (res.detectMs >= 0 && res.detectMs <= 1000) {
                    detected++;
                    delays.add(res.detectMs);
                }
                falseOnsets += res.earlyOnsets;
            }
        }
        delays.sort(null);
        System.out.printf(Locale.ROOT, "gate=%s margin=%.1f dB: echo onsets %d over %d replies (and early in barge-in trials); "
                        + "barge-ins detected %d/%d, onset->user speech median %.0f ms p90 %.0f ms%n",
                gateOn ? "on" : "off", margin, falseOnsets, replies, detected, trials,
                delays.isEmpty() ? Double.NaN : delays.get(delays.size() / 2),
                delays.isEmpty() ? Double.NaN : delays.get((int) Math.min(delays.size() - 1, Math.ceil(0.9 * delays.size()) - 1)));
        // Over all barge-ins (one it never calls counts as later than any), so its p90 is a floor for the gate's.
        idealDelays.sort(null);
        System.out.printf(Locale.ROOT, "ideal gate (told the echo exactly, same bands, margin and user share): onset->first user block "
                        + "median %.0f ms p90 %.0f ms, none within 1 s %d/%d%n",
                idealDelays.get(idealDelays.size() / 2), idealDelays.get((int) Math.ceil(0.9 * idealDelays.size()) - 1),
                idealDelays.stream().filter(d -> d.isInfinite()).count(), idealDelays.size());
    }

    /** One microphone, frame by frame. */
    private static final class Sim {
        /** {@code idealMs}: onset to the first block {@link IdealGate} calls the user's (-1 if none). */
        record Result(int onsets, int earlyOnsets, double detectMs, double idealMs) {
        }

        private final RoomEcho echo;
        /** Replaced by a new one per trial with {@code --cold on}; the detector and the speech state carry on. */
        EchoSuppressor gate;
        private final Vad vad;
        private final IdealGate ideal;
        private final Random random;
        private final AudioFrame near = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        private final AudioFrame far = AudioFrame.allocate(EchoRoom.FORMAT, EchoRoom.FRAME);
        private final float[] mic = new float[EchoRoom.FRAME];
        private final float noise = (float) (Math.pow(10, -60 / 20.0) * 32768 * Math.sqrt(3));
        private boolean speaking;

        Sim(RoomEcho echo, EchoSuppressor gate, Vad vad, IdealGate ideal, Random random) {
            this.echo = echo;
            this.gate = gate;
            this.vad = vad;
            this.ideal = ideal;
            this.random = random;
        }

        /** Plays {@code reply} then {@code tailSeconds} of silence; {@code user} starts at sample {@code userAt}. */
        Result run(short[] reply, Recordings.Clip user, int userAt, double tailSeconds) {
            int total = reply.length + (int) (tailSeconds * EchoRoom.FORMAT.sampleRate());
            int onsets = 0;
            int early = 0;
            double detect = -1;
            double idealMs = -1;
            int userOnset = user == null ? Integer.MAX_VALUE : userAt + user.onsetSample();
            for (int pos = 0; pos + EchoRoom.FRAME <= total; pos += EchoRoom.FRAME) {
                short[] f = far.samples();
                int n = Math.max(0, Math.min(EchoRoom.FRAME, reply.length - pos));
                System.arraycopy(reply, Math.min(pos, reply.length), f, 0, n);
                java.util.Arrays.fill(f, n, EchoRoom.FRAME, (short) 0);
                far.setLength(EchoRoom.FRAME);
                java.util.Arrays.fill(mic, 0f);
                echo.process(f, EchoRoom.FRAME, mic);
                short[] m = near.samples();
                for (int i = 0; i < EchoRoom.FRAME; i++) {
                    float v = mic[i] + (random.nextFloat() * 2 - 1) * noise;
                    int u = pos + i - userAt;
                    if (user != null && u >= 0 && u < user.pcm().length) {
                        v += user.pcm()[u];
                    }
                    m[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
                }
                near.setLength(EchoRoom.FRAME);
                boolean voice = vad.process(near).speech();
                if (voice && idealMs < 0 && pos + EchoRoom.FRAME > userOnset && pos < userOnset + EchoRoom.FORMAT.sampleRate()
                        && ideal.user(m, mic)) {
                    idealMs = (pos + EchoRoom.FRAME - userOnset) * 1000.0 / EchoRoom.FORMAT.sampleRate();
                }
                boolean speech = voice;
                if (gate != null) {
                    gate.played(far);
                    speech = gate.userSpeech(near, voice);
                }
                if (speech && !speaking) {
                    if (pos + EchoRoom.FRAME <= userOnset) {
                        if (user == null) {
                            onsets++;
                            if (Boolean.getBoolean("echo.verbose")) {
                                System.out.printf(Locale.ROOT, "echo onset %d ms into the reply%n", pos * 1000L / EchoRoom.FORMAT.sampleRate());
                            }
                        } else {
                            early++;
                            if (Boolean.getBoolean("echo.verbose")) {
                                System.out.printf(Locale.ROOT, "early onset %s: %d ms after the reply started, %d ms before the user's onset%n",
                                        user.name(), pos * 1000L / EchoRoom.FORMAT.sampleRate(),
                                        (userOnset - pos) * 1000L / EchoRoom.FORMAT.sampleRate());
                            }
                        }
                    } else if (detect < 0 && user != null) {
                        detect = (pos + EchoRoom.FRAME - userOnset) * 1000.0 / EchoRoom.FORMAT.sampleRate();
                    }
                }
                if (speech && speaking && detect < 0 && user != null && pos >= userOnset) {
                    // Speech already running from before the onset (an early onset): count from now.
                    detect = (pos + EchoRoom.FRAME - userOnset) * 1000.0 / EchoRoom.FORMAT.sampleRate();
                }
                speaking = speech;
            }
            return new Result(onsets, early, detect, idealMs);
        }
    }
}
