package io.parley.server;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's clockwork, one tick at a time on one thread: scheduled sessions start, sessions
 * past their mode's limit end, this node's media leases are renewed, sessions of nodes that
 * stopped renewing are marked interrupted, and once a day old sessions are purged.
 */
final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final long DAY_MILLIS = 24L * 3600 * 1000;

    private final Hub hub;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-scheduler");
        t.setDaemon(true);
        return t;
    });
    private long nextPurge;

    Scheduler(Hub hub) {
        this.hub = hub;
    }

    void start() {
        long tick = hub.settings().tick().toMillis();
        timer.scheduleWithFixedDelay(this::tickSafely, 0, tick, TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("scheduler tick failed: {}", e.getMessage(), e);
        }
    }

    /** One round of the clockwork; public to tests through the package. */
    void tick() {
        long now = hub.now();
        for (SessionRow s : hub.store().dueScheduled(now)) {
            boolean started = hub.store().db().tx(c -> {
                if (Db.update(c, "UPDATE sessions SET status = 'active', started_at = ? WHERE id = ? AND status = 'scheduled'",
                        now, s.id()) == 0) {
                    return false;
                }
                hub.log().append(c, s.id(), Log.Message.SYSTEM, "system", "system", "Session started at its scheduled time",
                        false, now);
                return true;
            });
            if (started) {
                hub.publish(s.id(), "started", Json.obj());
            }
        }
        for (SessionRow s : hub.store().overLimit(now)) {
            hub.end(s.id(), "time_limit");
        }
        hub.heartbeat();
        List<String> interrupted = hub.store().db().tx(c -> {
            List<String> ids = hub.store().interruptExpired(c, now);
            for (String id : ids) {
                hub.log().append(c, id, Log.Message.SYSTEM, "system", "system", "Session interrupted: the node serving it stopped",
                        false, now);
            }
            return ids;
        });
        for (String id : interrupted) {
            hub.publish(id, "interrupted", Json.obj());
            LOG.warn("session {}: its node stopped renewing the lease; marked interrupted", id);
        }
        if (now >= nextPurge) {
            nextPurge = now + DAY_MILLIS;
            int n = hub.store().purgeBefore(now - hub.settings().retention().toMillis());
            if (n > 0) {
                LOG.info("retention: purged {} sessions and documents older than {}", n, hub.settings().retention());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
