package dev.handshake.service.session;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Runs the in-memory store's incremental expiry sweep on one daemon thread. The executor stays private: exposed as a
 * bean, a {@code ScheduledExecutorService} would make Spring Boot's task-scheduling auto-configuration back off.
 */
final class SessionSweeper implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SessionSweeper.class);

    private final ScheduledExecutorService executor;

    SessionSweeper(SessionRepository store, SessionProperties properties) {
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "session-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        if (!(store instanceof InMemorySessionRepository repository)) {
            executor.shutdown();
            return;
        }
        long period = properties.sweepInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                repository.sweep();
            } catch (RuntimeException e) {
                // a failed run must not cancel the schedule (an uncaught exception would); the next run retries
                log.warn("session sweep failed; retrying next interval", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
