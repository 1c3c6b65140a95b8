package io.parley.transport.websocket;

import io.javalin.Javalin;

/** {@link TelephonyRoutes} running on their own Javalin; {@link #close()} ends every call and stops it. */
public final class TelephonyServer implements AutoCloseable {

    private final Javalin app;
    private final TelephonyRoutes routes;

    TelephonyServer(Javalin app, TelephonyRoutes routes) {
        this.app = app;
        this.routes = routes;
    }

    /** The port listened on. */
    public int port() {
        return app.port();
    }

    /** The server's request and WebSocket threads (tests check the pool's bound). */
    org.eclipse.jetty.util.thread.ThreadPool threadPool() {
        return app.jettyServer().server().getThreadPool();
    }

    /** Calls whose socket is open now. */
    public int activeCalls() {
        return routes.activeCalls();
    }

    /** Closes every call and stops the server. */
    @Override
    public void close() {
        routes.closeAll();
        app.stop();
    }
}
