package io.parley.recording;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link RecordingListener} callbacks in order, one at a time, on an executor, so the
 * recorder never calls user code while it holds its lock. A listener that throws is logged and
 * the others still hear every event.
 */
final class ListenerDispatch {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerDispatch.class);

    private final List<RecordingListener> listeners;
    private final Executor executor;
    private final Queue<Consumer<RecordingListener>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    ListenerDispatch(List<RecordingListener> listeners, Executor executor) {
        this.listeners = List.copyOf(listeners);
        this.executor = executor;
    }

    boolean active() {
        return !listeners.isEmpty();
    }

    void fire(Consumer<RecordingListener> call) {
        if (listeners.isEmpty()) {
            return;
        }
        queue.add(call);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Consumer<RecordingListener> call;
            while ((call = queue.poll()) != null) {
                for (RecordingListener l : listeners) {
                    try {
                        call.accept(l);
                    } catch (RuntimeException e) {
                        LOG.warn("recording listener {} failed", l, e);
                    }
                }
            }
            draining.set(false);
            if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
