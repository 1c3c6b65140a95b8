package io.parley.transport.webrtc;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A WHIP server of its own: a Javalin (the project's one embedded HTTP server) serving a
 * {@link WhipHandler} through {@link WhipRoutes}, plus any routes an application adds with
 * {@link Builder#configure}, such as a web page. Binds to 127.0.0.1 on a free port unless told
 * otherwise.
 *
 * <p>Browsers give pages a microphone only on HTTPS or on localhost, so a server other devices
 * use needs TLS: either {@link Builder#tls} with a PKCS#12 keystore or an {@link SSLContext},
 * or plain HTTP on loopback behind the host's own TLS-terminating proxy (nginx, Caddy, a cloud
 * load balancer) that forwards {@code /whip} and {@code /whip/*} with their
 * {@code Authorization}, {@code If-Match} and {@code Content-Type} headers. Applications that
 * already run Javalin (as Parley's {@code server} module does) mount WHIP there with
 * {@link WhipRoutes#install} instead of starting this.
 */
public final class WhipServer implements AutoCloseable {

    /** Jetty threads that are not request threads: one acceptor and one selector. */
    private static final int CONNECTOR_THREADS = 2;

    private final Javalin app;
    private final WhipHandler whip;
    private final InetSocketAddress address;
    private final boolean tls;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WhipServer(Builder b) {
        this.whip = Objects.requireNonNull(b.whip, "whip handler");
        this.address = b.address;
        this.tls = b.sslContext != null;
        QueuedThreadPool pool = new QueuedThreadPool(b.threads + CONNECTOR_THREADS, Math.min(b.threads + CONNECTOR_THREADS, 4));
        pool.setName("parley-whip-http");
        pool.setDaemon(true);
        // Request threads block on negotiation; none are held back for Jetty's own reserve.
        pool.setReservedThreads(0);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = pool;
            config.jetty.addConnector((server, http) -> connector(server, http, b.address, b.sslContext));
            WhipRoutes.install(config, whip);
            b.configurers.forEach(c -> c.accept(config));
        });
    }

    private static ServerConnector connector(Server server, HttpConfiguration http, InetSocketAddress address, SSLContext ssl) {
        ServerConnector connector;
        if (ssl == null) {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        } else {
            SslContextFactory.Server factory = new SslContextFactory.Server();
            factory.setSslContext(ssl);
            HttpConfiguration https = new HttpConfiguration(http);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach this server by IP address as often as by name; the certificate is the operator's choice.
            secure.setSniHostCheck(false);
            https.addCustomizer(secure);
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(factory, HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(https));
        }
        connector.setHost(address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString());
        connector.setPort(address.getPort());
        return connector;
    }

    private WhipServer start() {
        try {
            app.start();
            return this;
        } catch (RuntimeException e) {
            try {
                app.stop();
            } catch (RuntimeException stop) {
                e.addSuppressed(stop);
            }
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof IOException io) {
                    throw new UncheckedIOException("could not bind the WHIP server to " + address, io);
                }
            }
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound port. */
    public int port() {
        return app.port();
    }

    /** {@code http://host:port} or {@code https://host:port}, without a trailing slash. */
    public URI baseUri() {
        InetAddress a = address.getAddress();
        String host = a == null ? address.getHostString() : a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((tls ? "https://" : "http://") + host + ":" + port());
    }

    /** Absolute URL of the WHIP endpoint. */
    public URI whipUri() {
        return baseUri().resolve(whip.endpointPath());
    }

    /** The handler this server serves. */
    public WhipHandler whipHandler() {
        return whip;
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
        if (closed.compareAndSet(false, true)) {
            app.stop();
        }
    }

    /** Builder for {@link WhipServer}. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private WhipHandler whip;
        private int threads = 4;
        private final List<Consumer<JavalinConfig>> configurers = new ArrayList<>();
        private SSLContext sslContext;

        private Builder() {
        }

        /** Where to listen [127.0.0.1, any free port]. */
        public Builder address(InetSocketAddress address) {
            Checks.notNull(address, "address");
            this.address = address;
            return this;
        }

        /** The WHIP handler to serve; required. */
        public Builder whip(WhipHandler handler) {
            Checks.notNull(handler, "handler");
            this.whip = handler;
            return this;
        }

        /**
         * Adds to the server's Javalin configuration, e.g. routes for a page at {@code /}
         * ({@code config -> config.routes.get("/", ctx -> ctx.html(page))}), static files or
         * request logging. Runs after the WHIP routes are installed; calls accumulate in order.
         * The connector and thread pool belong to this builder ({@link #address}, {@link #tls},
         * {@link #threads}); leave them alone.
         */
        public Builder configure(Consumer<JavalinConfig> configurer) {
            Checks.notNull(configurer, "configurer");
            configurers.add(configurer);
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

        /**
         * Binds and starts serving.
         *
         * @throws UncheckedIOException if the address cannot be bound
         */
        public WhipServer start() {
            return new WhipServer(this).start();
        }
    }
}
