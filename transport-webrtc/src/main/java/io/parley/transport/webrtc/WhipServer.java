package io.parley.transport.webrtc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small embedded HTTP(S) server (the JDK's {@code com.sun.net.httpserver}) that serves a
 * {@link WhipHandler} and any extra handlers an application mounts, such as a web page.
 * Binds to 127.0.0.1 on a free port unless told otherwise.
 *
 * <p>Browsers give pages a microphone only on HTTPS or on localhost, so a server other devices
 * use needs TLS: either {@link Builder#tls} with a PKCS#12 keystore, or plain HTTP on loopback
 * behind the host's own TLS-terminating proxy (nginx, Caddy, a cloud load balancer) that
 * forwards {@code /whip} and {@code /whip/*} with their {@code Authorization}, {@code If-Match}
 * and {@code Content-Type} headers. Applications that already run an HTTP server (Parley's
 * {@code server} module uses Javalin) mount {@link WhipHandler} there instead of using this.
 */
public final class WhipServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WhipServer.class);

    /** Oversized bodies up to this size are read to the end so the client gets its 413. */
    private static final long MAX_DRAIN_BYTES = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final WhipHandler whip;
    private final boolean tls;

    private WhipServer(Builder b) throws IOException {
        this.whip = Objects.requireNonNull(b.whip, "whip handler");
        this.tls = b.sslContext != null;
        if (tls) {
            HttpsServer https = HttpsServer.create(b.address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(b.sslContext));
            this.server = https;
        } else {
            this.server = HttpServer.create(b.address, 16);
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(b.threads, r -> {
            Thread t = new Thread(r, "parley-whip-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(whip.endpointPath(), this::serveWhip);
        for (Map.Entry<String, HttpHandler> e : b.routes.entrySet()) {
            server.createContext(e.getKey(), e.getValue());
        }
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port} or {@code https://host:port}, without a trailing slash. */
    public URI baseUri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https://" : "http://") + host + ":" + a.getPort());
    }

    /** Absolute URL of the WHIP endpoint. */
    public URI whipUri() {
        return baseUri().resolve(whip.endpointPath());
    }

    /** The handler this server serves. */
    public WhipHandler whipHandler() {
        return whip;
    }

    private void serveWhip(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = readBounded(ex.getRequestBody(), whip.maxBodyBytes() + 1);
            if (body.length > whip.maxBodyBytes()) {
                // Read (and forget) a bounded remainder so the client sees the 413 instead of a reset.
                drain(ex.getRequestBody(), MAX_DRAIN_BYTES);
            }
            Map<String, String> headers = new java.util.HashMap<>();
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!values.isEmpty()) {
                    headers.put(name, values.get(0));
                }
            });
            WhipRequest req = new WhipRequest(ex.getRequestMethod().toUpperCase(java.util.Locale.ROOT), ex.getRequestURI().getPath(),
                    headers, body);
            WhipResponse res = whip.handle(req);
            res.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            if (res.contentType() != null) {
                ex.getResponseHeaders().set("Content-Type", res.contentType());
            }
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (res.body().length == 0) {
                ex.sendResponseHeaders(res.status(), -1);
            } else {
                ex.sendResponseHeaders(res.status(), res.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(res.body());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("WHIP request failed", e);
            throw e;
        }
    }

    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int r;
        while (total < limit && (r = in.read(buf)) >= 0) {
            total += r;
        }
    }

    /** Reads at most {@code limit} bytes, so an oversized body costs no more than that. */
    static byte[] readBounded(InputStream in, int limit) throws IOException {
        byte[] buf = new byte[Math.min(limit, 8192)];
        int len = 0;
        while (len < limit) {
            if (len == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(limit, buf.length * 2));
            }
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                break;
            }
            len += r;
        }
        return java.util.Arrays.copyOf(buf, len);
    }

    /**
     * A TLS context with the key and certificate chain in a PKCS#12 {@code keystore}; the key's
     * password must be the store's.
     *
     * @throws IllegalArgumentException if the keystore cannot be read or holds no usable key
     */
    public static SSLContext sslContext(Path keystore, char[] password) {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use keystore " + keystore + " for TLS: " + e.getMessage(), e);
        }
    }

    /** Stops accepting requests and waits briefly for those in flight. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** Builder for {@link WhipServer}. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private WhipHandler whip;
        private int threads = 4;
        private final Map<String, HttpHandler> routes = new LinkedHashMap<>();
        private SSLContext sslContext;

        private Builder() {
        }

        /** Where to listen [127.0.0.1, any free port]. */
        public Builder address(InetSocketAddress address) {
            Checks.notNull(address, "address");
            this.address = address;
            return this;
        }

        public Builder whip(WhipHandler handler) {
            Checks.notNull(handler, "handler");
            this.whip = handler;
            return this;
        }

        /** Serves {@code handler} under {@code path} as well, e.g. a page at {@code /}. */
        public Builder route(String path, HttpHandler handler) {
            routes.put(path, handler);
            return this;
        }

        /** Request threads [4]; negotiation blocks one for up to the gathering timeout. */
        public Builder threads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("threads must be within 1..256, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Serves HTTPS with the key and certificate chain in a PKCS#12 {@code keystore} (as
         * {@code keytool -genkeypair -storetype PKCS12} or {@code openssl pkcs12 -export}
         * make); the key's password must be the store's.
         *
         * @throws IllegalArgumentException if the keystore cannot be read or holds no usable key
         */
        public Builder tls(Path keystore, char[] password) {
            this.sslContext = sslContext(keystore, password);
            return this;
        }

        /** Serves HTTPS with an SSL context the application built (its own key managers, protocols). */
        public Builder tls(SSLContext context) {
            Checks.notNull(context, "context");
            this.sslContext = context;
            return this;
        }

        /** Binds and starts serving. */
        public WhipServer start() {
            try {
                return new WhipServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not bind the WHIP server to " + address, e);
            }
        }
    }
}
