package io.parley.server;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebRTC participant joining behind the WHIP answer. Opening their recognizer (a model load,
 * a provider's handshake) takes from a few hundred milliseconds to seconds on a loaded machine,
 * and the peer's ICE and DTLS handshakes can run meanwhile, so the answer goes back first. The
 * audio that arrives before the participant is in is kept, in order, and handed over when they
 * are; a hang-up during the join is cleaned up by whichever side sees the other finished.
 */
final class WhipJoin {

    /** Where audio goes once the participant is in: {@code length} bytes of {@code pcm}. */
    @FunctionalInterface
    interface Sink {
        void accept(byte[] pcm, int length);
    }

    private static final int JOINING = 0;
    private static final int JOINED = 1;
    /** The transport closed while the join was under way: the joiner cleans up. */
    private static final int CLOSED_EARLY = 2;
    private static final int OVER = 3;

    private final int maxPendingBytes;
    private final Runnable cleanUp;
    private final AtomicInteger state = new AtomicInteger(JOINING);
    private final Object lock = new Object();
    /** Audio heard before the participant joined (PCM16LE); guarded by {@link #lock}. */
    private byte[] pending = new byte[0];
    private int pendingBytes;
    /** Set once the pending audio has all been handed over; guarded by {@link #lock}. */
    private boolean flushed;

    /**
     * @param maxPendingBytes how much audio the join may hold back before it fails
     * @param cleanUp         leaves the live session; run once, whichever way the join ends after
     *                        the transport closed
     */
    WhipJoin(int maxPendingBytes, Runnable cleanUp) {
        if (maxPendingBytes <= 0) {
            throw new IllegalArgumentException("maxPendingBytes must be positive, was " + maxPendingBytes);
        }
        this.maxPendingBytes = maxPendingBytes;
        this.cleanUp = cleanUp;
    }

    /**
     * Audio from the peer. Before the join completes it is kept; after, it goes to the
     * participant, who may have left since (then it is theirs to refuse).
     *
     * @throws SessionException {@link ErrorCode#TRANSPORT_ERROR} when the join has held back
     *                          more audio than it may: the caller ends the connection
     */
    void audio(byte[] pcm, int length, Sink toParticipant) {
        synchronized (lock) {
            if (!flushed) {
                if (pendingBytes + length > maxPendingBytes) {
                    throw new SessionException(ErrorCode.TRANSPORT_ERROR, "the participant's recognizer did not open before "
                            + maxPendingBytes / 32 + " ms of their audio arrived", null, false);
                }
                if (pendingBytes + length > pending.length) {
                    pending = Arrays.copyOf(pending, Math.max(pendingBytes + length, Math.min(maxPendingBytes, pending.length * 2 + 6400)));
                }
                System.arraycopy(pcm, 0, pending, pendingBytes, length);
                pendingBytes += length;
                return;
            }
        }
        toParticipant.accept(pcm, length);
    }

    /**
     * Runs the join (on a blocking thread) and hands over the audio kept meanwhile.
     *
     * @param join connects the participant, opening their recognizer
     * @return whether the participant is in and the transport still open
     * @throws RuntimeException what the join threw, after cleaning up
     */
    boolean run(Runnable join, Sink toParticipant) {
        if (state.get() != JOINING) {
            finishClosed();
            return false;
        }
        try {
            join.run();
        } catch (RuntimeException e) {
            state.set(OVER);
            cleanUp.run();
            throw e;
        }
        // Hand the kept audio over outside the lock, a chunk at a time, so the transport's thread
        // never waits on the recognizer; it keeps appending until the queue is empty.
        while (true) {
            byte[] chunk;
            synchronized (lock) {
                if (pendingBytes == 0) {
                    flushed = true;
                    pending = null;
                    break;
                }
                chunk = Arrays.copyOf(pending, pendingBytes);
                pendingBytes = 0;
            }
            toParticipant.accept(chunk, chunk.length);
        }
        if (!state.compareAndSet(JOINING, JOINED)) {
            finishClosed();
            return false;
        }
        return true;
    }

    /** The transport closed. */
    void closed() {
        if (state.compareAndSet(JOINING, CLOSED_EARLY)) {
            return;
        }
        if (state.compareAndSet(JOINED, OVER)) {
            cleanUp.run();
        }
    }

    /** The join will not run (its thread could not be had): leave now. */
    void abandon() {
        if (state.getAndSet(OVER) != OVER) {
            cleanUp.run();
        }
    }

    private void finishClosed() {
        if (state.compareAndSet(CLOSED_EARLY, OVER)) {
            cleanUp.run();
        }
    }
}
