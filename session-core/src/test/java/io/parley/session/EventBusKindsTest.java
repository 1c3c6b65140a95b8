package io.parley.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Which callbacks a listener implements decides which events a session builds and queues for it. */
class EventBusKindsTest {

    @Test
    void aListenerImplementsTheCallbacksItOverrides() {
        SessionListener errorsOnly = new SessionListener() {
            @Override
            public void onError(SessionException error) {
            }
        };
        assertThat(EventBus.implemented(errorsOnly.getClass())).isEqualTo(EventBus.ERROR);
        assertThat(EventBus.implemented(new SessionListener() { }.getClass())).isZero();
    }

    /** Overridden in a superclass, or in an interface between the listener and SessionListener, counts too. */
    @Test
    void inheritedOverridesCount() {
        class Playback implements SessionListener {
            @Override
            public void onPlayback(PlaybackEvent event) {
            }
        }
        class PlaybackAndState extends Playback {
            @Override
            public void onStateChanged(StateChange change) {
            }
        }
        interface Metrics extends SessionListener {
            @Override
            default void onTurnMetrics(TurnMetrics metrics) {
            }
        }
        class ViaInterface implements Metrics {
        }
        assertThat(EventBus.implemented(PlaybackAndState.class)).isEqualTo(EventBus.PLAYBACK | EventBus.STATE);
        assertThat(EventBus.implemented(ViaInterface.class)).isEqualTo(EventBus.TURN_METRICS);
    }

    /** A proxy (a mocking library's listener) implements everything. */
    @Test
    void aProxyImplementsEveryCallback() {
        SessionListener proxy = (SessionListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SessionListener.class}, (p, m, a) -> null);
        int all = EventBus.implemented(proxy.getClass());
        for (int kind : new int[] {EventBus.STATE, EventBus.USER_SPEECH, EventBus.USER_TRANSCRIPT, EventBus.DTMF, EventBus.USER_TURN,
            EventBus.TURN_COMMITTED, EventBus.REPLY, EventBus.AGENT_TEXT, EventBus.PLAYBACK, EventBus.TURN_METRICS, EventBus.ERROR}) {
            assertThat(all & kind).isEqualTo(kind);
        }
    }

    /** A listener added to a running session gets the events it implements from then on; removing it stops them. */
    @Test
    void addingAndRemovingListenersChangesWhatIsWanted() {
        EventBus bus = new EventBus("s", io.parley.time.Clock.system(), () -> { }, () -> false);
        assertThat(bus.wants(EventBus.STATE)).isFalse();
        SessionListener states = new SessionListener() {
            @Override
            public void onStateChanged(StateChange change) {
            }
        };
        bus.add(states);
        assertThat(bus.wants(EventBus.STATE)).isTrue();
        assertThat(bus.wants(EventBus.PLAYBACK)).isFalse();
        bus.remove(states);
        assertThat(bus.wants(EventBus.STATE)).isFalse();
    }
}
