package io.parley.transport.webrtc;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;

/** Sine tones to send and measurements of what arrived. */
final class Tone {

    private Tone() {
    }

    /** {@code millis} of a sine at {@code hz} with peak {@code amplitude} (0..1 of full scale). */
    static AudioFrame sine(AudioFormat format, double hz, double amplitude, int millis) {
        int frames = format.sampleRate() * millis / 1000;
        short[] s = new short[frames * format.channels()];
        for (int i = 0; i < frames; i++) {
            short v = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / format.sampleRate()));
            for (int c = 0; c < format.channels(); c++) {
                s[i * format.channels() + c] = v;
            }
        }
        return new AudioFrame(format, s, 0L);
    }

    /** Root mean square relative to full scale. */
    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / Math.max(1, to - from)) / 32768.0;
    }

    /** Frequency from the mean period between rising zero crossings, interpolated; fine for clean tones. */
    static double frequency(short[] s, int from, int to, int sampleRate) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = from + 1; i < to; i++) {
            if (s[i - 1] < 0 && s[i] >= 0) {
                double t = i - 1 + (double) -s[i - 1] / (s[i] - s[i - 1]);
                if (first < 0) {
                    first = t;
                } else {
                    crossings++;
                }
                last = t;
            }
        }
        return crossings == 0 ? 0 : crossings * sampleRate / (last - first);
    }

    /**
     * Share of the window's energy explained by a sinusoid at {@code hz}: a least-squares fit of
     * a*sin + b*cos, so 1.0 is a pure tone and noise or another tone lowers it.
     */
    static double purity(short[] s, int from, int to, int sampleRate, double hz) {
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0, xx = 0;
        for (int i = from; i < to; i++) {
            double ph = 2 * Math.PI * hz * i / sampleRate;
            double si = Math.sin(ph);
            double co = Math.cos(ph);
            double x = s[i];
            ss += si * si;
            cc += co * co;
            sc += si * co;
            xs += x * si;
            xc += x * co;
            xx += x * x;
        }
        double det = ss * cc - sc * sc;
        double a = (xs * cc - xc * sc) / det;
        double b = (xc * ss - xs * sc) / det;
        double explained = a * xs + b * xc;
        return xx == 0 ? 0 : explained / xx;
    }
}
