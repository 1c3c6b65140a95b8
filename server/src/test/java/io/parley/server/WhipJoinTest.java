package io.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.session.ErrorCode;
import io.parley.session.SessionException;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A WebRTC participant joining behind the WHIP answer, on real threads. */
class WhipJoinTest {

    private static final int FRAME = 640;

    @Test
    void audioArrivingDuringTheJoinIsHandedOverInOrderWithNothingLost() throws Exception {
        Random random = new Random(7);
        for (int run = 0; run < 40; run++) {
            int frames = 300;
            int joinAfter = random.nextInt(frames);
            WhipJoin join = new WhipJoin(frames * FRAME, () -> { });
            ByteArrayOutputStream heard = new ByteArrayOutputStream();
            WhipJoin.Sink sink = (pcm, length) -> {
                synchronized (heard) {
                    heard.write(pcm, 0, length);
                }
            };
            CountDownLatch reached = new CountDownLatch(1);
            Thread feeder = new Thread(() -> {
                byte[] frame = new byte[FRAME];
                for (int i = 0; i < frames; i++) {
                    fill(frame, i);
                    join.audio(frame, FRAME, sink);
                    if (i == joinAfter) {
                        reached.countDown();
                    }
                    if (i % 16 == 0) {
                        Thread.yield();
                    }
                }
            });
            feeder.start();
            assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(join.run(() -> { }, sink)).isTrue();
            feeder.join(10_000);
            assertThat(feeder.isAlive()).isFalse();

            byte[] expected = new byte[frames * FRAME];
            byte[] frame = new byte[FRAME];
            for (int i = 0; i < frames; i++) {
                fill(frame, i);
                System.arraycopy(frame, 0, expected, i * FRAME, FRAME);
            }
            assertThat(heard.toByteArray()).as("run %d, joined after frame %d", run, joinAfter).isEqualTo(expected);
        }
    }

    @Test
    void aHangUpDuringTheJoinLeavesOnceTheJoinHasEnded() {
        AtomicInteger left = new AtomicInteger();
        WhipJoin join = new WhipJoin(FRAME * 10, left::incrementAndGet);
        boolean joined = join.run(() -> {
            join.closed();
            assertThat(left).as("not before the participant is in: the join would re-add them").hasValue(0);
        }, (pcm, length) -> { });
        assertThat(joined).isFalse();
        assertThat(left).hasValue(1);
        join.closed();
        assertThat(left).hasValue(1);
    }

    @Test
    void aHangUpBeforeTheJoinStartsSkipsItAndLeavesOnce() {
        AtomicInteger left = new AtomicInteger();
        AtomicInteger joins = new AtomicInteger();
        WhipJoin join = new WhipJoin(FRAME * 10, left::incrementAndGet);
        join.closed();
        assertThat(join.run(joins::incrementAndGet, (pcm, length) -> { })).isFalse();
        assertThat(joins).hasValue(0);
        assertThat(left).hasValue(1);
    }

    @Test
    void aHangUpAfterTheJoinLeavesOnce() {
        AtomicInteger left = new AtomicInteger();
        WhipJoin join = new WhipJoin(FRAME * 10, left::incrementAndGet);
        assertThat(join.run(() -> { }, (pcm, length) -> { })).isTrue();
        assertThat(left).hasValue(0);
        join.closed();
        join.closed();
        assertThat(left).hasValue(1);
    }

    @Test
    void aFailedJoinLeavesAndRethrows() {
        AtomicInteger left = new AtomicInteger();
        WhipJoin join = new WhipJoin(FRAME * 10, left::incrementAndGet);
        SessionException refused = new SessionException(ErrorCode.STT_ERROR, "recognizer down", null, true);
        assertThatThrownBy(() -> join.run(() -> {
            throw refused;
        }, (pcm, length) -> { })).isSameAs(refused);
        assertThat(left).hasValue(1);
        join.closed();
        assertThat(left).hasValue(1);
    }

    @Test
    void moreAudioThanMayBeKeptIsATypedErrorAndTheKeptAudioSurvivesIt() {
        WhipJoin join = new WhipJoin(FRAME * 2, () -> { });
        byte[] frame = new byte[FRAME];
        join.audio(frame, FRAME, (pcm, length) -> { });
        join.audio(frame, FRAME, (pcm, length) -> { });
        assertThatThrownBy(() -> join.audio(frame, FRAME, (pcm, length) -> { }))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSPORT_ERROR))
                .hasMessageContaining("did not open");
        AtomicInteger handed = new AtomicInteger();
        join.run(() -> { }, (pcm, length) -> handed.addAndGet(length));
        assertThat(handed).hasValue(FRAME * 2);
    }

    @Test
    void anAbandonedJoinLeavesOnce() {
        AtomicInteger left = new AtomicInteger();
        WhipJoin join = new WhipJoin(FRAME, left::incrementAndGet);
        join.abandon();
        join.closed();
        join.abandon();
        assertThat(left).hasValue(1);
        assertThatThrownBy(() -> new WhipJoin(0, () -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    private static void fill(byte[] frame, int index) {
        for (int j = 0; j < frame.length; j++) {
            frame[j] = (byte) (index * 31 + j);
        }
    }
}
