package io.parley.session;

import io.parley.audio.AudioFrame;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers session events to listeners in order, on a serial executor of their own over the
 * clock's blocking pool: listener code never runs on the audio path or the event loop, so a
 * slow or re-entrant listener cannot stall or deadlock the session.
 *
 * <p>The queue is bounded: audio frames beyond {@link #AUDIO_LIMIT} queued events and other
 * events beyond {@link #EVENT_LIMIT} are dropped, counted, and reported to the listeners as
 * one {@link ErrorCode#LISTENER_TOO_SLOW} error once the queue drains.
 *
 * <p>Events the event loop emits are held until its current batch of tasks ends
 * ({@link #releaseHeld}) and then queued in the order emitted: waking a listener thread costs a
 * system call and puts one more thread in line for the CPU, so it happens after the batch has
 * done its real work (called the agent, opened the synthesizer, sent the first frame), once per
 * batch rather than once per event.
 */
final class EventBus {

    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<AudioListener> audioListeners = new CopyOnWriteArrayList<>();
    /** Queued events beyond which audio frames are dropped (about 20 s of 20 ms frames). */
    static final int AUDIO_LIMIT = 1024;
    /** Queued events beyond which any event is dropped. */
    static final int EVENT_LIMIT = 16_384;

    private final SerialExecutor executor;
    private final Runnable tapChanged;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong droppedAudio = new AtomicLong();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AtomicBoolean reportPending = new AtomicBoolean();

    private final String sessionId;
    private final BooleanSupplier onLoop;
    /** Deliveries the event loop emitted in its current batch; loop-confined. */
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();

    /**
     * @param onLoop whether the calling thread is running the session's event loop, whose
     *               deliveries are held until {@link #releaseHeld} at the end of its batch
     */
    EventBus(String sessionId, Clock clock, Runnable tapChanged, BooleanSupplier onLoop) {
        this.sessionId = sessionId;
        this.tapChanged = tapChanged;
        this.onLoop = onLoop;
        this.executor = new SerialExecutor(clock::executeBlocking,
                t -> log.error("session {}: listener failed", sessionId, t),
                () -> MDC.put(DefaultVoiceSession.MDC_KEY, sessionId),
                () -> MDC.remove(DefaultVoiceSession.MDC_KEY));
    }

    void add(SessionListener l) {
        listeners.add(l);
    }

    void remove(SessionListener l) {
        listeners.remove(l);
    }

    void addAudio(AudioListener l) {
        audioListeners.add(l);
        tapChanged.run();
    }

    void removeAudio(AudioListener l) {
        audioListeners.remove(l);
        tapChanged.run();
    }

    boolean hasAudioListeners() {
        return !audioListeners.isEmpty();
    }

    /** Queues a delivery, or holds it until the loop's batch ends if the loop emits it. */
    private void enqueue(Runnable delivery, int limit, AtomicLong dropped) {
        if (onLoop.getAsBoolean()) {
            held.add(() -> enqueueNow(delivery, limit, dropped));
        } else {
            enqueueNow(delivery, limit, dropped);
        }
    }

    /** Queues what the event loop emitted in the batch that is ending; on the loop, after each batch. */
    void releaseHeld() {
        Runnable r;
        while ((r = held.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // The clock refused the delivery; the loop itself must carry on.
                log.error("session {}: could not queue a listener event", sessionId, e);
            }
        }
    }

    /** Queues a delivery unless the queue is over {@code limit}. */
    private void enqueueNow(Runnable delivery, int limit, AtomicLong dropped) {
        if (queued.incrementAndGet() > limit) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            reportPending.set(true);
            return;
        }
        executor.execute(() -> {
            try {
                delivery.run();
            } finally {
                if (queued.decrementAndGet() == 0 && reportPending.compareAndSet(true, false)) {
                    reportDrops();
                }
            }
        });
    }

    private void reportDrops() {
        long audio = droppedAudio.getAndSet(0);
        long other = droppedEvents.getAndSet(0);
        SessionException e = new SessionException(ErrorCode.LISTENER_TOO_SLOW, "listeners fell behind: dropped " + audio
                + " audio frames and " + other + " other events; listeners must return quickly");
        log.warn(e.getMessage());
        for (SessionListener l : listeners) {
            try {
                l.onError(e);
            } catch (RuntimeException ex) {
                log.error("listener {} threw", l, ex);
            }
        }
    }

    void emit(Consumer<SessionListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        enqueue(() -> {
            for (SessionListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    log.error("listener {} threw", l, e);
                }
            }
        }, EVENT_LIMIT, droppedEvents);
    }

    void userAudio(AudioFrame copy) {
        enqueue(() -> {
            for (AudioListener l : audioListeners) {
                try {
                    l.onUserAudio(copy);
                } catch (RuntimeException e) {
                    log.error("audio listener {} threw", l, e);
                }
            }
        }, AUDIO_LIMIT, droppedAudio);
    }

    void agentAudio(AudioFrame copy) {
        enqueue(() -> {
            for (AudioListener l : audioListeners) {
                try {
                    l.onAgentAudio(copy);
                } catch (RuntimeException e) {
                    log.error("audio listener {} threw", l, e);
                }
            }
        }, AUDIO_LIMIT, droppedAudio);
    }

    void agentAudioCleared(long atNanos) {
        if (audioListeners.isEmpty()) {
            return;
        }
        enqueue(() -> {
            for (AudioListener l : audioListeners) {
                try {
                    l.onAgentAudioCleared(atNanos);
                } catch (RuntimeException e) {
                    log.error("audio listener {} threw", l, e);
                }
            }
        }, EVENT_LIMIT, droppedEvents);
    }
}
