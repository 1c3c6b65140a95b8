package io.parley.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ProviderHttpTest {

    @Test
    void providerClientsRunOnDaemonThreadsAndReleaseShutsThemDown() throws Exception {
        OkHttpClient client = ProviderHttp.client(Duration.ofSeconds(1));
        AtomicBoolean daemon = new AtomicBoolean();
        CountDownLatch ran = new CountDownLatch(1);
        client.dispatcher().executorService().execute(() -> {
            daemon.set(Thread.currentThread().isDaemon());
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon).as("dispatcher threads never keep the JVM alive").isTrue();
        ProviderHttp.release(client);
        assertThat(client.dispatcher().executorService().isShutdown()).isTrue();
        assertThat(client.connectionPool().connectionCount()).isZero();
    }
}
