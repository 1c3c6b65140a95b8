package io.parley.testing;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What one chaos session's user says and when, and the audio of it: a tone while the user
 * speaks, hiss between, in telephone band. Speech stretches of 0.4 to 4 s, separated by short
 * pauses (within a turn), longer ones and long silences, until shortly before the input ends.
 * Samples are copied in runs from pre-built buffers, since the feeders produce every sample of
 * every session and must keep up with many sessions at a high time scale. Filled by one
 * feeder thread.
 */
final class SpokenInput {

    /**
     * Telephone-band audio: the harness produces, and the session and the fakes process, every
     * sample of every session, so half the samples of 16 kHz halve the cost of a soak.
     */
    static final AudioFormat FORMAT = AudioFormat.PCM_8K_MONO;
    /** The most samples one feed call hands over at once (a host chunk or a transport frame). */
    static final int MAX_CHUNK = 4000;
    /**
     * One period of the tone: 200 Hz, in a voice's pitch range. The session's pitch tracker
     * searches lags up to the first period it finds, the larger part of the engine's work per
     * frame here (JFR of the soak): a 100 Hz tone doubled that search and tested nothing more.
     */
    private static final short[] TONE = new short[40];
    private static final short[] HISS = new short[97];
    /** The tone and the hiss repeated, so any run of up to MAX_CHUNK samples is one copy. */
    private static final short[] TONE_RUN = new short[MAX_CHUNK + TONE.length];
    private static final short[] HISS_RUN = new short[MAX_CHUNK + HISS.length];

    static {
        for (int i = 0; i < TONE.length; i++) {
            TONE[i] = (short) (4000 * Math.sin(2 * Math.PI * i / TONE.length));
        }
        Random r = new Random(1);
        for (int i = 0; i < HISS.length; i++) {
            HISS[i] = (short) (r.nextInt(81) - 40);
        }
        for (int i = 0; i < TONE_RUN.length; i++) {
            TONE_RUN[i] = TONE[i % TONE.length];
        }
        for (int i = 0; i < HISS_RUN.length; i++) {
            HISS_RUN[i] = HISS[i % HISS.length];
        }
    }

    private final long[] speechStart;
    private final long[] speechEnd;
    private final AudioFrame frame = AudioFrame.allocate(FORMAT, MAX_CHUNK);
    private int cursor;

    /** A plan for {@code inputNanos} of input, drawn from {@code random}. */
    SpokenInput(Random random, long inputNanos) {
        List<long[]> speech = new ArrayList<>();
        long t = millis(200 + random.nextInt(1500));
        while (true) {
            long len = millis(400 + random.nextInt(3600));
            if (t + len > inputNanos - millis(500)) {
                break;
            }
            speech.add(new long[] {FORMAT.samplesForNanos(t), FORMAT.samplesForNanos(t + len)});
            double g = random.nextDouble();
            t += len + (g < 0.5 ? millis(150 + random.nextInt(300)) : g < 0.85 ? millis(600 + random.nextInt(2400))
                    : millis(3000 + random.nextInt(7000)));
        }
        speechStart = speech.stream().mapToLong(a -> a[0]).toArray();
        speechEnd = speech.stream().mapToLong(a -> a[1]).toArray();
    }

    private static long millis(long ms) {
        return TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** The sample in the middle of the user's last speech, or -1 if the user says nothing. */
    long midLastSpeech() {
        int last = speechStart.length - 1;
        return last < 0 ? -1 : (speechStart[last] + speechEnd[last]) / 2;
    }

    /** Whether the user speaks at sample {@code sample} of the input. */
    boolean speakingAt(long sample) {
        int segment = 0;
        while (segment < speechEnd.length && speechEnd[segment] <= sample) {
            segment++;
        }
        return segment < speechStart.length && sample >= speechStart[segment];
    }

    /**
     * Samples {@code first .. first + n} of the input (at most {@link #MAX_CHUNK}), in a frame
     * reused by the next call, timestamped {@code timestampNanos}. Calls must go forward.
     */
    AudioFrame fill(long first, int n, long timestampNanos) {
        short[] buffer = frame.samples();
        int i = 0;
        while (i < n) {
            long idx = first + i;
            while (cursor < speechEnd.length && idx >= speechEnd[cursor]) {
                cursor++;
            }
            boolean speech = cursor < speechStart.length && idx >= speechStart[cursor];
            long boundary = cursor == speechStart.length ? Long.MAX_VALUE : speech ? speechEnd[cursor] : speechStart[cursor];
            int len = (int) Math.min(n - i, boundary - idx);
            if (speech) {
                System.arraycopy(TONE_RUN, (int) (idx % TONE.length), buffer, i, len);
            } else {
                System.arraycopy(HISS_RUN, (int) (idx % HISS.length), buffer, i, len);
            }
            i += len;
        }
        frame.setLength(n);
        frame.setTimestampNanos(timestampNanos);
        return frame;
    }
}
