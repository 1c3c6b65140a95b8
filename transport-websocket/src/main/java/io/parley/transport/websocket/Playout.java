package io.parley.transport.websocket;

import io.parley.audio.AudioFormat;

/**
 * Where the far end's playout is, from mark echoes. A provider buffers what we send and echoes
 * a mark once the audio before it has played, so the last echoed mark is a position the caller
 * has certainly heard. Between echoes playout advances at real time from that position, but
 * never past the next mark not yet echoed nor past what was sent: the estimate trails true
 * playout by about the echo's trip and never runs ahead of it by more than one mark interval.
 *
 * <p>Positions are samples per channel in the session's output format. Thread-safe: marks
 * are echoed on the socket's thread, audio is sent from the session's loop.
 */
final class Playout {

    /** What an echo meant. */
    enum Echo {
        /** The mark's audio played. */
        PLAYED,
        /** The mark was pending when the playback was cleared; its echo carries no position. */
        CLEARED,
        /** No such mark was sent or it was already echoed. */
        UNKNOWN
    }

    private final AudioFormat format;
    private final long markIntervalSamples;
    private long sent;
    private long anchorPos;
    private long anchorNanos;
    private long reported;
    private long lastMarkPos;
    private long markSeq;
    private long clearedThrough;
    private long[] pendingSeq = new long[16];
    private long[] pendingPos = new long[16];
    private int head;
    private int count;

    Playout(AudioFormat format, long markIntervalSamples) {
        this.format = format;
        this.markIntervalSamples = Math.max(1, markIntervalSamples);
    }

    /** Samples the far end has played by {@code now}; monotonic. */
    synchronized long played(long now) {
        long cap = count > 0 ? pendingPos[head] : sent;
        long est = anchorPos + format.samplesForNanos(Math.max(0, now - anchorNanos));
        reported = Math.max(reported, Math.min(cap, est));
        return reported;
    }

    /**
     * Records {@code samples} more sent at {@code now}.
     *
     * @return the sequence number of the mark to send after this audio, or -1 for none
     */
    synchronized long sent(int samples, long now) {
        if (played(now) >= sent) {
            // The far end ran out of audio: playout restarts with this frame.
            anchorPos = sent;
            anchorNanos = now;
        }
        sent += samples;
        if (sent - lastMarkPos < markIntervalSamples) {
            return -1;
        }
        lastMarkPos = sent;
        push(++markSeq, sent);
        return markSeq;
    }

    /** A mark echo arrived at {@code now}. */
    synchronized Echo echoed(long seq, long now) {
        if (seq <= clearedThrough) {
            return seq > 0 ? Echo.CLEARED : Echo.UNKNOWN;
        }
        int found = -1;
        for (int i = 0; i < count; i++) {
            if (pendingSeq[(head + i) % pendingSeq.length] == seq) {
                found = i;
                break;
            }
        }
        if (found < 0) {
            return Echo.UNKNOWN;
        }
        long pos = pendingPos[(head + found) % pendingSeq.length];
        head = (head + found + 1) % pendingSeq.length;
        count -= found + 1;
        anchorPos = Math.max(pos, reported);
        anchorNanos = now;
        return Echo.PLAYED;
    }

    /** Drops everything not yet played; marks still pending will echo as {@link Echo#CLEARED}. */
    synchronized void clear(long now) {
        long p = played(now);
        sent = p;
        anchorPos = p;
        anchorNanos = now;
        lastMarkPos = p;
        clearedThrough = markSeq;
        head = 0;
        count = 0;
    }

    /** Samples sent and not yet known to be played. */
    synchronized long buffered(long now) {
        return sent - played(now);
    }

    /** Marks sent and not yet echoed. */
    synchronized int pendingMarks() {
        return count;
    }

    private void push(long seq, long pos) {
        if (count == pendingSeq.length) {
            long[] s = new long[count * 2];
            long[] p = new long[count * 2];
            for (int i = 0; i < count; i++) {
                s[i] = pendingSeq[(head + i) % count];
                p[i] = pendingPos[(head + i) % count];
            }
            pendingSeq = s;
            pendingPos = p;
            head = 0;
        }
        int tail = (head + count) % pendingSeq.length;
        pendingSeq[tail] = seq;
        pendingPos[tail] = pos;
        count++;
    }
}
