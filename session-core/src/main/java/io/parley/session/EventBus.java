package io.parley.session;

import io.parley.audio.AudioFrame;
import io.parley.time.Clock;
import io.parley.time.SerialExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Delivers session events to listeners in order, on a serial executor of their own over the
 * clock's blocking pool: listener code never runs on the audio path or the event loop, so a
 * slow or re-entrant listener cannot stall or deadlock the session.
 */
final class EventBus {

    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<AudioListener> audioListeners = new CopyOnWriteArrayList<>();
    private final SerialExecutor executor;
    private final Runnable tapChanged;

    EventBus(String sessionId, Clock clock, Runnable tapChanged) {
        this.tapChanged = tapChanged;
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

    void emit(Consumer<SessionListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        executor.execute(() -> {
            for (SessionListener l : listeners) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    log.error("listener {} threw", l, e);
                }
            }
        });
    }

    void userAudio(AudioFrame copy) {
        executor.execute(() -> {
            for (AudioListener l : audioListeners) {
                try {
                    l.onUserAudio(copy);
                } catch (RuntimeException e) {
                    log.error("audio listener {} threw", l, e);
                }
            }
        });
    }

    void agentAudio(AudioFrame copy) {
        executor.execute(() -> {
            for (AudioListener l : audioListeners) {
                try {
                    l.onAgentAudio(copy);
                } catch (RuntimeException e) {
                    log.error("audio listener {} threw", l, e);
                }
            }
        });
    }

    void agentAudioCleared(long atNanos) {
        if (audioListeners.isEmpty()) {
            return;
        }
        executor.execute(() -> {
            for (AudioListener l : audioListeners) {
                try {
                    l.onAgentAudioCleared(atNanos);
                } catch (RuntimeException e) {
                    log.error("audio listener {} threw", l, e);
                }
            }
        });
    }
}
