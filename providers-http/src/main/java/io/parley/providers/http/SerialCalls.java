package io.parley.providers.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a stream's listener calls run one at a time, in submission order, without holding a
 * lock while they run. OkHttp reports a failed write on its writer thread while the reader
 * thread may be delivering a message, so "calls never overlap" cannot rest on threads alone.
 * A call runs at once on the submitting thread when no other call is running (the usual
 * case, so audio frames are still valid); otherwise the thread already running calls runs it
 * next. After a final call (an error, or completion) later calls are dropped.
 */
public final class SerialCalls {

    private static final Logger log = LoggerFactory.getLogger(SerialCalls.class);

    private final ConcurrentLinkedQueue<Call> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    /** Touched only by calls running here, which the counter orders one after another. */
    private boolean ended;

    private record Call(Runnable body, boolean last) {
    }

    /** Runs a listener call unless a final call already ran. */
    public void run(Runnable body) {
        submit(new Call(body, false));
    }

    /** Runs the last listener call of the stream (unless another final call ran first). */
    public void runLast(Runnable body) {
        submit(new Call(body, true));
    }

    /**
     * Ends the stream without a listener call (it was cancelled): calls submitted from now on
     * are dropped; one already running finishes.
     */
    public void end() {
        submit(new Call(() -> { }, true));
    }

    private void submit(Call call) {
        queue.add(call);
        if (pending.getAndIncrement() != 0) {
            return;
        }
        do {
            Call c = queue.poll();
            if (!ended) {
                ended = c.last;
                try {
                    c.body.run();
                } catch (RuntimeException e) {
                    // The listener's own bug must not kill the socket's thread or the calls queued behind it.
                    log.error("stream listener threw", e);
                }
            }
        } while (pending.decrementAndGet() != 0);
    }
}
