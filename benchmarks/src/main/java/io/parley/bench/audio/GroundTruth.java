package io.parley.bench.audio;

import io.parley.audio.AudioClip;
import java.util.Arrays;

/**
 * Speech/non-speech labels made from a clean (noise-free) recording, per 10 ms.
 *
 * <p>A 10 ms block is speech when its level is at least 12 dB above the clip's own noise
 * floor (the 10th percentile of block levels) and no more than 40 dB below the clip's loudest
 * block; gaps shorter than {@link #BRIDGE_MS} inside speech are filled (stop closures and the
 * short breaks between words of one phrase), and islands shorter than 40 ms are dropped
 * (clicks, breaths). The labels are then fixed for every noise condition: the detectors hear
 * the noisy mix but are scored against what the clean signal says.
 */
final class GroundTruth {

    static final int BLOCK_MS = 10;
    static final int BRIDGE_MS = 200;
    static final int MIN_ISLAND_MS = 40;

    private GroundTruth() {
    }

    /** One label per 10 ms block of {@code clip}. */
    static boolean[] label(AudioClip clip) {
        int block = clip.format().samplesFor(BLOCK_MS);
        int n = clip.length() / block;
        double[] level = new double[n];
        short[] s = clip.samples();
        for (int b = 0; b < n; b++) {
            double e = 0;
            for (int i = b * block; i < (b + 1) * block; i++) {
                e += (double) s[i] * s[i];
            }
            level[b] = 10 * Math.log10(e / block / (32768.0 * 32768.0) + 1e-12);
        }
        double[] sorted = level.clone();
        Arrays.sort(sorted);
        double floor = Math.max(sorted[n / 10], -90);
        double peak = sorted[n - 1];
        double threshold = Math.max(floor + 12, peak - 40);
        boolean[] speech = new boolean[n];
        for (int b = 0; b < n; b++) {
            speech[b] = level[b] >= threshold;
        }
        fillGaps(speech, BRIDGE_MS / BLOCK_MS);
        dropIslands(speech, MIN_ISLAND_MS / BLOCK_MS);
        return speech;
    }

    private static void fillGaps(boolean[] x, int maxGap) {
        int lastSpeech = -1;
        for (int i = 0; i < x.length; i++) {
            if (x[i]) {
                if (lastSpeech >= 0 && i - lastSpeech - 1 > 0 && i - lastSpeech - 1 < maxGap) {
                    Arrays.fill(x, lastSpeech + 1, i, true);
                }
                lastSpeech = i;
            }
        }
    }

    private static void dropIslands(boolean[] x, int minLen) {
        int i = 0;
        while (i < x.length) {
            if (!x[i]) {
                i++;
                continue;
            }
            int j = i;
            while (j < x.length && x[j]) {
                j++;
            }
            if (j - i < minLen) {
                Arrays.fill(x, i, j, false);
            }
            i = j;
        }
    }
}
