package io.parley.transport.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.audio.AudioFormat;
import org.junit.jupiter.api.Test;

/** Playout position from mark echoes, in exact (virtual) nanoseconds. */
class PlayoutTest {

    private static final long MS = 1_000_000L;
    private final Playout p = new Playout(AudioFormat.PCM_16K_MONO, 1600); // a mark every 100 ms

    @Test
    void advancesAtRealTimeButNotPastTheFirstUnechoedMark() {
        assertThat(p.sent(1600, 0)).isEqualTo(1);       // 100 ms, then mark 1
        assertThat(p.sent(1600, 0)).isEqualTo(2);
        assertThat(p.played(50 * MS)).isEqualTo(800);
        // Mark 1 has not come back: the caller may not have heard past it.
        assertThat(p.played(150 * MS)).isEqualTo(1600);
        assertThat(p.echoed(1, 170 * MS)).isEqualTo(Playout.Echo.PLAYED);
        assertThat(p.played(170 * MS)).isEqualTo(1600);
        assertThat(p.played(220 * MS)).isEqualTo(2400);
        assertThat(p.played(400 * MS)).isEqualTo(3200);  // capped at mark 2
        assertThat(p.echoed(2, 410 * MS)).isEqualTo(Playout.Echo.PLAYED);
        assertThat(p.played(900 * MS)).isEqualTo(3200);  // nothing more was sent
    }

    @Test
    void restartsFromTheSendTimeAfterTheFarEndRanDry() {
        p.sent(1600, 0);
        p.echoed(1, 120 * MS);
        p.played(5_000 * MS);
        p.sent(1600, 5_000 * MS);
        assertThat(p.played(5_050 * MS)).isEqualTo(1600 + 800);
    }

    @Test
    void clearFreezesThePositionAndMarksEchoedAfterItAreNotPlayout() {
        p.sent(1600, 0);
        p.sent(1600, 0);
        p.echoed(1, 100 * MS);
        p.clear(130 * MS);
        long frozen = p.played(130 * MS);
        assertThat(frozen).isEqualTo(1600 + 480);
        assertThat(p.echoed(2, 131 * MS)).isEqualTo(Playout.Echo.CLEARED);
        assertThat(p.played(1_000 * MS)).isEqualTo(frozen);
        assertThat(p.buffered(1_000 * MS)).isZero();
        assertThat(p.echoed(99, 0)).isEqualTo(Playout.Echo.UNKNOWN);
        assertThat(p.echoed(1, 0)).isEqualTo(Playout.Echo.CLEARED);
    }

    @Test
    void aLostEchoIsCoveredByTheNextOne() {
        p.sent(1600, 0);
        p.sent(1600, 0);
        p.sent(1600, 0);
        assertThat(p.echoed(2, 210 * MS)).isEqualTo(Playout.Echo.PLAYED);
        assertThat(p.pendingMarks()).isEqualTo(1);
        assertThat(p.echoed(1, 220 * MS)).isEqualTo(Playout.Echo.UNKNOWN);
        assertThat(p.played(260 * MS)).isEqualTo(3200 + 800);
    }

    @Test
    void neverGoesBackwards() {
        long last = 0;
        for (int i = 0; i < 200; i++) {
            long now = i * 7 * MS;
            if (i % 3 == 0) {
                long mark = p.sent(320, now);
                if (mark > 1 && i % 2 == 0) {
                    p.echoed(mark - 1, now);
                }
            }
            if (i == 120) {
                p.clear(now);
            }
            long played = p.played(now);
            assertThat(played).isGreaterThanOrEqualTo(last);
            last = played;
        }
    }
}
