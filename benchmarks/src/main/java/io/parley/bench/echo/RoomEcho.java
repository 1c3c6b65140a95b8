package io.parley.bench.echo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The acoustic path from a loudspeaker back to the microphone: a delay, then a sparse
 * reverberant impulse response (one tap of random sign every 1 to 2 ms after the direct path,
 * its energy decaying by 60 dB over the reverberation time), scaled to a set overall level.
 */
final class RoomEcho {

    private final float[] history = new float[1 << 15];
    private long pos;
    private final int delaySamples;
    private final int[] tapAt;
    private final float[] tapGain;

    /** No echo at all. */
    RoomEcho() {
        this.delaySamples = 0;
        this.tapAt = new int[0];
        this.tapGain = new float[0];
    }

    /** Echo {@code levelDb} relative to the played audio, {@code delayMs} late, reverberating for {@code rt60Ms}. */
    RoomEcho(double levelDb, int delayMs, int rt60Ms, Random random) {
        int rate = EchoRoom.FORMAT.sampleRate();
        this.delaySamples = EchoRoom.FORMAT.samplesFor(delayMs);
        int length = Math.min(history.length - delaySamples - EchoRoom.FRAME - 1, EchoRoom.FORMAT.samplesFor(rt60Ms));
        List<Integer> at = new ArrayList<>();
        List<Double> g = new ArrayList<>();
        at.add(0);
        g.add(1.0);
        for (int p = EchoRoom.FORMAT.samplesFor(3); p < length; p += 16 + random.nextInt(16)) {
            double amp = 0.5 * Math.pow(10, -3 * (p / (double) rate) / (rt60Ms / 1000.0));
            at.add(p);
            g.add(random.nextBoolean() ? amp : -amp);
        }
        double energy = 0;
        for (double v : g) {
            energy += v * v;
        }
        double scale = Math.pow(10, levelDb / 20) / Math.sqrt(energy);
        this.tapAt = new int[at.size()];
        this.tapGain = new float[at.size()];
        for (int i = 0; i < tapAt.length; i++) {
            tapAt[i] = at.get(i);
            tapGain[i] = (float) (g.get(i) * scale);
        }
    }

    /** Plays {@code n} samples of {@code played} (zeros if null) and adds their echo, as heard now, to {@code mic}. */
    void process(short[] played, int n, float[] mic) {
        int mask = history.length - 1;
        for (int i = 0; i < n; i++) {
            history[(int) ((pos + i) & mask)] = played == null ? 0 : played[i];
        }
        for (int i = 0; i < n; i++) {
            long base = pos + i - delaySamples;
            float e = 0;
            for (int k = 0; k < tapAt.length; k++) {
                long p = base - tapAt[k];
                if (p >= 0) {
                    e += tapGain[k] * history[(int) (p & mask)];
                }
            }
            mic[i] += e;
        }
        pos += n;
    }
}
