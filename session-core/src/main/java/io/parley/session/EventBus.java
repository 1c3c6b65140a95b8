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
 *
 * <p>An event emitted with its kind ({@link #emit(int, Consumer)}) that no listener implements
 * (every {@link SessionListener} method has an empty default) is not queued, and {@link #wants}
 * lets the session skip building it: a host that listens only for errors and playback pays no
 * listener thread hand-off, event object or queue entry for the state changes, turns, replies,
 * agent text and metrics of each turn. Events emitted without a kind are always delivered.
 */
final class EventBus {

    /** {@link SessionListener#onStateChanged}. The kinds are bits, for {@link #wants} and {@link #emit(int, Consumer)}. */
    static final int STATE = 1;
    /** {@link SessionListener#onUserSpeech}. */
    static final int USER_SPEECH = 1 << 1;
    /** {@link SessionListener#onUserTranscript}. */
    static final int USER_TRANSCRIPT = 1 << 2;
    /** {@link SessionListener#onDtmf}. */
    static final int DTMF = 1 << 3;
    /** {@link SessionListener#onUserTurn}. */
    static final int USER_TURN = 1 << 4;
    /** {@link SessionListener#onTurnCommitted}. */
    static final int TURN_COMMITTED = 1 << 5;
    /** {@link SessionListener#onReply}. */
    static final int REPLY = 1 << 6;
    /** {@link SessionListener#onAgentText}. */
    static final int AGENT_TEXT = 1 << 7;
    /** {@link SessionListener#onPlayback}. */
    static final int PLAYBACK = 1 << 8;
    /** {@link SessionListener#onTurnMetrics}. */
    static final int TURN_METRICS = 1 << 9;
    /** {@link SessionListener#onError}. */
    static final int ERROR = 1 << 10;
    private static final int ALL = (1 << 11) - 1;

    /** The callbacks each listener class implements, found once per class. */
    private static final ClassValue<Integer> IMPLEMENTED = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return implemented(type);
        }
    };

    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<AudioListener> audioListeners = new CopyOnWriteArrayList<>();
    /** The kinds of event some listener implements; recomputed when the listeners change, read on the loop. */
    private volatile int wanted;
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
    private final ArrayDeque<Queued> held = new ArrayDeque<>();

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
        rewant();
    }

    void remove(SessionListener l) {
        listeners.remove(l);
        rewant();
    }

    private synchronized void rewant() {
        int w = 0;
        for (SessionListener l : listeners) {
            w |= IMPLEMENTED.get(l.getClass());
        }
        wanted = w;
    }

    /**
     * The {@link SessionListener} callbacks {@code type} implements, as kind bits: those it (or
     * an interface between it and {@link SessionListener}) overrides. A listener whose class
     * cannot be inspected is taken to implement them all.
     */
    static int implemented(Class<?> type) {
        int bits = 0;
        for (java.lang.reflect.Method m : SessionListener.class.getDeclaredMethods()) {
            int kind = kindOf(m.getName());
            try {
                if (type.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass() != SessionListener.class) {
                    bits |= kind;
                }
            } catch (NoSuchMethodException | SecurityException e) {
                bits |= kind;
            }
        }
        return bits;
    }

    private static int kindOf(String callback) {
        return switch (callback) {
            case "onStateChanged" -> STATE;
            case "onUserSpeech" -> USER_SPEECH;
            case "onUserTranscript" -> USER_TRANSCRIPT;
            case "onDtmf" -> DTMF;
            case "onUserTurn" -> USER_TURN;
            case "onTurnCommitted" -> TURN_COMMITTED;
            case "onReply" -> REPLY;
            case "onAgentText" -> AGENT_TEXT;
            case "onPlayback" -> PLAYBACK;
            case "onTurnMetrics" -> TURN_METRICS;
            case "onError" -> ERROR;
            // A callback added to SessionListener without a kind here: whoever implements it gets every event.
            default -> ALL;
        };
    }

    /** Whether some listener implements the callback of {@code kind}: if not, the event need not be built. */
    boolean wants(int kind) {
        return (wanted & kind) != 0;
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

    /**
     * One delivery, from the moment it is emitted to its run on the listeners' executor: one
     * object per event, held, queued and run (three lambdas per event before, for every one of
     * a turn's dozen events).
     */
    private final class Queued implements Runnable {
        /** A listener event, or null for {@link #audio}. */
        private final Consumer<SessionListener> event;
        private final Runnable audio;
        private final int limit;
        private final AtomicLong dropped;

        Queued(Consumer<SessionListener> event, Runnable audio, int limit, AtomicLong dropped) {
            this.event = event;
            this.audio = audio;
            this.limit = limit;
            this.dropped = dropped;
        }

        @Override
        public void run() {
            try {
                if (event == null) {
                    audio.run();
                    return;
                }
                for (SessionListener l : listeners) {
                    try {
                        event.accept(l);
                    } catch (RuntimeException e) {
                        log.error("listener {} threw", l, e);
                    }
                }
            } finally {
                if (queued.decrementAndGet() == 0 && reportPending.compareAndSet(true, false)) {
                    reportDrops();
                }
            }
        }
    }

    /** Queues a delivery, or holds it until the loop's batch ends if the loop emits it. */
    private void enqueue(Queued delivery) {
        if (onLoop.getAsBoolean()) {
            held.add(delivery);
        } else {
            enqueueNow(delivery);
        }
    }

    private void enqueueAudio(Runnable audio, int limit, AtomicLong dropped) {
        enqueue(new Queued(null, audio, limit, dropped));
    }

    /** Queues what the event loop emitted in the batch that is ending; on the loop, after each batch. */
    void releaseHeld() {
        Queued q;
        while ((q = held.poll()) != null) {
            try {
                enqueueNow(q);
            } catch (RuntimeException e) {
                // The clock refused the delivery; the loop itself must carry on.
                log.error("session {}: could not queue a listener event", sessionId, e);
            }
        }
    }

    /** Queues a delivery unless the queue is over its limit. */
    private void enqueueNow(Queued delivery) {
        if (queued.incrementAndGet() > delivery.limit) {
            queued.decrementAndGet();
            delivery.dropped.incrementAndGet();
            reportPending.set(true);
            return;
        }
        executor.execute(delivery);
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

    /** Delivers an event of {@code kind} (a bit above) to every listener, if some listener implements its callback. */
    void emit(int kind, Consumer<SessionListener> event) {
        if (wants(kind)) {
            emit(event);
        }
    }

    /** Delivers an event to every listener, whatever callbacks they implement (prefer {@link #emit(int, Consumer)}). */
    void emit(Consumer<SessionListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        enqueue(new Queued(event, null, EVENT_LIMIT, droppedEvents));
    }

    void userAudio(AudioFrame copy) {
        enqueueAudio(() -> {
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
        enqueueAudio(() -> {
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
        enqueueAudio(() -> {
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
