package io.parley.session;

import io.parley.audio.AudioFrame;

/**
 * A session's buffer of synthesized audio, lent to one speech at a time (the active one) and
 * reused from reply to reply, so that steady conversation allocates no audio buffers.
 * Synthesizers fill it from their own threads; a speech that no longer owns it can neither
 * add to it nor drain it, so late audio from a cut reply never leaks into the next one.
 */
final class SpeechBuffer {

    private final SampleQueue queue;
    private Speech owner;

    SpeechBuffer(int initialSamples) {
        this.queue = new SampleQueue(initialSamples, Integer.MAX_VALUE - 8);
    }

    /** Empties the buffer and lends it to {@code s}. */
    synchronized void assign(Speech s) {
        queue.clear();
        owner = s;
    }

    /** Adds audio for {@code s}; returns true for its first audio. */
    synchronized boolean offer(Speech s, AudioFrame frame) {
        if (owner != s) {
            return false;
        }
        boolean first = s.synthesized == 0;
        queue.add(frame);
        s.synthesized += frame.length();
        return first;
    }

    synchronized int poll(Speech s, short[] out, int max) {
        return owner == s ? queue.poll(out, max) : 0;
    }

    synchronized boolean empty(Speech s) {
        return owner != s || queue.isEmpty();
    }

    synchronized long synthesized(Speech s) {
        return s.synthesized;
    }

    /** Takes the buffer back from {@code s}, dropping what it still holds. */
    synchronized void release(Speech s) {
        if (owner == s) {
            queue.clear();
            owner = null;
        }
    }
}
