package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import io.parley.audio.AudioFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads Asterisk's {@code .g722} prompts: raw ITU-T G.722 at 64 kbit/s (one byte per pair of
 * 16 kHz samples, 6 bits of the 0–4 kHz band and 2 of the 4–8 kHz band), decoded to 16 kHz PCM.
 *
 * <p>Debian ships the same recordings of Allison narrowband ({@code asterisk-core-sounds-en-wav},
 * 8 kHz) and wideband ({@code asterisk-core-sounds-en-g722}); PocketSphinx's en-us model is a
 * 16 kHz model, and on the narrowband files it hears little of the upper band its features
 * expect. The decoder follows the Recommendation's sub-band ADPCM decoder and receive QMF in
 * integer arithmetic, so its output is the codec's, sample for sample. Not thread-safe.
 */
final class G722 {

    /** Low-band reconstruction levels for the 6-bit code, and for the 4-bit code the predictor adapts on. */
    private static final int[] QM6 = {
        -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136};
    private static final int[] QM4 = {
        0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0};
    private static final int[] QM2 = {-7408, -1616, 7408, 1616};
    /** Log scale-factor steps of the low band (indexed by the code's magnitude) and of the high band. */
    private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    private static final int[] WH = {0, -214, 798};
    private static final int[] RH2 = {2, 1, 2, 1};
    /** Antilog table of the scale factor's mantissa. */
    private static final int[] ILB = {
        2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834,
        2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008};
    /** Half of the 24-tap quadrature mirror filter, which is symmetric. */
    private static final int[] QMF = {3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11};

    private final Band low = new Band(32);
    private final Band high = new Band(8);
    private final int[] qmf = new int[24];

    private G722() {
    }

    /** The prompt at {@code path} decoded to 16 kHz mono. */
    static AudioClip read(Path path) throws IOException {
        byte[] code = Files.readAllBytes(path);
        short[] out = new short[code.length * 2];
        new G722().decode(code, out);
        return new AudioClip(AudioFormat.PCM_16K_MONO, out);
    }

    /** Decodes {@code code} into {@code out}, two samples per byte. */
    void decode(byte[] code, short[] out) {
        int n = 0;
        for (byte b : code) {
            int c = b & 0xFF;
            int rlow = lowSample(c & 0x3F);
            int rhigh = highSample(c >> 6);
            System.arraycopy(qmf, 2, qmf, 0, 22);
            qmf[22] = rlow + rhigh;
            qmf[23] = rlow - rhigh;
            int first = 0;
            int second = 0;
            for (int i = 0; i < 12; i++) {
                first += qmf[2 * i + 1] * QMF[11 - i];
                second += qmf[2 * i] * QMF[i];
            }
            out[n++] = (short) clamp(first >> 11);
            out[n++] = (short) clamp(second >> 11);
        }
    }

    private int lowSample(int code) {
        int out = clamp(low.s + ((low.det * QM6[code]) >> 15), -16384, 16383);
        int code4 = code >> 2;
        int d = (low.det * QM4[code4]) >> 15;
        low.nb = Math.max(0, Math.min(18432, ((low.nb * 127) >> 7) + WL[RL42[code4]]));
        low.det = scale(low.nb, 8);
        low.adapt(d);
        return out;
    }

    private int highSample(int code) {
        int d = (high.det * QM2[code]) >> 15;
        int out = clamp(high.s + d, -16384, 16383);
        high.nb = Math.max(0, Math.min(22528, ((high.nb * 127) >> 7) + WH[RH2[code]]));
        high.det = scale(high.nb, 10);
        high.adapt(d);
        return out;
    }

    /** The quantizer scale factor from its logarithm. */
    private static int scale(int nb, int bias) {
        int mantissa = ILB[(nb >> 6) & 31];
        int shift = bias - (nb >> 11);
        return (shift < 0 ? mantissa << -shift : mantissa >> shift) << 2;
    }

    private static int clamp(int v) {
        return clamp(v, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** One sub-band's adaptive predictor (two poles, six zeros) and quantizer scale. */
    private static final class Band {
        int s;
        int sp;
        int sz;
        int nb;
        int det;
        final int[] r = new int[3];
        final int[] a = new int[3];
        final int[] ap = new int[3];
        final int[] p = new int[3];
        final int[] d = new int[7];
        final int[] b = new int[7];
        final int[] bp = new int[7];
        final int[] sg = new int[7];

        Band(int det) {
            this.det = det;
        }

        /** Updates the predictor with the quantized difference {@code dq} and predicts the next sample. */
        void adapt(int dq) {
            d[0] = dq;
            r[0] = clamp(s + dq);
            p[0] = clamp(sz + dq);

            // Second pole coefficient.
            for (int i = 0; i < 3; i++) {
                sg[i] = p[i] >> 15;
            }
            int wd1 = clamp(a[1] << 2);
            int wd2 = Math.min(32767, sg[0] == sg[1] ? -wd1 : wd1);
            int wd3 = (sg[0] == sg[2] ? 128 : -128) + (wd2 >> 7) + ((a[2] * 32512) >> 15);
            ap[2] = clamp(wd3, -12288, 12288);

            // First pole coefficient, kept inside the stability triangle.
            int limit = clamp(15360 - ap[2]);
            ap[1] = clamp(clamp((sg[0] == sg[1] ? 192 : -192) + ((a[1] * 32640) >> 15)), -limit, limit);

            // Zero coefficients.
            int step = dq == 0 ? 0 : 128;
            sg[0] = dq >> 15;
            for (int i = 1; i < 7; i++) {
                sg[i] = d[i] >> 15;
                bp[i] = clamp((sg[i] == sg[0] ? step : -step) + ((b[i] * 32640) >> 15));
            }

            for (int i = 6; i > 0; i--) {
                d[i] = d[i - 1];
                b[i] = bp[i];
            }
            for (int i = 2; i > 0; i--) {
                r[i] = r[i - 1];
                p[i] = p[i - 1];
                a[i] = ap[i];
            }

            sp = clamp(((a[1] * clamp(r[1] + r[1])) >> 15) + ((a[2] * clamp(r[2] + r[2])) >> 15));
            int zeros = 0;
            for (int i = 6; i > 0; i--) {
                zeros += (b[i] * clamp(d[i] + d[i])) >> 15;
            }
            sz = clamp(zeros);
            s = clamp(sp + sz);
        }
    }
}
