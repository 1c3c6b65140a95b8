package io.parley.audio.echo;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Mean-square energy of one block of mono audio in a fixed set of frequency bands. Band
 * edges are in hertz, so the near end and the far end may run at different sample rates and
 * still be compared band by band.
 */
final class BandAnalyzer {

    private final int blockSamples;
    private final int fftSize;
    private final float[] window;
    private final float[] work;
    private final int[] firstBin;
    private final int[] endBin;
    private final float scale;
    private final FloatFFT_1D fft;

    BandAnalyzer(int sampleRate, int blockSamples, double[] edgesHz) {
        this.blockSamples = blockSamples;
        int n = Integer.highestOneBit(Math.max(2, blockSamples - 1)) << 1;
        this.fftSize = n;
        this.window = new float[blockSamples];
        double windowEnergy = 0;
        for (int i = 0; i < blockSamples; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / blockSamples));
            windowEnergy += window[i] * window[i];
        }
        this.work = new float[n];
        int bands = edgesHz.length - 1;
        this.firstBin = new int[bands];
        this.endBin = new int[bands];
        for (int b = 0; b < bands; b++) {
            firstBin[b] = Math.max(1, (int) Math.round(edgesHz[b] * n / sampleRate));
            endBin[b] = Math.min(n / 2, Math.max(firstBin[b] + 1, (int) Math.round(edgesHz[b + 1] * n / sampleRate)));
        }
        // Parseval: twice the one-sided spectrum over n times the window energy is the mean square.
        this.scale = (float) (2.0 / (n * windowEnergy));
        this.fft = new FloatFFT_1D(n);
    }

    int blockSamples() {
        return blockSamples;
    }

    /** Band energies of {@code block[0, blockSamples)} (full scale = 1) into {@code out}. */
    void analyze(float[] block, float[] out) {
        float[] b = work;
        for (int i = 0; i < blockSamples; i++) {
            b[i] = block[i] * window[i];
        }
        java.util.Arrays.fill(b, blockSamples, fftSize, 0f);
        fft.realForward(b);
        for (int band = 0; band < out.length; band++) {
            float sum = 0;
            for (int k = firstBin[band]; k < endBin[band]; k++) {
                sum += b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1];
            }
            out[band] = sum * scale;
        }
    }
}
