package io.parley.bench.audio;

import io.parley.audio.AudioFrame;
import io.parley.audio.prosody.ProsodyTracker;
import io.parley.audio.vad.DspVad;
import io.parley.spi.Vad;

/**
 * For {@link TurnEval}'s trace: the user's audio as the session's inbound path sees it, frame by
 * frame (a {@link DspVad} with its defaults and a {@link ProsodyTracker} fed the same frames, with
 * the session's rule that a frame is voice when the VAD's probability is at least one half), so
 * that a trailing word's span, timed from the end of speech, can be read against it: how many of
 * its frames the VAD took for voice, and in how many the tracker found a pitch. The end of speech
 * is found as the session's inbound path finds it, from the same VAD fed the same frames. A frame counts as
 * pitched when it moved the tracker's running pitch average, which only a pitched frame does.
 * Fed on the harness's feeding thread and read on the session's event loop, hence synchronized;
 * a diagnostic, not a real-time path.
 */
final class FrameVoicing {

    private static final int HISTORY = 1024;

    private final Vad vad = DspVad.defaults().create(RealTurns.FORMAT);
    private final ProsodyTracker tracker = new ProsodyTracker(RealTurns.FORMAT);
    private final long[] endNanos = new long[HISTORY];
    private final boolean[] voiced = new boolean[HISTORY];
    private final boolean[] pitched = new boolean[HISTORY];
    private long frames;
    private boolean speaking;
    private long lastVoicedEndNanos = -1;
    /** The session's end of speech: the end of the last voiced frame when the VAD's speech turned off; negative before any. */
    private long speechEndNanos = -1;

    /** One frame as sent to the session, stamped with its start on the {@link System#nanoTime()} clock. */
    synchronized void frame(AudioFrame f) {
        io.parley.spi.VadResult r = vad.process(f);
        boolean voice = r.probability() >= 0.5f;
        double before = tracker.averagePitchHz();
        tracker.process(f, voice);
        double after = tracker.averagePitchHz();
        long end = f.timestampNanos() + f.durationNanos();
        if (r.speech()) {
            speaking = true;
        } else if (speaking) {
            // As the session's inbound path: the user stopped at the end of the last voiced frame.
            speaking = false;
            speechEndNanos = lastVoicedEndNanos > 0 ? lastVoicedEndNanos : f.timestampNanos();
        }
        if (voice) {
            lastVoicedEndNanos = end;
        }
        int i = (int) (frames++ % HISTORY);
        endNanos[i] = end;
        voiced[i] = voice;
        pitched[i] = !Double.isNaN(after) && Double.compare(before, after) != 0;
    }

    /**
     * The span from {@code startMs} to {@code endMs} after the latest end of speech, as
     * "voiced v pitched p of n" over the frames whose middle lies in it.
     */
    synchronized String span(long startMs, long endMs) {
        if (speechEndNanos < 0) {
            return "no end of speech";
        }
        long from = speechEndNanos + startMs * 1_000_000;
        long to = speechEndNanos + endMs * 1_000_000;
        int n = 0;
        int v = 0;
        int p = 0;
        for (long k = frames - 1; k >= Math.max(0, frames - HISTORY); k--) {
            int i = (int) (k % HISTORY);
            long middle = endNanos[i] - 10_000_000;
            if (middle < from) {
                break;
            }
            if (middle <= to) {
                n++;
                v += voiced[i] ? 1 : 0;
                p += pitched[i] ? 1 : 0;
            }
        }
        return "{v" + v + " p" + p + " of " + n + "}";
    }
}
