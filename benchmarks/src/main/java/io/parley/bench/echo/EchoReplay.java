package io.parley.bench.echo;

import io.parley.audio.AudioFrame;
import io.parley.audio.echo.EchoGate;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.util.Locale;

/**
 * Replays an {@link EchoTap} recording (from {@code EchoEval --record DIR}) through a fresh
 * {@link EchoGate}, offline: per trial, the user-speech onsets the recorded gate gave and the
 * replayed gate gives. {@code --trace N} prints trial N frame by frame: arrival, the far end
 * handed over before the frame (samples, level), the frame's level, the detector's verdict, and
 * both gates' answers.
 *
 * <p>{@code java -cp ... io.parley.bench.echo.EchoReplay FILE [--trace N]}
 */
public final class EchoReplay {

    private EchoReplay() {
    }

    public static void main(String[] args) throws Exception {
        String file = args[0];
        int trace = -1;
        for (int i = 1; i + 1 < args.length; i += 2) {
            if ("--trace".equals(args[i])) {
                trace = Integer.parseInt(args[i + 1]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        EchoGate gate = EchoGate.create();
        AudioFrame frame = AudioFrame.allocate(EchoRoom.FORMAT, 4096);
        int trial = 0;
        String name = "";
        long trialStart = 0;
        int recordedOnsets = 0;
        int replayedOnsets = 0;
        boolean recordedOn = false;
        boolean replayedOn = false;
        int farSamples = 0;
        double farEnergy = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(file), 1 << 20))) {
            while (true) {
                byte kind;
                try {
                    kind = in.readByte();
                } catch (EOFException end) {
                    break;
                }
                long nanos = in.readLong();
                if (kind == EchoTap.MARK) {
                    String what = in.readUTF();
                    if (what.startsWith("reply ") || what.startsWith("bargein ")) {
                        summary(trial, name, recordedOnsets, replayedOnsets);
                        trial++;
                        name = what;
                        trialStart = nanos;
                        recordedOnsets = 0;
                        replayedOnsets = 0;
                    } else if (what.equals("reset")) {
                        gate.reset();
                    }
                    if (trial == trace) {
                        System.out.printf(Locale.ROOT, "%8.1f ms  -- %s%n", (nanos - trialStart) / 1e6, what);
                    }
                    continue;
                }
                if (kind == EchoTap.FAR) {
                    int n = read(in, frame);
                    for (int i = 0; i < n; i++) {
                        farEnergy += (double) frame.samples()[i] * frame.samples()[i];
                    }
                    farSamples += n;
                    gate.played(frame);
                    continue;
                }
                boolean voice = in.readBoolean();
                boolean recorded = in.readBoolean();
                int n = read(in, frame);
                double nearEnergy = 0;
                for (int i = 0; i < n; i++) {
                    nearEnergy += (double) frame.samples()[i] * frame.samples()[i];
                }
                boolean replayed = gate.userSpeech(frame, voice);
                recordedOnsets += recorded && !recordedOn ? 1 : 0;
                replayedOnsets += replayed && !replayedOn ? 1 : 0;
                recordedOn = recorded;
                replayedOn = replayed;
                if (trial == trace) {
                    System.out.printf(Locale.ROOT, "%8.1f ms  far %4d %6.1f dB  near %6.1f dB  vad %s  rec %s  now %s%n",
                            (nanos - trialStart) / 1e6, farSamples, db(farEnergy, farSamples), db(nearEnergy, n),
                            voice ? "V" : ".", recorded ? "U" : ".", replayed ? "U" : ".");
                }
                farSamples = 0;
                farEnergy = 0;
            }
        }
        summary(trial, name, recordedOnsets, replayedOnsets);
    }

    private static void summary(int trial, String name, int recorded, int replayed) {
        if (trial > 0 && (recorded > 0 || replayed > 0)) {
            System.out.printf(Locale.ROOT, "trial %d (%s): onsets recorded %d, replayed %d%n", trial, name, recorded, replayed);
        }
    }

    private static int read(DataInputStream in, AudioFrame frame) throws java.io.IOException {
        int n = in.readShort();
        short[] s = frame.samples();
        for (int i = 0; i < n; i++) {
            s[i] = in.readShort();
        }
        frame.setLength(n);
        return n;
    }

    /** RMS level in dBFS of {@code n} samples with summed squares {@code energy}. */
    private static double db(double energy, int n) {
        return n == 0 ? Double.NEGATIVE_INFINITY : 10 * Math.log10(energy / n / (32768.0 * 32768.0) + 1e-12);
    }
}
