package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The outbound queue and the inbound ring, without any native code. */
class BuffersTest {

    @Test
    void queueWrapsGrowsAndRefusesBeyondItsLimit() {
        OutboundQueue q = new OutboundQueue(4, 10);
        short[] in = {1, 2, 3};
        short[] out = new short[10];
        assertThat(q.offer(in, 0, 3)).isTrue();
        assertThat(q.poll(out, 2)).isEqualTo(2);
        assertThat(out[0]).isEqualTo((short) 1);
        assertThat(q.offer(new short[] {4, 5, 6}, 0, 3)).isTrue(); // wraps around the 4-sample buffer
        assertThat(q.offer(new short[] {7, 8, 9, 10, 11, 12}, 0, 6)).isTrue(); // grows to the 10 limit
        assertThat(q.size()).isEqualTo(10);
        assertThat(q.offer(new short[] {13}, 0, 1)).as("beyond the limit").isFalse();
        assertThat(q.poll(out, 10)).isEqualTo(10);
        assertThat(out).containsExactly(3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(q.polled()).isEqualTo(12);
    }

    @Test
    void clearDropsEverythingAndStopsThePlayedCount() {
        OutboundQueue q = new OutboundQueue(16, 100);
        q.offer(new short[50], 0, 50);
        q.poll(new short[10], 10);
        assertThat(q.clear()).isEqualTo(40);
        assertThat(q.poll(new short[10], 10)).isZero();
        assertThat(q.polled()).isEqualTo(10);
    }

    @Test
    void ringHandsChunksOverInOrderAndCountsOverflow() {
        InboundRing ring = new InboundRing(3, 8);
        assertThat(ring.peek()).isNull();
        for (int i = 0; i < 4; i++) {
            ring.offer(new byte[] {(byte) i, 0, 0, 0}, 4, 48_000, 1, i);
        }
        assertThat(ring.dropped()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            InboundRing.Slot s = ring.peek();
            assertThat(s.data[0]).isEqualTo((byte) i);
            assertThat(s.bytes).isEqualTo(4);
            assertThat(s.timestampNanos).isEqualTo(i);
            ring.release();
        }
        assertThat(ring.isEmpty()).isTrue();
        ring.offer(new byte[20], 20, 48_000, 2, 9);
        assertThat(ring.peek().data.length).as("slot grew for a larger chunk").isGreaterThanOrEqualTo(20);
    }

    @Test
    void ringIsSafeBetweenOneProducerAndOneConsumerThread() throws Exception {
        InboundRing ring = new InboundRing(64, 8);
        // A correctness test (order, no loss, no tearing), not a throughput one: yielding when the
        // ring is full or empty keeps it fast even when both threads share one busy core.
        int n = 50_000;
        Thread producer = new Thread(() -> {
            byte[] b = new byte[8];
            for (int i = 0; i < n; i++) {
                b[0] = (byte) i;
                b[1] = (byte) (i >> 8);
                b[2] = (byte) (i >> 16);
                while (!ring.offer(b, 8, 48_000, 1, i)) {
                    Thread.yield();
                }
            }
        });
        AtomicLong next = new AtomicLong();
        producer.start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (next.get() < n && System.nanoTime() < deadline) {
            InboundRing.Slot s = ring.peek();
            if (s == null) {
                Thread.yield();
                continue;
            }
            int v = (s.data[0] & 0xFF) | (s.data[1] & 0xFF) << 8 | (s.data[2] & 0xFF) << 16;
            assertThat(v).isEqualTo((int) next.get());
            assertThat(s.timestampNanos).isEqualTo(next.get());
            ring.release();
            next.incrementAndGet();
        }
        producer.join(5_000);
        assertThat(next.get()).isEqualTo(n);
    }
}
