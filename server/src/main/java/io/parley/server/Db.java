package io.parley.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database: a HikariCP pool over SQLite (embedded default) or PostgreSQL, the schema
 * brought up to date by Flyway, and small helpers that run work in one transaction.
 */
final class Db implements AutoCloseable {

    /** Maps one row. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work done inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final HikariDataSource pool;
    private final boolean postgres;
    private final String url;

    private Db(HikariDataSource pool, boolean postgres, String url) {
        this.pool = pool;
        this.postgres = postgres;
        this.url = url;
    }

    /** The embedded database file under {@code dataDir}. */
    static String sqliteUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve("parley.db").toAbsolutePath();
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws IllegalArgumentException for a URL that is neither SQLite nor PostgreSQL
     */
    static Db open(String jdbcUrl, String user, String password) {
        boolean pg = jdbcUrl.startsWith("jdbc:postgresql:");
        if (!pg && !jdbcUrl.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("database URL must start with jdbc:sqlite: or jdbc:postgresql:, was "
                    + jdbcUrl.replaceAll("password=[^&]*", "password=***"));
        }
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("parley-db");
        if (pg) {
            cfg.setJdbcUrl(jdbcUrl);
            cfg.setMaximumPoolSize(10);
        } else {
            // WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock
            // up front, so a read-then-write transaction never fails on a lock upgrade.
            String sep = jdbcUrl.contains("?") ? "&" : "?";
            cfg.setJdbcUrl(jdbcUrl + sep + "journal_mode=WAL&busy_timeout=15000&foreign_keys=true"
                    + "&transaction_mode=IMMEDIATE&synchronous=NORMAL");
            cfg.setMaximumPoolSize(4);
        }
        if (user != null) {
            cfg.setUsername(user);
        }
        if (password != null) {
            cfg.setPassword(password);
        }
        cfg.setAutoCommit(true);
        HikariDataSource ds = new HikariDataSource(cfg);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Db(ds, pg, jdbcUrl);
    }

    boolean postgres() {
        return postgres;
    }

    String url() {
        return url;
    }

    DataSource dataSource() {
        return pool;
    }

    /** Runs {@code work} in one transaction: all of it is written, or none. */
    <T> T tx(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        List<T> all = query(c, sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.ofNullable(all.get(0));
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Boolean b) {
                    ps.setInt(i + 1, b ? 1 : 0);
                } else {
                    ps.setObject(i + 1, a);
                }
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** A nullable BIGINT column. */
    static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A database failure, reported to clients as a 500 without SQL details. */
    static final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreException(SQLException cause) {
            super("database error: " + cause.getMessage(), cause);
        }
    }
}
