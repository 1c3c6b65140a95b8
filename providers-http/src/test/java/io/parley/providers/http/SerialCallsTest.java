package io.parley.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialCallsTest {

    @Test
    void aCallFromAnotherThreadWaitsForTheRunningOneAndTheLastCallEndsTheStream() throws Exception {
        SerialCalls calls = new SerialCalls();
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread reader = new Thread(() -> calls.run(() -> {
            log.add("transcript start");
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.add("transcript end");
        }));
        reader.start();
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
        // The writer thread reports a failure while the reader is inside the listener: it must not enter.
        calls.runLast(() -> log.add("error"));
        assertThat(log).containsExactly("transcript start");
        release.countDown();
        reader.join(10_000);
        assertThat(log).containsExactly("transcript start", "transcript end", "error");
        calls.run(() -> log.add("late transcript"));
        calls.runLast(() -> log.add("second error"));
        assertThat(log).as("nothing after the last call").hasSize(3);
    }

    @Test
    void endDropsEverythingSubmittedAfterIt() {
        SerialCalls calls = new SerialCalls();
        List<String> log = new CopyOnWriteArrayList<>();
        calls.run(() -> log.add("audio 1"));
        calls.end();
        calls.run(() -> log.add("audio 2"));
        calls.runLast(() -> log.add("complete"));
        assertThat(log).containsExactly("audio 1");
    }

    @Test
    void aThrowingListenerDoesNotStopLaterCalls() {
        SerialCalls calls = new SerialCalls();
        List<String> log = new CopyOnWriteArrayList<>();
        calls.run(() -> {
            throw new IllegalStateException("listener bug");
        });
        calls.run(() -> log.add("next"));
        assertThat(log).containsExactly("next");
    }
}
