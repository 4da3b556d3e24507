package dev.handshake.service.resumption;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs {@link RotatingTicketKeys#refresh()} every {@code handshake.tickets.refresh-interval} on one daemon thread (the
 * executor stays private, as the session sweeper's does, so Spring Boot's task scheduling is not disturbed).
 */
final class TicketKeyRefresh implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TicketKeyRefresh.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ticket-key-refresh");
        thread.setDaemon(true);
        return thread;
    });

    TicketKeyRefresh(RotatingTicketKeys keys, TicketProperties properties) {
        if (!properties.enabled()) {
            executor.shutdown();
            return;
        }
        long period = properties.refreshInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                keys.refresh();
            } catch (RuntimeException e) {
                // an uncaught exception would cancel the schedule; the next run retries
                log.warn("ticket key refresh failed; retrying next interval", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
