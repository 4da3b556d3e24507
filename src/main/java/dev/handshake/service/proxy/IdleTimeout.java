package dev.handshake.service.proxy;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of one proxied connection: {@code onIdle} runs once no activity was noted for the timeout, and
 * again every timeout after that while nothing happens. It is Netty's {@code IdleStateHandler} in its all-idle mode
 * without being a handler: that one sat in the pipeline, so every read, read-complete, write and flush of a
 * kept-alive request took a hop through it, and every write got a second promise listener (a listener array per
 * write) and a clock read. Here the termination handler notes activity where it already acts on it: a read from the
 * client, and a write's completion. Runs on the connection's event loop only.
 */
final class IdleTimeout {

    private final long timeoutNanos;
    private final Runnable onIdle;
    private EventExecutor executor;
    private long lastActivityNanos;
    private ScheduledFuture<?> check;

    IdleTimeout(long timeoutNanos, Runnable onIdle) {
        this.timeoutNanos = timeoutNanos;
        this.onIdle = onIdle;
    }

    void start(EventExecutor eventLoop) {
        executor = eventLoop;
        lastActivityNanos = System.nanoTime();
        schedule(timeoutNanos);
    }

    /** Traffic either way: the timeout counts from now. */
    void activity() {
        lastActivityNanos = System.nanoTime();
    }

    /** The connection ended: no more checks (and the scheduled one no longer holds the connection). */
    void cancel() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        executor = null;
    }

    private void schedule(long delayNanos) {
        check = executor.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        if (executor == null) {
            return;
        }
        long idleNanos = System.nanoTime() - lastActivityNanos;
        if (idleNanos >= timeoutNanos) {
            // like IdleStateHandler: fire, then again a whole timeout later if still nothing happened
            schedule(timeoutNanos);
            onIdle.run();
        } else {
            schedule(timeoutNanos - idleNanos);
        }
    }
}
