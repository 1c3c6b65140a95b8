package io.parley.providers.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Cache;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Plumbing every OkHttp-based provider needs: base URLs that may be given as websocket URLs,
 * API keys from the builder or the environment, and clients tuned for small, latency-critical
 * messages.
 */
public final class ProviderHttp {

    private ProviderHttp() {
    }

    /**
     * Parses a base URL given as ws, wss, http or https. OkHttp addresses websockets with
     * http(s) URLs, so the ws schemes are mapped onto them.
     *
     * @throws IllegalArgumentException if it is blank or not such a URL
     */
    public static HttpUrl parseBaseUrl(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl must not be blank");
        }
        String s = baseUrl.strip();
        if (s.regionMatches(true, 0, "ws:", 0, 3)) {
            s = "http:" + s.substring(3);
        } else if (s.regionMatches(true, 0, "wss:", 0, 4)) {
            s = "https:" + s.substring(4);
        }
        HttpUrl url = HttpUrl.parse(s);
        if (url == null) {
            throw new IllegalArgumentException("baseUrl is not an http(s) or ws(s) URL: " + baseUrl);
        }
        return url;
    }

    /**
     * A client for one provider: a bounded handshake and, through {@link NoDelaySocketFactory},
     * no Nagle delay, which otherwise holds the second of two small messages (Speak then Flush)
     * for the server's delayed acknowledgement, about 40 ms. Its dispatcher runs on daemon
     * threads (OkHttp's default ones are not, and idle for 60 s), so an application whose
     * sessions have stopped can exit at once; {@link #release(OkHttpClient)} frees it for good.
     */
    public static OkHttpClient client(Duration timeout) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "parley-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return new OkHttpClient.Builder()
                .dispatcher(new Dispatcher(executor))
                .socketFactory(new NoDelaySocketFactory())
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    /**
     * Releases a client built by {@link #client(Duration)}: no new calls are accepted, idle
     * dispatcher threads end, pooled connections are closed. Calls in flight finish. Only for
     * clients the provider built itself, never for one an application passed in.
     */
    public static void release(OkHttpClient client) {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        Cache cache = client.cache();
        if (cache != null) {
            try {
                cache.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * {@code value}, for builder setters, which refuse null with an exception naming the setter.
     *
     * @throws IllegalArgumentException if {@code value} is null
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** {@code explicit} if given, else the environment variable {@code envVar}, else null. */
    public static String apiKey(String explicit, String envVar) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String env = System.getenv(envVar);
        return env == null || env.isBlank() ? null : env;
    }
}
