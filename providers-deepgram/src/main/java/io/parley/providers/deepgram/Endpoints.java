package io.parley.providers.deepgram;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** URL and client helpers shared by the Deepgram providers. */
final class Endpoints {

    /** Deepgram's public API host; tests and proxies override it with {@code baseUrl(..)}. */
    static final String DEFAULT_BASE_URL = "wss://api.deepgram.com";

    private Endpoints() {
    }

    /**
     * Parses a base URL given as ws, wss, http or https. OkHttp addresses websockets with
     * http(s) URLs, so the ws schemes are mapped onto them.
     */
    static HttpUrl parseBase(String baseUrl) {
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

    /** A client for one provider: bounded handshake, no read timeout on the open socket. */
    static OkHttpClient defaultClient(Duration connectTimeout) {
        return new OkHttpClient.Builder()
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    static String apiKey(String explicit, String envVar) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String env = System.getenv(envVar);
        return env == null || env.isBlank() ? null : env;
    }
}
