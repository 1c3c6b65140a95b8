package io.parley.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session changes between nodes over PostgreSQL {@code LISTEN/NOTIFY} on the channel
 * {@code parley_events}. One dedicated connection listens (reconnecting after failures);
 * notifications are sent through the pool.
 */
final class PgEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PgEvents.class);
    static final String CHANNEL = "parley_events";

    private final String url;
    private final String user;
    private final String password;
    private final DataSource pool;
    private final Consumer<String> onEvent;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection listening;

    PgEvents(String url, String user, String password, DataSource pool, Consumer<String> onEvent) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.pool = pool;
        this.onEvent = onEvent;
        this.thread = new Thread(this::listen, "parley-pg-listen");
        this.thread.setDaemon(true);
    }

    /** Starts listening; returns once the LISTEN is in place, so no later notification is missed. */
    PgEvents start() throws SQLException {
        listening = connect();
        thread.start();
        return this;
    }

    private Connection connect() throws SQLException {
        Connection c = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + CHANNEL);
        }
        return c;
    }

    void notify(String payload) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, payload);
            ps.execute();
        } catch (SQLException e) {
            LOG.error("cannot notify other nodes: {}", e.getMessage(), e);
        }
    }

    private void listen() {
        while (running) {
            try {
                Connection c = listening;
                if (c == null || c.isClosed()) {
                    c = connect();
                    listening = c;
                }
                PGNotification[] ns = c.unwrap(PGConnection.class).getNotifications(500);
                if (ns != null) {
                    for (PGNotification n : ns) {
                        try {
                            onEvent.accept(n.getParameter());
                        } catch (RuntimeException e) {
                            LOG.error("event from another node failed: {}", e.getMessage(), e);
                        }
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("listening for other nodes' events failed, reconnecting: {}", e.getMessage());
                    closeQuietly();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    private void closeQuietly() {
        Connection c = listening;
        listening = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the listening connection: {}", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly();
    }
}
